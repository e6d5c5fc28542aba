//! `/healthz` (the process answers), `/readyz` (the store answers and every
//! site's last success is within its freshness budget) and `/metrics`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde::Serialize;

use crate::reports::LicenseReportOptions;
use crate::serve::metrics::CONTENT_TYPE;
use crate::serve::{ApiError, AppState};

pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Why one site makes the service not ready.
#[derive(Debug, Serialize)]
struct Stale {
    site: String,
    reason: String,
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    let mut problems = Vec::new();
    let now = Utc::now();
    if let Err(e) = state.store.list_sites().await {
        problems.push(Stale {
            site: String::new(),
            reason: format!("the store does not answer: {e}"),
        });
    }
    for handle in &state.sites {
        let site = &handle.site;
        let budget = humantime::format_duration(site.fresh_within);
        let last_error = handle.status.lock().await.last_error.clone();
        let because = last_error
            .map(|e| format!("; the last sync failed: {e}"))
            .unwrap_or_default();
        let record = state
            .store
            .find_site(Some(&site.options.server), &site.options.site)
            .await;
        let success = match record {
            Ok(Some(r)) => state
                .store
                .latest_runs(r.key)
                .await
                .ok()
                .and_then(|l| l.last_success)
                .and_then(|r| r.finished_at),
            _ => None,
        };
        let reason = match success {
            None => Some(format!("never synced{because}")),
            Some(at) => {
                let age = (now - at).to_std().unwrap_or_default();
                (age > site.fresh_within).then(|| {
                    format!(
                        "last success {} ago, older than its budget of {budget}{because}",
                        humantime::format_duration(std::time::Duration::from_secs(age.as_secs()))
                    )
                })
            }
        };
        if let Some(reason) = reason {
            problems.push(Stale {
                site: site.label.clone(),
                reason,
            });
        }
    }
    if problems.is_empty() {
        Json(serde_json::json!({ "status": "ready" })).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "not_ready", "problems": problems })),
        )
            .into_response()
    }
}

pub async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let now = Utc::now();
    let mut report = LicenseReportOptions::new(now);
    report.prices = state.prices.clone();
    let text = state
        .metrics
        .render(&state.store, now, &report)
        .await
        .map_err(|e| ApiError::unavailable(format!("cannot read the store for metrics: {e}")))?;
    Ok(([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response())
}
