//! The first sync of a site: written while it is listed.
//!
//! With nothing stored to compare against, every listed account has
//! joined, so each listing can go to the store as soon as it is complete,
//! in its own short transaction; readers do not see any of it before the
//! run succeeds (docs/store.md, "Published sites"). On a site of 20,000
//! users this hides nearly all of the store's work behind Tableau's
//! latency instead of adding it after the last page.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tabgov_mapping::{Account, GroupId, OwnedItem, UserId};
use tabgov_state::{ApplySummary, RunOutcome, SyncWriter};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use super::list::{list_site, ListingPart};
use super::task::OwnTask;
use super::{record_failure, sign_out_if, traffic, Synced};
use crate::transport::Transport;
use crate::Result;

/// Owned items written per transaction, at most (about a tenth of a second
/// of SQLite's time): the write lock is never held for long.
const ROWS_PER_TRANSACTION: usize = 10_000;

/// Accounts (each with its `joined` event) written per transaction, at most:
/// about a quarter of a second of SQLite's time. Each commit has a fixed
/// cost; on a 100k-user site 5k per transaction took 0.2 s more in all.
const ACCOUNTS_PER_TRANSACTION: usize = 20_000;

/// Memberships written per transaction, at most. Each transaction rewrites
/// most pages of the `(account_key)` index, which it fills out of order, so
/// fewer, larger ones write less. 50k (integer keys) hold the write lock for
/// about a tenth of a second.
const MEMBERSHIPS_PER_TRANSACTION: usize = 50_000;

/// What the first sync wrote.
#[derive(Debug, Default)]
struct FirstSyncWrite {
    summary: ApplySummary,
    /// Memberships and items naming a user the user listing did not return.
    dangling: u64,
}

/// Lists the site while writing it, then publishes it with the run record.
/// On failure the run is recorded as failed and the rows written so far are
/// removed again.
pub async fn first_sync(
    transport: &Transport,
    mut writer: SyncWriter,
    sign_out: bool,
) -> Result<Synced> {
    if let Err(e) = writer.clear_unpublished().await {
        return Err(record_failure(writer, e.into(), &transport.stats()).await);
    }
    let (parts, received) = unbounded_channel();
    let failed = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&failed);
    let writing = OwnTask::spawn(async move {
        let written = write_as_listed(&mut writer, received, &stop).await;
        (writer, written)
    });
    let listed = list_site(transport, parts).await;
    let stats = transport.stats();
    if listed.is_err() {
        failed.store(true, Ordering::Relaxed);
    }
    sign_out_if(transport, sign_out).await;
    let (writer, written) = writing.join().await?;
    // The writer's own error first: a listing stopped because the writer
    // did would only say that.
    let done = match written.and_then(|done| listed.map(|()| done)) {
        Ok(done) => done,
        Err(e) => return Err(record_failure(writer, e, &stats).await),
    };
    let outcome = RunOutcome {
        finished_at: Utc::now(),
        counts: done.summary.counts,
        traffic: traffic(&stats),
    };
    writer.finish(&outcome).await?;
    Ok(Synced {
        summary: done.summary,
        dangling: done.dangling,
        transport: stats,
    })
}

/// Writes the parts of a first sync as they arrive, until the channel
/// closes or `stop` is set (the listing failed; what was written is then
/// unpublished leftovers the failed run removes).
async fn write_as_listed(
    out: &mut SyncWriter,
    mut parts: UnboundedReceiver<ListingPart>,
    stop: &AtomicBool,
) -> Result<FirstSyncWrite> {
    let mut writer = Writer {
        users: None,
        waiting: Vec::new(),
        done: FirstSyncWrite::default(),
    };
    while let Some(part) = parts.recv().await {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let mut batch = vec![part];
        while let Ok(more) = parts.try_recv() {
            batch.push(more);
        }
        writer.write(out, batch).await?;
    }
    Ok(writer.done)
}

struct Writer {
    /// Ids of the listed users, once the user listing is in: memberships
    /// and owned items wait for it, since those naming anyone else are left
    /// out.
    users: Option<HashSet<UserId>>,
    waiting: Vec<ListingPart>,
    done: FirstSyncWrite,
}

