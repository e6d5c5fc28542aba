//! `tabgov sync`: a complete listing of the site, diffed against the
//! previous snapshot, written with its change feed and run record in one
//! transaction. A failed listing or a refused diff changes nothing but the
//! run record.

mod fetch;

use std::time::Instant;

use chrono::Utc;
use serde::Serialize;
use tabgov_mapping::{check_mass_removal, diff, AccountStatus, DEFAULT_MAX_REMOVAL_PERCENT};
use tabgov_state::{
    apply_sync, begin_run, fail_run, finish_run, load_snapshot, upsert_site, ApplySummary,
    RunOutcome, RunStatus, SiteKey, Store, SyncLock,
};

use crate::transport::{Transport, TransportStats};
use crate::{Error, Result};

pub use fetch::{fetch_site, SiteListing};

/// How a sync may change the store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncOptions {
    /// Refuse when more than this share of active accounts would vanish.
    pub max_removal_percent: f64,
    /// Proceed even past `max_removal_percent`.
    pub allow_mass_removal: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            max_removal_percent: DEFAULT_MAX_REMOVAL_PERCENT,
            allow_mass_removal: false,
        }
    }
}

/// What one successful sync did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub run_id: i64,
    pub server: String,
    pub site: String,
    pub summary: ApplySummary,
    pub transport: TransportStats,
    /// Memberships and items naming users the listing did not return.
    pub dangling: u64,
    pub seconds: f64,
}

/// The right to sync one site: held from before sign-in (a second sync
/// must not sign in with the same PAT and end the first one's session)
/// until the run is recorded.
#[derive(Debug)]
pub struct SiteLock {
    site: SiteKey,
    _lock: SyncLock,
}

impl SiteLock {
    /// Registers the site if new and takes its sync lock; a second sync of
    /// the same site fails at once with [`tabgov_state::Error::SyncInProgress`].
    pub async fn acquire(store: &Store, server: &str, content_url: &str) -> Result<SiteLock> {
        let site = upsert_site(
            store.pool(),
            server.trim_end_matches('/'),
            content_url,
            None,
        )
        .await?;
        let lock = SyncLock::acquire(store, site)?;
        Ok(SiteLock { site, _lock: lock })
    }

    /// The store's key of the locked site.
    pub fn site(&self) -> SiteKey {
        self.site
    }
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
    let site = upsert_site(store.pool(), &server, &content_url, Some(&site_luid)).await?;
    if site != lock.site {
        return Err(Error::Internal(format!(
            "the sync lock is for another site than {server} {content_url:?}"
        )));
    }
    let run_id = begin_run(store.pool(), site).await?;

    let listing = match fetch_site(transport).await {
        Ok(listing) => listing,
        Err(e) => {
            fail_run(store.pool(), run_id, RunStatus::Failed, &e.to_string()).await?;
            return Err(e);
        }
    };

    let mut tx = store
        .pool()
        .begin()
        .await
        .map_err(tabgov_state::Error::from)?;
    let previous = load_snapshot(&mut tx, site).await?;
    let active_before: Vec<&str> = previous
        .accounts
        .values()
        .filter(|a| a.status() == AccountStatus::Active)
        .map(|a| a.id.as_str())
        .collect();
    let vanished = active_before
        .iter()
        .filter(|id| !listing.snapshot.accounts.contains_key(**id))
        .count();
    if let Err(mass) = check_mass_removal(active_before.len(), vanished, opts.max_removal_percent) {
        if !opts.allow_mass_removal {
            drop(tx);
            let message = format!(
                "sync refused: {mass}; nothing was changed. If the removals are real, rerun with --allow-mass-removal (or raise --max-removal-percent)"
            );
            fail_run(store.pool(), run_id, RunStatus::Refused, &message).await?;
            return Err(Error::Refused(message));
        }
        tracing::warn!("{mass}; proceeding because --allow-mass-removal was given");
    }

    let now = Utc::now();
    let changes = diff(&previous, &listing.snapshot);
    let written = async {
        let summary = apply_sync(
            &mut tx,
            site,
            run_id,
            &previous,
            &listing.snapshot,
            &changes,
            &listing.owned,
            now,
        )
        .await?;
        let stats = transport.stats();
        let outcome = RunOutcome {
            requests: stats.requests,
            retries: stats.retries,
            pages: stats.pages,
            ..RunOutcome::new(&summary, now)
        };
        finish_run(&mut tx, run_id, &outcome).await?;
        Ok::<_, tabgov_state::Error>(summary)
    }
    .await;
    let summary = match written {
        Ok(summary) => {
            tx.commit().await.map_err(tabgov_state::Error::from)?;
            summary
        }
        Err(e) => {
            drop(tx);
            fail_run(store.pool(), run_id, RunStatus::Failed, &e.to_string()).await?;
            return Err(e.into());
        }
    };
    Ok(SyncReport {
        run_id,
        server,
        site: content_url,
        summary,
        transport: transport.stats(),
        dangling: listing.dangling,
        seconds: started.elapsed().as_secs_f64(),
    })
}
