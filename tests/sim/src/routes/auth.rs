//! serverinfo, sign-in (PAT, password, connected-app JWT), sign-out, switchSite.

use crate::error::ApiError;
use crate::jwt;
use crate::node::Node;
use crate::releases;
use crate::reqbody;
use crate::server::{Ctx, Reply};
use crate::session::Session;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// `GET serverinfo` (no authentication, 2.4 and later).
pub fn server_info(ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    if !ctx.at_least((2, 4)) {
        return Err(ApiError::unknown_resource(&format!(
            "/{}.{}/serverInfo",
            ctx.v.0, ctx.v.1
        )));
    }
    let api = &ctx.inner.cfg.api_version;
    let mut info = Node::new("serverInfo");
    if let Some((product, build)) = releases::product_version(api) {
        let mut pv = Node::text("productVersion", &product);
        pv.attrs.push(("build", build));
        info = info.child(pv);
    }
    Ok(Reply::ok(vec![
        info.child(Node::text("restApiVersion", api))
    ]))
}

fn credentials(token: &str, site_id: &str, content_url: &str, user_id: &str) -> Reply {
    Reply::ok(vec![Node::new("credentials")
        .attr("token", token)
        .child(
            Node::new("site")
                .attr("id", site_id)
                .attr("contentUrl", content_url),
        )
        .child(Node::new("user").attr("id", user_id))])
}

fn site_index(ctx: &Ctx<'_>, content_url: &str) -> Result<usize, ApiError> {
    ctx.inner
        .sites
        .read()
        .expect("sites lock")
        .iter()
        .position(|s| s.content_url == content_url)
        .ok_or_else(|| ApiError::site_not_found(content_url))
}

fn failed(detail: &str) -> ApiError {
    ApiError::signin(format!("Error signing in to Tableau Server: {detail}"))
}

/// `POST auth/signin`.
pub fn sign_in(ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let req = reqbody::parse(ctx.body)?;
    let cred = req
        .find("credentials")
        .ok_or_else(|| ApiError::bad_request("The request has no <credentials> element."))?;
    let content_url = cred
        .find("site")
        .and_then(|s| s.attr("contentUrl"))
        .unwrap_or("")
        .to_string();
    // Tableau answers an unknown content URL like bad credentials (401001
    // "... or the site contentURL is invalid"), not with 404000.
    let site = site_index(ctx, &content_url).map_err(|_| {
        failed(&format!(
            "the credentials are invalid for site '{content_url}', or the site does not exist"
        ))
    })?;
    let cfg = &ctx.inner.cfg;

    let (user_name, pat, scopes) = if let Some(name) = cred.attr("personalAccessTokenName") {
        // No version gate: tableauserverclient signs in at its default 2.4
        // before switching to the server's version, and real servers accept it.
        let secret = cred.attr("personalAccessTokenSecret").unwrap_or("");
        let p = cfg
            .pats
            .iter()
            .find(|p| p.name == name && p.secret == secret)
            .ok_or_else(|| failed("the personal access token name or secret is invalid"))?;
        (p.owner.clone(), Some(p.name.clone()), None)
    } else if let Some(token) = cred.attr("jwt") {
        if !ctx.at_least((3, 17)) {
            return Err(failed("JWT sign-in needs API 3.17 or later"));
        }
        let now = chrono::Utc::now().timestamp();
        let v = jwt::verify(token, &cfg.connected_apps, now).map_err(|r| failed(&r.detail()))?;
        (v.sub, None, Some(v.scopes))
    } else if let Some(name) = cred.attr("name") {
        let pw = cred.attr("password").unwrap_or("");
        if !cfg.passwords.iter().any(|(n, p)| n == name && p == pw) {
            return Err(failed("the user name or password is invalid"));
        }
        (name.to_string(), None, None)
    } else {
        return Err(failed("no credentials were given"));
    };

    let (site_id, user_id) = {
        let sites = ctx.inner.sites.read().expect("sites lock");
        let s = &sites[site];
        let u = match s.user_by_name(&user_name) {
            Some(u) => u,
            None if scopes.is_some() => {
                let refused = jwt::Refused {
                    code: jwt::SubCode::UserNotFound,
                    reason: format!("user '{user_name}' was not found on the site"),
                };
                return Err(failed(&refused.detail()));
            }
            None => {
                return Err(failed(&format!(
                    "user '{user_name}' is not a member of site '{content_url}'"
                )))
            }
        };
        if u.site_role == "Unlicensed" {
            return Err(failed(&format!(
                "user '{user_name}' is unlicensed on this site"
            )));
        }
        (s.id.clone(), u.id.clone())
    };
    let token = ctx.inner.sessions.lock().expect("sessions lock").open(
        Session {
            site,
            user_id: user_id.clone(),
            user_name,
            expires: Instant::now(),
            pat,
            scopes,
        },
        cfg.token_ttl,
    );
    ctx.inner.sign_ins.fetch_add(1, Ordering::Relaxed);
    Ok(credentials(&token, &site_id, &content_url, &user_id))
}

/// `POST auth/signout`: ends the session; answers 204 even without one.
pub fn sign_out(ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    if let Some(t) = ctx
        .headers
        .get("x-tableau-auth")
        .and_then(|v| v.to_str().ok())
    {
        ctx.inner.sessions.lock().expect("sessions lock").close(t);
    }
    Ok(Reply::no_content())
}

/// `POST auth/switchSite`: new credentials on another seeded site.
pub fn switch_site(ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let (token, s) = super::session(ctx)?;
    let req = reqbody::parse(ctx.body)?;
    let content_url = req
        .find("site")
        .and_then(|e| e.attr("contentUrl"))
        .ok_or_else(|| ApiError::bad_request("The request has no <site contentUrl> element."))?
        .to_string();
    let site = site_index(ctx, &content_url)?;
    let (site_id, user_id) = {
        let sites = ctx.inner.sites.read().expect("sites lock");
        let u = sites[site].user_by_name(&s.user_name).ok_or_else(|| {
            ApiError::new(
                403070,
                "Forbidden",
                format!(
                    "User '{}' is not a member of site '{content_url}'.",
                    s.user_name
                ),
            )
        })?;
        (sites[site].id.clone(), u.id.clone())
    };
    let mut sessions = ctx.inner.sessions.lock().expect("sessions lock");
    sessions.close(&token);
    let new = sessions.open(
        Session {
            site,
            user_id: user_id.clone(),
            ..s
        },
        ctx.inner.cfg.token_ttl,
    );
    Ok(credentials(&new, &site_id, &content_url, &user_id))
}
