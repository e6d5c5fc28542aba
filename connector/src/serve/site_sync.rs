//! One sync of one site as the service runs it: the same steps as `tabgov
//! sync` (site lock, sign in, sync, sign out), its outcome told to the
//! metrics and, when it failed, to the alert webhooks.

use std::time::{Duration, Instant};

use chrono::Utc;
use tracing::Instrument;

use crate::credentials::Scope;
use crate::error_code::ErrorCode;
use crate::site_lock::SiteLock;
use crate::sync::{sync_site, SyncOptions, SyncReport};
use crate::transport::{Transport, TransportStats};
use crate::Error;

use super::metrics::SyncOutcome;
use super::served_site::ServedSite;
use super::webhook::{Alert, AlertKind};
use super::AppState;

/// How long a scheduled sync waits for another process's sync or action on
/// the same site before counting as failed (and being retried).
const LOCK_WAIT: Duration = Duration::from_secs(300);

/// Runs one sync of `site` and reports it; the error is the sentence
/// /v1/sites shows.
pub async fn run_sync(state: &AppState, site: &ServedSite) -> Result<SyncReport, String> {
    let started = Instant::now();
    let mut traffic = TransportStats::default();
    let result = sync_once(state, site, &mut traffic)
        .instrument(tracing::info_span!("sync", site = %site.label))
        .await;
    let outcome = match &result {
        Ok(_) => SyncOutcome::Succeeded,
        Err(Error::MassRemovalRefused(_)) => SyncOutcome::Refused,
        Err(_) => SyncOutcome::Failed,
    };
    let at = Utc::now();
    state
        .metrics
        .record_sync(&site.label, outcome, started.elapsed(), &traffic, at);
    match result {
        Ok(report) => {
            tracing::info!(site = %site.label, run = %report.run_id, users = report.summary.counts.users, "sync succeeded");
            Ok(report)
        }
        Err(e) => {
            let message = e.to_string();
            tracing::warn!(site = %site.label, error = %message, "sync failed");
            let detail = serde_json::json!({
                "tableau_code": e.tableau().map(|t| t.code.as_str().to_owned()),
            });
            state.webhooks.send(
                Alert::new(alert_kind(&e), message.clone())
                    .with_site(site.label.clone())
                    .with_detail(detail),
            );
            Err(message)
        }
    }
}

fn alert_kind(e: &Error) -> AlertKind {
    match e {
        Error::MassRemovalRefused(_) => AlertKind::MassRemovalRefused,
        e if e.is_tableau(ErrorCode::SIGN_IN_FAILED) => AlertKind::SignInFailed,
        _ => AlertKind::SyncFailed,
    }
}

async fn sync_once(
    state: &AppState,
    site: &ServedSite,
    traffic: &mut TransportStats,
) -> Result<SyncReport, Error> {
    let server = &site.options.server;
    let content_url = &site.options.site;
    let lock = SiteLock::acquire_waiting(&state.store, server, content_url, LOCK_WAIT).await?;
    let transport = match Transport::connect(
        site.options.clone(),
        site.credential.clone(),
        Scope::SYNC,
    )
    .await
    {
        Ok(t) => t,
        Err(e) => {
            // A wrong site or token leaves no trace in the store.
            let _ = state.store.forget_unused_site(lock.site()).await;
            return Err(e);
        }
    };
    let options = SyncOptions {
        sign_out_when_listed: true,
        ..SyncOptions::default()
    };
    let result = sync_site(&transport, &state.store, &lock, &options).await;
    *traffic = transport.stats();
    if let Err(e) = transport.sign_out().await {
        tracing::debug!(site = %site.label, error = %e, "sign-out failed");
    }
    result
}
