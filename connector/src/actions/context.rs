//! What every action needs: the signed-in site, the store, and who asked.

use std::collections::HashMap;

use tabgov_mapping::{Group, GroupId, SiteLuid, UserId};
use tabgov_state::{SiteKey, Store};

use super::{ActionOptions, BatchProgress, BatchStage};
use crate::site_lock::{SiteLock, DEFAULT_LOCK_WAIT};
use crate::transport::Transport;
use crate::{Error, Result};

/// A signed-in site, its store and the batch's options.
#[derive(Debug)]
pub struct ActionContext<'a> {
    pub(crate) transport: &'a Transport,
    pub(crate) store: &'a Store,
    /// The store's key of the site; `None` only in a dry run on a site this
    /// store has never seen (a dry run adds no site row).
    pub(crate) site: Option<SiteKey>,
    pub(crate) opts: ActionOptions,
    /// The site's LUID, for API paths.
    pub(crate) site_luid: SiteLuid,
    /// The account tabgov signs in with: never acted on.
    pub(crate) own_user_id: UserId,
    /// The access-review campaign and reviewer behind the actions, if any
    /// (journalled with every entry; see [`ActionContext::for_review`]).
    pub(crate) campaign: Option<String>,
    pub(crate) reviewer: Option<String>,
    /// The site's groups by id, listed on first use (see [`groups_of`]).
    ///
    /// [`groups_of`]: super::suspend::groups_of
    pub(crate) site_groups: tokio::sync::OnceCell<HashMap<GroupId, Group>>,
    /// The site's lock, held for the whole batch (not in a dry run): no
    /// sync lists the site and no other action acts on it meanwhile.
    _lock: Option<SiteLock>,
    /// Told how far a batch is, when a caller shows progress.
    progress: Option<BatchProgress>,
}

impl<'a> ActionContext<'a> {
    /// Prepares actions on the site `transport` is signed in to. A real run
    /// adds the site to the store when it was never synced, so its journal
    /// has a home, and takes the site's lock, waiting for a running sync or
    /// action (see [`SiteLock::acquire_waiting`]); a dry run only looks the
    /// site up.
    pub async fn new(
        transport: &'a Transport,
        store: &'a Store,
        opts: ActionOptions,
    ) -> Result<ActionContext<'a>> {
        ActionContext::with_lock(transport, store, opts, None).await
    }

    /// Like [`ActionContext::new`], using `lock` when the caller already
    /// took it, as a command does before signing in (a second sign-in with
    /// the same PAT would end a running sync's session).
    pub async fn with_lock(
        transport: &'a Transport,
        store: &'a Store,
        opts: ActionOptions,
        lock: Option<SiteLock>,
    ) -> Result<ActionContext<'a>> {
        let lock = match lock {
            Some(lock) => Some(lock),
            None if opts.dry_run => None,
            None => {
                let options = transport.options();
                Some(
                    SiteLock::acquire_waiting(
                        store,
                        &options.server,
                        &options.site,
                        DEFAULT_LOCK_WAIT,
                    )
                    .await?,
                )
            }
        };
        ActionContext::build(transport, store, opts, lock).await
    }

    async fn build(
        transport: &'a Transport,
        store: &'a Store,
        opts: ActionOptions,
        lock: Option<SiteLock>,
    ) -> Result<ActionContext<'a>> {
        let server = transport.options().server.clone();
        let content_url = transport.options().site.clone();
        let site_luid = transport.site_id().clone();
        let site = if opts.dry_run {
            store
                .find_site(Some(&server), &content_url)
                .await?
                .map(|s| s.key)
        } else {
            Some(
                store
                    .upsert_site(&server, &content_url, Some(site_luid.as_str()))
                    .await?,
            )
        };
        if let (Some(lock), Some(site)) = (&lock, site) {
            if lock.site() != site {
                return Err(Error::Internal(format!(
                    "the site lock is for another site than {server} {content_url:?}"
                )));
            }
        }
        Ok(ActionContext {
            transport,
            store,
            site,
            opts,
            site_luid,
            own_user_id: transport.user_id().clone(),
            campaign: None,
            reviewer: None,
            site_groups: tokio::sync::OnceCell::new(),
            _lock: lock,
            progress: None,
        })
    }

    /// Marks every action of this context as carrying out an access
    /// review's decisions: the journal names the campaign and the reviewer.
    pub fn for_review(mut self, campaign: Option<String>, reviewer: Option<String>) -> Self {
        self.campaign = campaign;
        self.reviewer = reviewer;
        self
    }

    /// Reports each target checked and acted on to `progress`.
    pub fn with_progress(mut self, progress: BatchProgress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Tells the progress hook, if any, that `done` of `total` are through `stage`.
    pub(crate) fn report_progress(&self, stage: BatchStage, done: usize, total: usize) {
        if let Some(p) = &self.progress {
            p.report(stage, done, total);
        }
    }

    /// The store's key of the site, when it has a row.
    pub fn site_key(&self) -> Option<SiteKey> {
        self.site
    }

    /// The batch's options.
    pub fn options(&self) -> &ActionOptions {
        &self.opts
    }

    /// Names the store knows for the groups `ids`: the journal keeps group
    /// ids, and a group the user already left is no longer in their Tableau
    /// listing. Reads only those groups, not the site's memberships.
    pub(crate) async fn stored_group_names(
        &self,
        ids: &[GroupId],
    ) -> Result<HashMap<GroupId, String>> {
        let Some(site) = self.site else {
            return Ok(HashMap::new());
        };
        Ok(self.store.group_names(site, ids).await?)
    }
}
