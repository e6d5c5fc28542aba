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

use chrono::{DateTime, Utc};

use serde::Serialize;
use tabgov_mapping::DEFAULT_MAX_REMOVAL_PERCENT;
use tabgov_state::{
    begin_run, fail_run, is_published, upsert_site, ApplySummary, RunId, RunOutcome, RunStatus,
    RunTraffic, Store,
};

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
    let site = upsert_site(
        store.pool(),
        &server,
        &content_url,
        Some(site_luid.as_str()),
    )
    .await?;
    if site != lock.site() {
        return Err(Error::Internal(format!(
            "the sync lock is for another site than {server} {content_url:?}"
        )));
    }
    let run_id = begin_run(store.pool(), site).await?;
    // One connection for the rest of the sync (an in-memory store has only
    // one), given back before a failed run is recorded.
    let mut conn = store
        .pool()
        .acquire()
        .await
        .map_err(tabgov_state::Error::from)?;
    let published = is_published(&mut conn, site).await?;
    let sign_out = opts.sign_out_when_listed;
    let synced = if published {
        resync::resync(transport, conn, site, run_id, opts, sign_out).await
    } else {
        first::first_sync(transport, conn, site, run_id, sign_out).await
    };
    let synced = match synced {
        Ok(done) => done,
        Err(e) => {
            let status = match e {
                Error::MassRemovalRefused(_) => RunStatus::Refused,
                _ => RunStatus::Failed,
            };
            let traffic = traffic(&transport.stats());
            if let Err(record) =
                fail_run(store.pool(), run_id, status, &e.to_string(), traffic).await
            {
                // The sync's own error says more; the next sync marks the run.
                tracing::warn!("could not record the run as {status:?}: {record}");
            }
            return Err(e);
        }
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

/// The run record of a sync that wrote `summary` after the listing `stats`
/// counted.
fn run_outcome(
    summary: &ApplySummary,
    stats: &TransportStats,
    finished_at: DateTime<Utc>,
) -> RunOutcome {
    RunOutcome {
        finished_at,
        counts: summary.counts,
        traffic: traffic(stats),
    }
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
