//! The one writer of a sync: [`Store::begin_sync`] records the run, then
//! the listing is written as it arrives (a site's first sync) or as one
//! difference (a re-sync), and [`SyncWriter::finish`] or
//! [`SyncWriter::publish_difference`] publishes it with the run record.
//! A writer dropped unfinished records its run as failed.
//!
//! A writer is begun only under the site's lock ([`HeldSiteLock`]), and
//! every other writer of a site's rows (the actions) takes the same lock:
//! the snapshot a re-sync reads while it lists is therefore still the
//! stored one when it writes the difference.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tabgov_mapping::{Account, Change, Group, OwnedItem, SiteSnapshot};

use crate::backend::{in_write_tx, on_conn, on_engine, Conn};
use crate::{
    ApplySummary, HeldSiteLock, Result, RunId, RunOutcome, RunStatus, RunTraffic, SiteKey, Store,
};

/// A sync of one site being written; see the module documentation.
#[derive(Debug)]
pub struct SyncWriter {
    /// The connection every write of the sync goes through (an in-memory
    /// store has only one); taken by whichever ending comes first.
    conn: Option<Conn>,
    site: SiteKey,
    run_id: RunId,
    published: bool,
    /// The page cache to restore, after a first sync's bulk writes.
    cache_before: Option<i64>,
    /// The keys of the accounts and groups written so far, by LUID, which
    /// a first sync's memberships are written with.
    keys: Option<Keys>,
}

/// Account and group keys by LUID.
#[derive(Debug, Default)]
struct Keys {
    accounts: HashMap<String, i64>,
    groups: HashMap<String, i64>,
}

impl Keys {
    /// The (group key, account key) of a pair, if both were written.
    fn of(&self, (group, user): (&str, &str)) -> Option<(i64, i64)> {
        Some((*self.groups.get(group)?, *self.accounts.get(user)?))
    }
}

/// What a re-sync found: the stored snapshot it was diffed against, the
/// listed one, their difference and the complete content listing.
#[derive(Debug, Clone, Copy)]
pub struct Difference<'a> {
    pub previous: &'a SiteSnapshot,
    pub next: &'a SiteSnapshot,
    pub changes: &'a [Change],
    /// Every owned item listed: stored items not in it are deleted.
    pub owned: &'a [OwnedItem],
}

impl Store {
    /// Starts a sync of the site `lock` holds: records a `running` run (a
    /// run of the site still `running` belonged to a process that died, and
    /// is marked `interrupted`) and takes the connection the sync writes on.
    pub async fn begin_sync(&self, lock: &HeldSiteLock) -> Result<SyncWriter> {
        let site = lock.site();
        let run_id = on_engine!(&self.pool, |db, sql| sql::run::begin(db, site).await)?;
        let mut conn = self.pool.acquire().await?;
        let published = on_conn!(&mut conn, |c, sql| sql::first_sync::is_published(c, site)
            .await)?;
        let mut writer = SyncWriter {
            conn: None,
            site,
            run_id,
            published,
            cache_before: None,
            keys: None,
        };
        if !published {
            writer.cache_before = Some(on_conn!(&mut conn, |c, sql| {
                sql::first_sync::bulk_cache(c).await
            })?);
        }
        writer.conn = Some(conn);
        Ok(writer)
    }
}

impl SyncWriter {
    /// The run this sync is recorded as.
    pub fn run_id(&self) -> RunId {
        self.run_id
    }

    /// The site being synced.
    pub fn site(&self) -> SiteKey {
        self.site
    }

    /// Whether no sync of the site has succeeded yet: its listing is then
    /// written as it arrives, unpublished until [`SyncWriter::finish`].
    pub fn is_first(&self) -> bool {
        !self.published
    }

    fn conn(&mut self) -> &mut Conn {
        // Only the endings, which consume the writer, take it.
        self.conn
            .as_mut()
            .expect("the connection of a sync in progress")
    }

    /// Removes what an unfinished first sync of the site left; nothing on a
    /// published site. Returns how many rows went.
    pub async fn clear_unpublished(&mut self) -> Result<u64> {
        let site = self.site;
        in_write_tx!(self.conn(), |tx, sql| {
            sql::first_sync::clear_unpublished(&mut tx, site).await?
        })
    }

    /// First sync: writes listed accounts, each with its `joined` event, in
    /// one transaction; `now` is when they were first seen.
    pub async fn write_joined_accounts(
        &mut self,
        accounts: &[&Account],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (site, run_id) = (self.site, self.run_id);
        in_write_tx!(self.conn(), |tx, sql| {
            sql::first_sync::write_joined_accounts(&mut tx, site, run_id, accounts, now).await?
        })
    }

    /// First sync: writes listed groups in one transaction.
    pub async fn write_groups(&mut self, groups: &[&Group]) -> Result<()> {
        let (site, run_id) = (self.site, self.run_id);
        in_write_tx!(self.conn(), |tx, sql| {
            sql::first_sync::write_groups(&mut tx, site, run_id, groups).await?
        })
    }

