//! The journal side of an action: the intent commits before the Tableau
//! call; the outcome commits after it, in one transaction with the store's
//! account update, so the store never shows a change the journal lacks.
//!
//! Accounts the store does not hold (a site never synced, a user added
//! since the last sync) are skipped by the store update; the journal still
//! records the action.

use chrono::Utc;
use sqlx::{Sqlite, Transaction};
use tabgov_mapping::{GroupId, SiteRole, UserId};
use tabgov_state::{
    add_membership, journal_complete, journal_intent, mark_deprovisioned, remove_membership,
    transfer_owned_content, update_account_role, JournalAction, JournalId, JournalState,
    NewJournalEntry, SiteKey,
};

use super::engine::Subject;
use super::ActionContext;
use crate::Result;

type Tx<'c> = Transaction<'c, Sqlite>;

/// What the store should show after an action, applied with its outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StoreChange {
    /// The account's site role now.
    pub role: Option<SiteRole>,
    /// Group ids the user left.
    pub left_groups: Vec<GroupId>,
    /// Group ids the user joined again.
    pub joined_groups: Vec<GroupId>,
    /// The account is gone from the site.
    pub removed: bool,
    /// Who received the removed account's content.
    pub transfer_to: Option<UserId>,
}

impl StoreChange {
    /// Nothing to change.
    pub fn none() -> StoreChange {
        StoreChange::default()
    }

    /// Only the site role changed.
    pub fn role(role: SiteRole) -> StoreChange {
        StoreChange {
            role: Some(role),
            ..StoreChange::default()
        }
    }

    /// The account was removed, its content given to `transfer_to`.
    pub fn removed(transfer_to: Option<UserId>) -> StoreChange {
        StoreChange {
            removed: true,
            transfer_to,
            ..StoreChange::default()
        }
    }
}

/// A journal entry of `action` about `who`, carrying who asked and why.
pub(crate) fn new_entry(
    ctx: &ActionContext<'_>,
    site: SiteKey,
    action: JournalAction,
    who: Subject<'_>,
) -> NewJournalEntry {
    let mut entry = NewJournalEntry::new(site, action, who.user_id, Utc::now());
    entry.target_user_name = who.user_name.map(str::to_owned);
    entry.actor = ctx.opts.actor.clone();
    entry.reason = who.reason.map(str::to_owned);
    entry.ticket = who.ticket.map(str::to_owned);
    entry.campaign = ctx.campaign.clone();
    entry.reviewer = ctx.reviewer.clone();
    entry
}

/// Commits an intent and returns its id: the trace a crash leaves.
pub(crate) async fn write_intent(
    ctx: &ActionContext<'_>,
    entry: &NewJournalEntry,
) -> Result<JournalId> {
    let mut tx = begin(ctx).await?;
    let id = journal_intent(&mut tx, entry).await?;
    commit(tx).await?;
    Ok(id)
}

/// An open intent and the account it is about: what closing it needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Open<'a> {
    site: SiteKey,
    id: JournalId,
    user_id: &'a UserId,
}

impl<'a> Open<'a> {
    /// Intent `id` of site `site`, about `user_id`.
    pub(crate) fn new(site: SiteKey, id: JournalId, user_id: &'a UserId) -> Open<'a> {
        Open { site, id, user_id }
    }

    /// Closes the intent as `state` and applies `change` to the account,
    /// in one transaction.
    pub(crate) async fn close(
        self,
        ctx: &ActionContext<'_>,
        state: JournalState,
        outcome: &str,
        tableau_code: Option<&str>,
        change: &StoreChange,
    ) -> Result<()> {
        let mut tx = begin(ctx).await?;
        apply(&mut tx, self.site, self.user_id, change).await?;
        journal_complete(&mut tx, self.id, state, Some(outcome), tableau_code).await?;
        commit(tx).await
    }

    /// Closes the intent as completed, applying `change`.
    pub(crate) async fn completed(
        self,
        ctx: &ActionContext<'_>,
        outcome: &str,
        change: &StoreChange,
    ) -> Result<()> {
        self.close(ctx, JournalState::Completed, outcome, None, change)
            .await
    }
}

/// Journals a no-op (intent and outcome at once) with its store change
/// (e.g. an account Tableau no longer has marked deprovisioned).
pub(crate) async fn record_noop(
    ctx: &ActionContext<'_>,
    entry: &NewJournalEntry,
    outcome: &str,
    change: &StoreChange,
) -> Result<JournalId> {
    let mut tx = begin(ctx).await?;
    apply(&mut tx, entry.site, &entry.target_user_id, change).await?;
    let id = journal_intent(&mut tx, entry).await?;
    journal_complete(&mut tx, id, JournalState::Noop, Some(outcome), None).await?;
    commit(tx).await?;
    Ok(id)
}

/// Makes the store show `change`. Role and removal updates match only
/// accounts the store holds; memberships are touched only for those.
async fn apply(
    tx: &mut Tx<'_>,
    site: SiteKey,
    user_id: &UserId,
    change: &StoreChange,
) -> Result<()> {
    if change.removed {
        mark_deprovisioned(tx, site, user_id, Utc::now()).await?;
        if let Some(heir) = &change.transfer_to {
            transfer_owned_content(tx, site, user_id, heir).await?;
        }
        return Ok(());
    }
    let Some(role) = &change.role else {
        return Ok(());
    };
    if !update_account_role(tx, site, user_id, role, None).await? {
        tracing::debug!(
            user_id = user_id.as_str(),
            "account not in the store; journalled only"
        );
        return Ok(());
    }
    for group in &change.left_groups {
        remove_membership(tx, site, group, user_id).await?;
    }
    for group in &change.joined_groups {
        add_membership(tx, site, group, user_id).await?;
    }
    Ok(())
}

async fn begin<'c>(ctx: &'c ActionContext<'_>) -> Result<Tx<'c>> {
    Ok(ctx
        .store
        .pool()
        .begin()
        .await
        .map_err(tabgov_state::Error::from)?)
}

async fn commit(tx: Tx<'_>) -> Result<()> {
    tx.commit().await.map_err(tabgov_state::Error::from)?;
    Ok(())
}