impl Writer {
    async fn write(&mut self, out: &mut SyncWriter, batch: Vec<ListingPart>) -> Result<()> {
        let mut memberships: Vec<(GroupId, UserId)> = Vec::new();
        let mut owned: Vec<OwnedItem> = Vec::new();
        for part in batch {
            match part {
                ListingPart::Users(accounts) => {
                    let users: HashSet<UserId> = accounts.iter().map(|a| a.id.clone()).collect();
                    self.write_accounts(out, accounts, Utc::now()).await?;
                    for part in std::mem::take(&mut self.waiting) {
                        self.done.dangling += admit(&users, part, &mut memberships, &mut owned);
                    }
                    self.users = Some(users);
                }
                ListingPart::Groups(groups) => {
                    let refs: Vec<_> = groups.iter().collect();
                    out.write_groups(&refs).await?;
                    self.done.summary.counts.groups = groups.len() as u64;
                    self.done.summary.groups_written = groups.len() as u64;
                }
                part => match &self.users {
                    Some(users) => {
                        self.done.dangling += admit(users, part, &mut memberships, &mut owned)
                    }
                    None => self.waiting.push(part),
                },
            }
        }
        self.write_memberships(out, memberships).await?;
        self.write_owned(out, owned).await
    }

    async fn write_accounts(
        &mut self,
        out: &mut SyncWriter,
        mut accounts: Vec<Account>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        // In primary-key order; the change feed lists them by id too.
        accounts.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        for chunk in accounts.chunks(ACCOUNTS_PER_TRANSACTION) {
            let refs: Vec<&Account> = chunk.iter().collect();
            out.write_joined_accounts(&refs, now).await?;
        }
        let s = &mut self.done.summary;
        s.counts.users = accounts.len() as u64;
        s.counts.joined = s.counts.users;
        s.accounts_written = s.counts.users;
        s.events = s.counts.users;
        Ok(())
    }

    async fn write_memberships(
        &mut self,
        out: &mut SyncWriter,
        memberships: Vec<(GroupId, UserId)>,
    ) -> Result<()> {
        // The store puts each chunk in key order itself.
        for chunk in memberships.chunks(MEMBERSHIPS_PER_TRANSACTION) {
            let pairs: Vec<(&str, &str)> = chunk
                .iter()
                .map(|(g, u)| (g.as_str(), u.as_str()))
                .collect();
            out.write_memberships(&pairs).await?;
        }
        self.done.summary.counts.memberships += memberships.len() as u64;
        self.done.summary.memberships_added = self.done.summary.counts.memberships;
        Ok(())
    }

    async fn write_owned(&mut self, out: &mut SyncWriter, owned: Vec<OwnedItem>) -> Result<()> {
        for chunk in owned.chunks(ROWS_PER_TRANSACTION) {
            let refs: Vec<&OwnedItem> = chunk.iter().collect();
            out.write_owned_items(&refs).await?;
        }
        self.done.summary.owned_written += owned.len() as u64;
        Ok(())
    }
}

/// Moves a membership or content part into what a batch writes, leaving out
/// anything that names a user not in `users`; returns how many were left out.
fn admit(
    users: &HashSet<UserId>,
    part: ListingPart,
    memberships: &mut Vec<(GroupId, UserId)>,
    owned: &mut Vec<OwnedItem>,
) -> u64 {
    let before = memberships.len() + owned.len();
    let offered = match part {
        ListingPart::Members { group_id, user_ids } => {
            let offered = user_ids.len();
            memberships.extend(
                user_ids
                    .into_iter()
                    .filter(|id| users.contains(id))
                    .map(|id| (group_id.clone(), id)),
            );
            offered
        }
        ListingPart::Owned(items) => {
            let offered = items.len();
            owned.extend(items.into_iter().filter(|i| users.contains(&i.owner_id)));
            offered
        }
        ListingPart::Users(_) | ListingPart::Groups(_) => 0,
    };
    (offered - (memberships.len() + owned.len() - before)) as u64
}
