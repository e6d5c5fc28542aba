//! A sync of a site synced before: the listing is diffed against the stored
//! snapshot and only the difference is written, in one transaction.

use chrono::Utc;
use sqlx::pool::PoolConnection;
use sqlx::{Connection, Sqlite, SqliteConnection};
use tabgov_mapping::{check_snapshot_removal, diff, SiteSnapshot};
use tabgov_state::{
    apply_sync, begin_write, finish_run, load_snapshot, RunId, SiteKey, StoreVersion,
};

use super::task::OwnTask;
use super::{collect::collect_site, run_outcome, sign_out_if, SyncOptions, Synced};
use crate::transport::Transport;
use crate::{Error, Result};

/// Lists the site, checks the mass-removal rail and writes the difference
/// with the change feed and the run record; returns what was written and the
/// dangling count.
///
/// The stored snapshot is read while the site is listed (it only reads);
/// if anything wrote to the store in between, it is read again inside the
/// write transaction.
pub async fn resync(
    transport: &Transport,
    mut conn: PoolConnection<Sqlite>,
    site: SiteKey,
    run_id: RunId,
    opts: &SyncOptions,
    sign_out: bool,
) -> Result<Synced> {
    let reading = OwnTask::spawn(async move {
        let read = read_previous(&mut conn, site).await;
        (conn, read)
    });
    let listing = collect_site(transport).await?;
    let stats = transport.stats();
    let (mut conn, read) = reading.join().await?;
    let (mut previous, version) = read?;
    let (written, ()) = tokio::join!(
        async {
            let mut tx = begin_write(&mut conn).await?;
            if StoreVersion::read(&mut tx).await? != version {
                previous = load_snapshot(&mut tx, site).await?;
            }
            refuse_mass_removal(&previous, &listing.snapshot, opts)?;
            let now = Utc::now();
            let changes = diff(&previous, &listing.snapshot);
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
            finish_run(&mut tx, run_id, &run_outcome(&summary, &stats, now)).await?;
            tx.commit().await.map_err(tabgov_state::Error::from)?;
            Ok(summary)
        },
        sign_out_if(transport, sign_out),
    );
    written.map(|summary| Synced {
        summary,
        dangling: listing.dangling,
        transport: stats,
    })
}

/// The stored snapshot, read in one read transaction, and the store's
/// version before it.
async fn read_previous(
    conn: &mut SqliteConnection,
    site: SiteKey,
) -> Result<(SiteSnapshot, StoreVersion)> {
    let version = StoreVersion::read(conn).await?;
    let mut tx = conn.begin().await.map_err(tabgov_state::Error::from)?;
    let previous = load_snapshot(&mut tx, site).await?;
    tx.commit().await.map_err(tabgov_state::Error::from)?;
    Ok((previous, version))
}

/// Refuses a sync that would mark more active accounts deprovisioned than
/// the options allow.
fn refuse_mass_removal(
    previous: &SiteSnapshot,
    next: &SiteSnapshot,
    opts: &SyncOptions,
) -> Result<()> {
    match check_snapshot_removal(previous, next, opts.max_removal_percent) {
        Ok(()) => Ok(()),
        Err(mass) if opts.allow_mass_removal => {
            tracing::warn!("{mass}; proceeding because --allow-mass-removal was given");
            Ok(())
        }
        Err(mass) => Err(Error::MassRemovalRefused(mass)),
    }
}
