//! `/_sim/…` control endpoints (not Tableau API; never counted, never faulted):
//!
//! - `POST /_sim/interactive-signin?site=CONTENT_URL&user=NAME_OR_ID`: a user's
//!   interactive sign-in (sets `lastLogin`, applies grant-licence-on-sign-in).
//! - `POST /_sim/faults?rate429=F&rate5xx=F&latencyMs=N[&maxRps=N]`: changes faults.
//! - `GET /_sim/stats`: requests served and sign-ins.
//! - `GET /_sim/health`: `{"status":"ok"}`.

use crate::error::ApiError;
use crate::node::Node;
use crate::server::{Inner, Reply};
use axum::http::Method;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn num<T: std::str::FromStr>(q: &HashMap<String, String>, k: &str) -> Result<Option<T>, ApiError> {
    match q.get(k) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("'{k}' has an invalid value '{v}'."))),
    }
}

/// Runs a control request.
pub fn handle(
    inner: &Inner,
    method: &Method,
    rest: &str,
    q: &HashMap<String, String>,
) -> Result<Reply, ApiError> {
    match (method.as_str(), rest.trim_end_matches('/')) {
        ("GET", "health") => Ok(Reply::ok(vec![Node::new("health").attr("status", "ok")])),
        ("GET", "stats") => Ok(Reply::ok(vec![Node::new("stats")
            .attr(
                "requests",
                inner.requests.load(Ordering::Relaxed).to_string(),
            )
            .attr(
                "signIns",
                inner.sign_ins.load(Ordering::Relaxed).to_string(),
            )])),
        ("POST", "faults") => {
            let mut f = inner.faults.lock().expect("faults lock");
            if let Some(v) = num::<f64>(q, "rate429")? {
                f.rate_429 = v;
            }
            if let Some(v) = num::<f64>(q, "rate5xx")? {
                f.rate_5xx = v;
            }
            if let Some(v) = num::<u64>(q, "latencyMs")? {
                f.latency = Duration::from_millis(v);
            }
            if let Some(v) = num::<u32>(q, "maxRps")? {
                f.max_rps = (v > 0).then_some(v);
            }
            Ok(Reply::no_content())
        }
        ("POST", "interactive-signin") => {
            let site = q.get("site").map(String::as_str).unwrap_or("");
            let user = q
                .get("user")
                .ok_or_else(|| ApiError::bad_request("'user' (name or id) is required."))?;
            let mut sites = inner.sites.write().expect("sites lock");
            let s = sites
                .iter_mut()
                .find(|s| s.content_url == site || s.id == site)
                .ok_or_else(|| ApiError::site_not_found(site))?;
            let id = match s.by_name.get(user) {
                Some(id) => id.clone(),
                None => user.clone(),
            };
            if !s.interactive_sign_in(&id, crate::seed::now_secs()) {
                return Err(ApiError::user_not_found(user));
            }
            let u = &s.users[&id];
            Ok(Reply::ok(vec![Node::new("user")
                .attr("id", &u.id)
                .attr("name", &u.name)
                .attr("siteRole", &u.site_role)]))
        }
        _ => Err(ApiError::unknown_resource(&format!("/_sim/{rest}"))),
    }
}