    /// First sync: writes (group id, user id) memberships in one
    /// transaction. Their accounts and groups must have been written
    /// first: a pair naming one that was not is left out.
    pub async fn write_memberships(&mut self, memberships: &[(&str, &str)]) -> Result<()> {
        let site = self.site;
        // Read once, and again when a batch names a group or account
        // written since.
        let known = |keys: &Option<Keys>| {
            keys.as_ref()
                .is_some_and(|k| memberships.iter().all(|p| k.of(*p).is_some()))
        };
        if !known(&self.keys) {
            let (accounts, groups) =
                on_conn!(self.conn(), |c, sql| sql::memberships::keys(c, site).await)?;
            self.keys = Some(Keys { accounts, groups });
        }
        let mut keys: Vec<(i64, i64)> = match &self.keys {
            Some(k) => memberships.iter().filter_map(|p| k.of(*p)).collect(),
            None => Vec::new(),
        };
        keys.sort_unstable();
        in_write_tx!(self.conn(), |tx, sql| {
            sql::first_sync::write_memberships(&mut tx, site, &keys).await?
        })
    }

    /// First sync: writes owned content items in one transaction.
    pub async fn write_owned_items(&mut self, items: &[&OwnedItem]) -> Result<()> {
        let site = self.site;
        in_write_tx!(self.conn(), |tx, sql| {
            sql::first_sync::write_owned_items(&mut tx, site, items).await?
        })
    }

    /// Re-sync: the stored snapshot of the site, read in one transaction.
    pub async fn load_snapshot(&mut self) -> Result<SiteSnapshot> {
        let site = self.site;
        on_conn!(self.conn(), |c, sql| async {
            let mut tx = sqlx::Connection::begin(c).await?;
            let snapshot = sql::snapshot::load(&mut tx, site).await?;
            tx.commit().await?;
            Ok(snapshot)
        }
        .await)
    }

    /// First sync: publishes everything written, with the run record. Its
    /// `joined` events move after any event written meanwhile, so a reader
    /// of the feed that is already past them still gets them.
    pub async fn finish(mut self, outcome: &RunOutcome) -> Result<()> {
        let run_id = self.run_id;
        let mut conn = self.take_conn().await;
        in_write_tx!(&mut conn, |tx, sql| {
            sql::feed::move_run_to_end(&mut tx, run_id).await?;
            sql::run::finish(&mut tx, run_id, outcome).await?
        })
    }

    /// Re-sync: writes `difference` (accounts, groups, memberships, owned
    /// content and the change feed) with the run record, in one
    /// transaction, and returns what was written. Nothing is written if it
    /// fails.
    pub async fn publish_difference(
        mut self,
        difference: Difference<'_>,
        traffic: RunTraffic,
        now: DateTime<Utc>,
    ) -> Result<ApplySummary> {
        let (site, run_id) = (self.site, self.run_id);
        let mut conn = self.take_conn().await;
        in_write_tx!(&mut conn, |tx, sql| {
            let summary = sql::apply::apply_sync(&mut tx, site, run_id, difference, now).await?;
            let outcome = RunOutcome {
                finished_at: now,
                counts: summary.counts,
                traffic,
            };
            sql::run::finish(&mut tx, run_id, &outcome).await?;
            summary
        })
    }

    /// Ends the run as `failed` or `refused` with `error` and the traffic
    /// it caused. A first sync's rows are removed first (unpublished rows
    /// are unread; should that fail, the next sync removes them).
    pub async fn fail(mut self, status: RunStatus, error: &str, traffic: RunTraffic) -> Result<()> {
        if !self.published {
            if let Err(e) = self.clear_unpublished().await {
                tracing::warn!("could not remove what the failed first sync wrote: {e}");
            }
        }
        let run_id = self.run_id;
        let mut conn = self.take_conn().await;
        in_write_tx!(&mut conn, |tx, sql| {
            sql::run::fail(&mut tx, run_id, status, error, traffic).await?
        })
    }

    /// The connection, with the page cache a first sync raised put back.
    async fn take_conn(&mut self) -> Conn {
        let conn = self.conn.take().expect("a sync ends once");
        with_cache_restored(conn, self.cache_before.take()).await
    }
}

impl Drop for SyncWriter {
    /// A sync abandoned unfinished (an error that skipped its ending, a
    /// panic, a cancelled task) still ends its run, as failed, on a task of
    /// its own. That task may run after the site's lock was released and a
    /// new sync began, so it only ends the run (and only if it is still
    /// `running`): what a first sync wrote is left for the next first sync,
    /// which clears it before it writes. Without a runtime the next sync of
    /// the site marks the run `interrupted`.
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (run_id, cache_before) = (self.run_id, self.cache_before.take());
        runtime.spawn(async move {
            let reason = "the sync stopped before it finished";
            let mut conn = with_cache_restored(conn, cache_before).await;
            let traffic = RunTraffic::default();
            let ended = in_write_tx!(&mut conn, |tx, sql| {
                sql::run::fail(&mut tx, run_id, RunStatus::Failed, reason, traffic).await?
            });
            match ended {
                // A new sync of the site already marked it interrupted.
                Ok(()) | Err(crate::Error::RunNotRunning { .. }) => {}
                Err(e) => tracing::warn!("could not record the abandoned sync run: {e}"),
            }
        });
    }
}

/// `conn` with the page cache a first sync raised (`cache_before`) put back;
/// a failure only costs memory, so it is logged and the connection kept.
async fn with_cache_restored(mut conn: Conn, cache_before: Option<i64>) -> Conn {
    if let Some(before) = cache_before {
        let restored = on_conn!(&mut conn, |c, sql| sql::first_sync::restore_cache(
            c, before
        )
        .await);
        if let Err(e) = restored {
            tracing::debug!("could not restore the page cache: {e}");
        }
    }
    conn
}
