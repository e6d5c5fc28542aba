//! `GET /v1/sites`: each configured site with its last run, the age of its
//! last success and what its scheduler does next; `POST
//! /v1/sites/{site}/sync`: a sync now.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tabgov_state::RunRecord;

use crate::serve::served_site::ScheduleStatus;
use crate::serve::{ApiError, AppState};

/// One site as `GET /v1/sites` shows it.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub site: String,
    pub server: String,
    pub content_url: String,
    pub every_seconds: u64,
    pub fresh_within_seconds: u64,
    pub last_run: Option<RunRecord>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// Seconds since the last success, `null` when there was none.
    pub age_seconds: Option<i64>,
    pub fresh: bool,
    #[serde(flatten)]
    pub schedule: ScheduleStatus,
}

pub async fn list(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let now = Utc::now();
    let mut sites = Vec::with_capacity(state.sites.len());
    for handle in &state.sites {
        let site = &handle.site;
        let record = state
            .store
            .find_site(Some(&site.options.server), &site.options.site)
            .await?;
        let latest = match record {
            Some(r) => state.store.latest_runs(r.key).await?,
            None => Default::default(),
        };
        let last_success_at = latest.last_success.and_then(|r| r.finished_at);
        let age = last_success_at.map(|at| (now - at).num_seconds());
        sites.push(SiteView {
            site: site.label.clone(),
            server: site.options.server.clone(),
            content_url: site.options.site.clone(),
            every_seconds: site.every.as_secs(),
            fresh_within_seconds: site.fresh_within.as_secs(),
            last_run: latest.last,
            last_success_at,
            age_seconds: age,
            fresh: age.is_some_and(|a| a >= 0 && (a as u64) <= site.fresh_within.as_secs()),
            schedule: handle.status.lock().await.clone(),
        });
    }
    Ok(Json(serde_json::json!({ "sites": sites })))
}

pub async fn sync_now(
    State(state): State<AppState>,
    Path(label): Path<String>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    if state.stopping() {
        return Err(ApiError::unavailable("the service is stopping"));
    }
    let handle = state.site(&label).ok_or_else(|| {
        ApiError::not_found(format!(
            "no site {label:?} is served: GET /v1/sites lists them"
        ))
    })?;
    handle.status.lock().await.requested = true;
    handle.wake.notify_one();
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "site": label, "sync": "requested" })),
    ))
}
