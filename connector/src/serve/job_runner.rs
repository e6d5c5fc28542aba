//! Runs accepted offboarding jobs one at a time, oldest first, through
//! the same steps as `tabgov offboard` (site lock, sign-in with the
//! batch's least scopes, `run_batch`, sign-out). A job is claimed in the
//! store before it runs, so a job left running by a killed process is run
//! again after a restart: the action engine's journal makes that safe
//! (a completed action is found done, an interrupted one is checked
//! against Tableau before anything is sent again).

use std::time::Duration;

use serde_json::json;
use tabgov_state::{JobRecord, JobState};
use tracing::Instrument;

use crate::actions::{run_batch, scopes, ActionContext, ActionOptions, ActionResult};
use crate::site_lock::{SiteLock, DEFAULT_LOCK_WAIT};
use crate::transport::Transport;
use tabgov_mapping::{BatchPolicy, DEFAULT_MAX_ACTIONS};

use super::job_spec::JobSpec;
use super::webhook::{Alert, AlertKind};
use super::AppState;

/// How often the runner looks for jobs when nobody woke it.
const POLL: Duration = Duration::from_secs(5);

/// Runs jobs until the service stops; a running job is finished first.
pub async fn job_loop(state: AppState) {
    let mut stop = state.stop.subscribe();
    loop {
        if state.stopping() {
            return;
        }
        match state.store.claim_job().await {
            Ok(Some(job)) => run_job(&state, job).await,
            Ok(None) => {
                let woken = state.jobs_wake.notified();
                tokio::select! {
                    _ = woken => {}
                    _ = tokio::time::sleep(POLL) => {}
                    _ = stop.changed() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim a job; retrying");
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

async fn run_job(state: &AppState, job: JobRecord) {
    let spec = serde_json::from_value::<JobSpec>(job.request.clone());
    let site = spec.as_ref().ok().map(|s| s.site.clone());
    let outcome = match spec {
        Ok(spec) => {
            carry_out(state, &spec, &job.submitted_by)
                .instrument(tracing::info_span!("job", id = %job.id, site = %spec.site))
                .await
        }
        Err(e) => Err(format!("the stored job cannot be read: {e}")),
    };
    let (job_state, results, error) = match outcome {
        Ok(results) => {
            for r in &results {
                state
                    .metrics
                    .record_action(r.action.as_str(), r.result.as_str());
            }
            (JobState::Succeeded, Some(json!(results)), None)
        }
        Err(message) => (JobState::Failed, None, Some(message)),
    };
    if let Err(e) = state
        .store
        .finish_job(job.id, job_state, results.as_ref(), error.as_deref())
        .await
    {
        // Left running: the next start runs it again, which the journal
        // makes safe.
        tracing::error!(job = %job.id, error = %e, "cannot record the job's end");
        return;
    }
    tracing::info!(job = %job.id, state = %job_state, "job finished");
    let message = match &error {
        None => format!("job {} finished", job.id),
        Some(e) => format!("job {} failed: {e}", job.id),
    };
    let detail = json!({ "job": job.id, "state": job_state.as_str(), "summary": results.as_ref().map(summary) });
    let mut alert = Alert::new(AlertKind::JobFinished, message).with_detail(detail);
    if let Some(site) = site {
        alert = alert.with_site(site);
    }
    state.webhooks.send(alert);
}

/// Counts of each outcome, for alerts.
fn summary(results: &serde_json::Value) -> serde_json::Value {
    let mut counts = serde_json::Map::new();
    for r in results.as_array().into_iter().flatten() {
        let key = r["result"].as_str().unwrap_or("unknown").to_owned();
        let n = counts.get(&key).and_then(|v| v.as_u64()).unwrap_or(0);
        counts.insert(key, json!(n + 1));
    }
    serde_json::Value::Object(counts)
}

/// The batch's results, or why it could not run at all (the sentence the
/// job shows).
async fn carry_out(
    state: &AppState,
    spec: &JobSpec,
    actor: &str,
) -> Result<Vec<ActionResult>, String> {
    let handle = state
        .site(&spec.site)
        .ok_or_else(|| format!("the site {:?} is no longer served", spec.site))?;
    let site = &handle.site;
    let (server, content_url) = (&site.options.server, &site.options.site);
    let lock = if spec.dry_run {
        None
    } else {
        Some(
            SiteLock::acquire_waiting(&state.store, server, content_url, DEFAULT_LOCK_WAIT)
                .await
                .map_err(|e| e.to_string())?,
        )
    };
    let transport = Transport::connect(
        site.options.clone(),
        site.credential.clone(),
        &scopes::for_batch(&spec.requests),
    )
    .await
    .map_err(|e| e.to_string())?;
    let options = ActionOptions {
        actor: Some(actor.to_owned()),
        dry_run: spec.dry_run,
        batch: BatchPolicy {
            max_actions: DEFAULT_MAX_ACTIONS,
            confirmed: spec.confirm,
        },
    };
    let results = async {
        let ctx = ActionContext::with_lock(&transport, &state.store, options, lock).await?;
        run_batch(&ctx, spec.requests.clone()).await
    }
    .await;
    if let Err(e) = transport.sign_out().await {
        tracing::debug!(error = %e, "sign-out failed");
    }
    results.map_err(|e| e.to_string())
}
