//! A sync of a site synced before: the listing is diffed against the stored
//! snapshot and only the difference is written, in one transaction.

use chrono::Utc;
use tabgov_mapping::{check_snapshot_removal, diff, SiteSnapshot};
use tabgov_state::{Difference, SyncWriter};

use super::task::OwnTask;
use super::{collect::collect_site, record_failure, sign_out_if, traffic, SyncOptions, Synced};
use crate::transport::Transport;
use crate::{Error, Result};

/// Lists the site, checks the mass-removal rail and writes the difference
/// with the change feed and the run record; returns what was written and the
/// dangling count. On failure the run is recorded as failed or refused.
///
/// The stored snapshot is read while the site is listed: the site lock the
/// writer was begun under keeps every other writer of the site's rows out
/// until the difference is written.
pub async fn resync(
    transport: &Transport,
    mut writer: SyncWriter,
    opts: &SyncOptions,
    sign_out: bool,
) -> Result<Synced> {
    let reading = OwnTask::spawn(async move {
        let read = writer.load_snapshot().await;
        (writer, read)
    });
    let listed = collect_site(transport).await;
    let stats = transport.stats();
    let (writer, read) = reading.join().await?;
    let checked = read.map_err(Error::from).and_then(|previous| {
        let listing = listed?;
        refuse_mass_removal(&previous, &listing.snapshot, opts)?;
        Ok((previous, listing))
    });
    let (previous, listing) = match checked {
        Ok(both) => both,
        Err(e) => return Err(record_failure(writer, e, &stats).await),
    };
    let changes = diff(&previous, &listing.snapshot);
    let difference = Difference {
        previous: &previous,
        next: &listing.snapshot,
        changes: &changes,
        owned: &listing.owned,
    };
    let (written, ()) = tokio::join!(
        writer.publish_difference(difference, traffic(&stats), Utc::now()),
        sign_out_if(transport, sign_out),
    );
    Ok(Synced {
        summary: written?,
        dangling: listing.dangling,
        transport: stats,
    })
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
