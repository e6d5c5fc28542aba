//! What the store answers: sites, accounts, groups, the change feed, runs
//! and the journal. Readers see only published sites (a first sync that has
//! not finished is invisible).

use std::collections::HashMap;

use tabgov_mapping::{GroupId, UserId};

use crate::backend::on_engine;
use crate::{
    AccountFilter, AccountRecord, ChangeFilter, ChangeRecord, GroupCursor, GroupRecord,
    IntentTarget, JournalAction, JournalEntry, JournalFilter, LatestRuns, Result, RunId, RunRecord,
    SiteKey, SiteRecord, Store,
};

impl Store {
    /// Adds the site if new and returns its key; a known site keeps its key
    /// and takes `site_luid` when one is given.
    pub async fn upsert_site(
        &self,
        server: &str,
        content_url: &str,
        site_luid: Option<&str>,
    ) -> Result<SiteKey> {
        on_engine!(&self.pool, |db, sql| sql::site::upsert(
            db,
            server,
            content_url,
            site_luid
        )
        .await)
    }

    /// Finds a site by content URL, on `server` if given. Without a server,
    /// a content URL known on several servers is
    /// [`Error::AmbiguousSite`](crate::Error::AmbiguousSite).
    pub async fn find_site(
        &self,
        server: Option<&str>,
        content_url: &str,
    ) -> Result<Option<SiteRecord>> {
        on_engine!(&self.pool, |db, sql| sql::site::find(
            db,
            server,
            content_url
        )
        .await)
    }

    /// The site with this key, if any.
    pub async fn site(&self, key: SiteKey) -> Result<Option<SiteRecord>> {
        on_engine!(&self.pool, |db, sql| sql::site::get(db, key).await)
    }

    /// Every known site, by server then content URL.
    pub async fn list_sites(&self) -> Result<Vec<SiteRecord>> {
        on_engine!(&self.pool, |db, sql| sql::site::list(db).await)
    }

    /// Removes a site that nothing was ever recorded for (no run, account or
    /// journal entry): a sync or action that failed before its first write
    /// (a mistyped `--site`, a wrong token) leaves the store as it was.
    /// Returns whether the row was removed.
    pub async fn forget_unused_site(&self, key: SiteKey) -> Result<bool> {
        on_engine!(&self.pool, |db, sql| sql::site::forget_unused(db, key)
            .await)
    }

    /// Accounts of published sites matching `filter`, by site, name and id,
    /// each with its group names and owned-content counts.
    pub async fn list_accounts(&self, filter: &AccountFilter) -> Result<Vec<AccountRecord>> {
        on_engine!(&self.pool, |db, sql| sql::accounts::list_accounts(
            db, filter
        )
        .await)
    }

    /// One account by Tableau id.
    pub async fn account(&self, site: SiteKey, id: &UserId) -> Result<Option<AccountRecord>> {
        on_engine!(&self.pool, |db, sql| sql::accounts::account(
            db,
            site,
            id.as_str()
        )
        .await)
    }

    /// Accounts of `site` whose id, name or email (case-insensitively) is
    /// `query`; current accounts first.
    pub async fn find_accounts(&self, site: SiteKey, query: &str) -> Result<Vec<AccountRecord>> {
        on_engine!(&self.pool, |db, sql| sql::accounts::find_accounts(
            db, site, query
        )
        .await)
    }

    /// How many accounts of `site` are not deprovisioned.
    pub async fn count_site_accounts(&self, site: SiteKey) -> Result<u64> {
        on_engine!(&self.pool, |db, sql| sql::accounts::count_site_accounts(
            db, site
        )
        .await)
    }

    /// The site's groups (not removed), by name, with their members.
    pub async fn list_groups(&self, site: SiteKey) -> Result<Vec<GroupRecord>> {
        on_engine!(&self.pool, |db, sql| sql::groups::list_groups(
            db,
            site,
            sql::groups::Which::All
        )
        .await)
    }

    /// Up to `limit` of the site's groups (not removed) after `after` in
    /// the order of [`Store::list_groups`] (name, id), with their members:
    /// one page; the next starts after the last group returned.
    pub async fn list_groups_page(
        &self,
        site: SiteKey,
        after: Option<&GroupCursor>,
        limit: u32,
    ) -> Result<Vec<GroupRecord>> {
        on_engine!(&self.pool, |db, sql| sql::groups::list_groups(
            db,
            site,
            sql::groups::Which::Page(after, limit)
        )
        .await)
    }

