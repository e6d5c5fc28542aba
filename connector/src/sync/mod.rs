//! `tabgov sync`: a complete listing of the site, diffed against the
//! previous snapshot, written with its change feed and run record in one
//! transaction (a site's first sync is written as it is listed, see
//! `first`). A failed listing or a refused diff changes nothing but the
//! run record.

mod collect;
mod first;
mod list;
mod resync;
mod task;

use std::time::Instant;

use serde::Serialize;
use tabgov_mapping::DEFAULT_MAX_REMOVAL_PERCENT;
use tabgov_state::{ApplySummary, RunId, RunStatus, RunTraffic, Store, SyncWriter};

use crate::site_lock::SiteLock;
use crate::transport::{Transport, TransportStats};
use crate::{Error, Result};

pub use collect::{collect_site, SiteListing};

/// How a sync may change the store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncOptions {
    /// Refuse when more than this share of active accounts would vanish.
    pub max_removal_percent: f64,
    /// Proceed even past `max_removal_percent`.
    pub allow_mass_removal: bool,
    /// Sign out as soon as the listing is complete, while the store is
    /// written, instead of leaving that to the caller: one round trip less
    /// for a command that has nothing else to ask Tableau.
    pub sign_out_when_listed: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            max_removal_percent: DEFAULT_MAX_REMOVAL_PERCENT,
            allow_mass_removal: false,
            sign_out_when_listed: false,
        }
    }
}

/// What one successful sync did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub run_id: RunId,
    pub server: String,
    pub site: String,
    pub summary: ApplySummary,
    pub transport: TransportStats,
    /// Memberships and items naming users the listing did not return.
    pub dangling: u64,
    pub seconds: f64,
}

/// Syncs the site `transport` is signed in to into `store`; `lock` must be
/// that site's (taken with [`SiteLock::acquire`] before signing in).
///
/// The run is recorded `running` first, then `succeeded` together with the
/// snapshot, or `failed`/`refused` with nothing else changed.
pub async fn sync_site(
    transport: &Transport,
    store: &Store,
    lock: &SiteLock,
    opts: &SyncOptions,
) -> Result<SyncReport> {
    let started = Instant::now();
    let server = transport.options().server.clone();
    let content_url = transport.options().site.clone();
    let site_luid = transport.site_id();
    let site = store
        .upsert_site(&server, &content_url, Some(site_luid.as_str()))
        .await?;
    if site != lock.site() {
        return Err(Error::Internal(format!(
            "the sync lock is for another site than {server} {content_url:?}"
        )));
    }
    let writer = store.begin_sync(lock.held()).await?;
    let run_id = writer.run_id();
    let sign_out = opts.sign_out_when_listed;
    let synced = if writer.is_first() {
        first::first_sync(transport, writer, sign_out).await?
    } else {
        resync::resync(transport, writer, opts, sign_out).await?
    };
    Ok(SyncReport {
        run_id,
        server,
        site: content_url,
        summary: synced.summary,
        transport: synced.transport,
        dangling: synced.dangling,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// What either kind of sync did.
struct Synced {
    summary: ApplySummary,
    dangling: u64,
    /// The transport's counters when the listing ended, before any sign-out.
    transport: TransportStats,
}

/// Ends `writer`'s run as the sync's error `e` says (refused by the
/// mass-removal guard, else failed) and returns `e`. Recording can fail
/// too; the sync's own error says more, and the next sync marks the run.
async fn record_failure(writer: SyncWriter, e: Error, stats: &TransportStats) -> Error {
    let status = match e {
        Error::MassRemovalRefused(_) => RunStatus::Refused,
        _ => RunStatus::Failed,
    };
    if let Err(record) = writer.fail(status, &e.to_string(), traffic(stats)).await {
        tracing::warn!("could not record the run as {status:?}: {record}");
    }
    e
}

/// The part of the transport's counters a run record keeps.
fn traffic(stats: &TransportStats) -> RunTraffic {
    RunTraffic {
        pages: stats.pages,
        requests: stats.requests,
        retries: stats.retries,
    }
}

/// Ends the session once the listing is done, if asked to; a failure to
/// sign out only warns, as the sync itself is unaffected.
async fn sign_out_if(transport: &Transport, wanted: bool) {
    if wanted {
        if let Err(e) = transport.sign_out().await {
            tracing::warn!("sign-out failed: {e}");
        }
    }
}
