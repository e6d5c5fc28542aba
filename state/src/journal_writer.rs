//! The one writer of the action journal. An action's intent commits before
//! its Tableau call; its outcome commits after it, in one transaction with
//! the store's account update, so the store never shows a change the
//! journal lacks. A run that died in between leaves an open intent, which
//! the next attempt finds with [`Store::journal_open_intent`].
//!
//! Accounts the store does not hold (a site never synced, a user added
//! since the last sync) are skipped by the store update; the journal still
//! records the action.

use tabgov_mapping::{Account, Group, GroupId, SiteRole, UserId};

use crate::backend::in_write_tx;
use crate::{JournalId, JournalState, NewJournalEntry, Result, SiteKey, Store};

/// What an action changed on Tableau, to reflect in the store without
/// waiting for the next sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreChange {
    /// The account's new site role (its licence and status follow).
    pub role: Option<SiteRole>,
    /// Groups the user left.
    pub left_groups: Vec<GroupId>,
    /// Groups the user joined.
    pub joined_groups: Vec<GroupId>,
    /// The user was removed from the site.
    pub removed: bool,
    /// Who took over the removed user's content.
    pub transfer_to: Option<UserId>,
    /// An account added or updated, as Tableau shows it now: written
    /// whole (licence and status derived as a sync derives them), and its
    /// LUID recorded in an intent that had only its name.
    pub account: Option<Box<Account>>,
    /// A group created, as Tableau shows it; its LUID is recorded in an
    /// intent that had only its name.
    pub created_group: Option<Box<Group>>,
    /// A group deleted (its memberships go; its members stay).
    pub deleted_group: Option<GroupId>,
}

impl StoreChange {
    /// Nothing to change in the store.
    pub fn none() -> StoreChange {
        StoreChange::default()
    }

    /// A new site role only.
    pub fn role(role: SiteRole) -> StoreChange {
        StoreChange {
            role: Some(role),
            ..StoreChange::default()
        }
    }

    /// The user was removed, their content handed to `transfer_to` if named.
    pub fn removed(transfer_to: Option<UserId>) -> StoreChange {
        StoreChange {
            removed: true,
            transfer_to,
            ..StoreChange::default()
        }
    }
}

/// How an open intent ends.
#[derive(Debug, Clone, Copy)]
pub struct Closing<'a> {
    /// `completed` or `failed` (an intent cannot end as an intent).
    pub state: JournalState,
    /// The sentence the action's result carries.
    pub outcome: &'a str,
    /// Tableau's error code, when Tableau refused.
    pub tableau_code: Option<&'a str>,
}

impl Store {
    /// Records an action's intent, committed at once, before its Tableau call.
    pub async fn journal_intent(&self, entry: &NewJournalEntry) -> Result<JournalId> {
        let mut conn = self.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| sql::journal::journal_intent(
            &mut tx, entry
        )
        .await?)
    }

    /// Ends the open intent `id` (of `user_id` on `site`) and reflects
    /// `change` in the store, in one transaction.
    pub async fn journal_close(
        &self,
        site: SiteKey,
        id: JournalId,
        user_id: &UserId,
        closing: Closing<'_>,
        change: &StoreChange,
    ) -> Result<()> {
        let Closing {
            state,
            outcome,
            tableau_code,
        } = closing;
        let mut conn = self.pool.acquire().await?;
        let user = change.account.as_ref().map(|a| &a.id);
        let group = change.created_group.as_ref().map(|g| &g.id);
        in_write_tx!(&mut conn, |tx, sql| {
            sql::mutate::reflect(&mut tx, site, user_id, change).await?;
            sql::journal::journal_record_created(&mut tx, id, user, group).await?;
            sql::journal::journal_complete(&mut tx, id, state, Some(outcome), tableau_code).await?
        })
    }

    /// Records an action that found nothing to do on Tableau (a `noop`
    /// entry) and reflects `change`, what the store had missed, in one
    /// transaction.
    pub async fn journal_noop(
        &self,
        entry: &NewJournalEntry,
        outcome: &str,
        change: &StoreChange,
    ) -> Result<JournalId> {
        let mut conn = self.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| {
            sql::mutate::reflect(&mut tx, entry.site, &entry.target_user_id, change).await?;
            let id = sql::journal::journal_intent(&mut tx, entry).await?;
            sql::journal::journal_complete(&mut tx, id, JournalState::Noop, Some(outcome), None)
                .await?;
            id
        })
    }
}