    /// Every group the site still has as (id, name), by name, without
    /// members: what turns an account's group names into references.
    pub async fn group_index(&self, site: SiteKey) -> Result<Vec<(GroupId, String)>> {
        on_engine!(&self.pool, |db, sql| sql::groups::group_index(db, site)
            .await)
    }

    /// The members still on the site of one live group, as (user id,
    /// sign-in name), by name.
    pub async fn group_members(
        &self,
        site: SiteKey,
        group: &GroupId,
    ) -> Result<Vec<(UserId, String)>> {
        on_engine!(&self.pool, |db, sql| sql::groups::group_members(
            db, site, group
        )
        .await)
    }

    /// The live groups among `ids`, by name, with their members: what one
    /// group's read costs, not the site's.
    pub async fn groups_by_id(&self, site: SiteKey, ids: &[GroupId]) -> Result<Vec<GroupRecord>> {
        on_engine!(&self.pool, |db, sql| sql::groups::list_groups(
            db,
            site,
            sql::groups::Which::Ids(ids)
        )
        .await)
    }

    /// The names of the groups with these ids that the site still has.
    pub async fn group_names(
        &self,
        site: SiteKey,
        ids: &[GroupId],
    ) -> Result<HashMap<GroupId, String>> {
        on_engine!(&self.pool, |db, sql| sql::groups::group_names(
            db, site, ids
        )
        .await)
    }

    /// The change feed, oldest first (in the order each run wrote it).
    pub async fn list_changes(&self, filter: &ChangeFilter) -> Result<Vec<ChangeRecord>> {
        on_engine!(&self.pool, |db, sql| sql::feed::list_changes(db, filter)
            .await)
    }

    /// Up to `limit` events of the change feed with ids above `after` (from
    /// the start without it), of `site` or of every site, by id: a poller
    /// that asks again with the last id it got never misses an event, and
    /// never gets one twice. Events commit in id order on both engines,
    /// and a first sync's events take ids after every other when it is
    /// published.
    pub async fn changes_after(
        &self,
        after: Option<i64>,
        limit: u32,
        site: Option<SiteKey>,
    ) -> Result<Vec<ChangeRecord>> {
        on_engine!(&self.pool, |db, sql| sql::feed::changes_after(
            db, after, limit, site
        )
        .await)
    }

    /// Runs, newest first, of one site or of all.
    pub async fn list_runs(&self, site: Option<SiteKey>) -> Result<Vec<RunRecord>> {
        on_engine!(&self.pool, |db, sql| sql::run::list(db, site).await)
    }

    /// A site's newest run and newest success, for health checks.
    pub async fn latest_runs(&self, site: SiteKey) -> Result<LatestRuns> {
        on_engine!(&self.pool, |db, sql| sql::run::latest(db, site).await)
    }

    /// One run by id.
    pub async fn run(&self, run_id: RunId) -> Result<Option<RunRecord>> {
        on_engine!(&self.pool, |db, sql| sql::run::get(db, run_id).await)
    }

    /// Journal entries matching `filter`, oldest first.
    pub async fn journal_list(&self, filter: &JournalFilter) -> Result<Vec<JournalEntry>> {
        on_engine!(&self.pool, |db, sql| sql::journal::journal_list(db, filter)
            .await)
    }

    /// The newest open intent (not a dry run) of `action` on the user: an
    /// attempt that died between its intent and its outcome.
    pub async fn journal_open_intent(
        &self,
        site: SiteKey,
        user_id: &UserId,
        action: &JournalAction,
    ) -> Result<Option<JournalEntry>> {
        on_engine!(&self.pool, |db, sql| sql::journal::journal_open_intent(
            db, site, user_id, action
        )
        .await)
    }

    /// The newest open intent (not a dry run) of `action` about `target`:
    /// a user being added (by name) or a group (by LUID, or by name while
    /// it is being created).
    pub async fn journal_open_intent_for(
        &self,
        site: SiteKey,
        action: &JournalAction,
        target: IntentTarget<'_>,
    ) -> Result<Option<JournalEntry>> {
        on_engine!(&self.pool, |db, sql| sql::journal::journal_open_intent_for(
            db, site, action, target
        )
        .await)
    }

    /// The newest completed suspend (not a dry run) of the user: what a
    /// restore puts back.
    pub async fn journal_last_suspend(
        &self,
        site: SiteKey,
        user_id: &UserId,
    ) -> Result<Option<JournalEntry>> {
        on_engine!(&self.pool, |db, sql| sql::journal::journal_last_suspend(
            db, site, user_id
        )
        .await)
    }
}
