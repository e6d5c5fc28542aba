//! `tabgov serve`: the connector as a service. Scheduled syncs of each
//! configured site, an HTTP API (/v1) for the systems that trigger
//! offboarding and read access data, health checks, Prometheus metrics and
//! signed alert webhooks.
//!
//! Everything the API does goes through the same library calls as the
//! command line (`sync_site`, `run_batch`, the store's reads), so the
//! service adds no second protocol: only scheduling, authentication and
//! persistence of accepted jobs.

pub mod api_error;
mod auth;
mod job_runner;
pub mod job_spec;
pub mod metrics;
mod removal_guard;
mod request_log;
mod router;
mod routes;
mod scheduler;
pub mod scim;
mod scim_http;
pub mod scim_policy;
pub mod scim_session;
pub mod served_site;
pub mod settings;
pub mod signature;
mod site_sync;
pub mod tokens;
pub mod webhook;

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use tabgov_mapping::PriceTable;
use tabgov_state::Store;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use api_error::ApiError;
pub use scim_policy::{DeleteOnContent, ScimSitePolicy};
pub use served_site::ServedSite;
pub use settings::ServeSettings;
pub use tokens::{Scope, Tokens};

use metrics::Metrics;
use served_site::SiteHandle;
use webhook::{WebhookTarget, Webhooks};

/// What `tabgov serve` starts with.
#[derive(Debug)]
pub struct Service {
    pub settings: ServeSettings,
    pub sites: Vec<ServedSite>,
    pub tokens: Tokens,
    pub store: Store,
    /// Prices of the licence report and the reclaimable-cost metric.
    pub prices: PriceTable,
    pub webhooks: Vec<WebhookTarget>,
}

/// The state every handler and task shares.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

/// See [`AppState`].
#[derive(Debug)]
pub struct Shared {
    pub store: Store,
    pub settings: ServeSettings,
    pub sites: Vec<Arc<SiteHandle>>,
    pub tokens: Tokens,
    pub prices: PriceTable,
    pub metrics: Metrics,
    pub webhooks: Webhooks,
    /// `true` once a stop was asked for: schedulers end, new jobs are
    /// refused, running work finishes.
    pub stop: watch::Sender<bool>,
    /// Wakes the job runner when a job is accepted.
    pub jobs_wake: tokio::sync::Notify,
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// The configured site called `label`.
    pub fn site(&self, label: &str) -> Option<&Arc<SiteHandle>> {
        self.sites.iter().find(|s| s.site.label == label)
    }

    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }
}

/// Serves on `listener` until `shutdown` completes, then stops gracefully:
/// no new requests or jobs, running syncs and jobs finish (within the
/// settings' grace period), the webhooks drain.
pub async fn run(
    service: Service,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, _) = watch::channel(false);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(std::io::Error::other)?;
    let state = AppState(Arc::new(Shared {
        store: service.store,
        sites: service
            .sites
            .into_iter()
            .map(|s| Arc::new(SiteHandle::new(s)))
            .collect(),
        tokens: service.tokens,
        prices: service.prices,
        metrics: Metrics::new(),
        webhooks: Webhooks::start(service.webhooks, client),
        settings: service.settings,
        stop,
        jobs_wake: tokio::sync::Notify::new(),
    }));
    // Jobs a killed process left running are run again: the journal
    // makes that safe, and a job accepted with 202 is never lost.
    match state.store.requeue_interrupted_jobs().await {
        Ok(0) => {}
        Ok(n) => tracing::warn!("{n} job(s) interrupted by the last stop are run again"),
        Err(e) => return Err(std::io::Error::other(format!("cannot read the jobs: {e}"))),
    }
    let mut work = tokio::task::JoinSet::new();
    for handle in &state.sites {
        work.spawn(scheduler::site_loop(state.clone(), handle.clone()));
    }
    work.spawn(job_runner::job_loop(state.clone()));
    let app = router::router(state.clone());
    let stopper = state.stop.clone();
    let mut stopped = state.stop.subscribe();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("stopping: finishing running syncs and jobs");
        stopper.send_replace(true);
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|s| *s).await;
        })
        .await?;
    let grace = state.settings.stop_grace;
    if tokio::time::timeout(grace, async { while work.join_next().await.is_some() {} })
        .await
        .is_err()
    {
        tracing::warn!(
            "running work did not finish within {}; stopping anyway",
            humantime::format_duration(grace)
        );
        work.abort_all();
    }
    let state = Arc::try_unwrap(state.0);
    if let Ok(shared) = state {
        shared.webhooks.shutdown(Duration::from_secs(5)).await;
        shared.store.close().await;
    }
    Ok(())
}
