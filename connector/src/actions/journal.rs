//! The journal side of an action, through the store's journal writer: the
//! intent commits before the Tableau call; the outcome commits after it, in
//! one transaction with the store's account update (see
//! `tabgov_state::Store::journal_close`).

use chrono::Utc;
use tabgov_mapping::UserId;
use tabgov_state::{Closing, JournalAction, JournalId, JournalState, NewJournalEntry, SiteKey};

use super::engine::Subject;
use super::ActionContext;
use crate::Result;

pub(crate) use tabgov_state::StoreChange;

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
    Ok(ctx.store.journal_intent(entry).await?)
}

/// An open intent and the account it is about: what closing it needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Open<'a> {
    site: SiteKey,
    id: JournalId,
    user_id: &'a UserId,
}

impl<'a> Open<'a> {
    pub(crate) fn new(site: SiteKey, id: JournalId, user_id: &'a UserId) -> Open<'a> {
        Open { site, id, user_id }
    }

    /// Ends the intent as `state` with `outcome`, and reflects `change` in
    /// the store, in one transaction.
    pub(crate) async fn close(
        self,
        ctx: &ActionContext<'_>,
        state: JournalState,
        outcome: &str,
        tableau_code: Option<&str>,
        change: &StoreChange,
    ) -> Result<()> {
        let closing = Closing {
            state,
            outcome,
            tableau_code,
        };
        Ok(ctx
            .store
            .journal_close(self.site, self.id, self.user_id, closing, change)
            .await?)
    }

    /// Ends the intent as completed.
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

/// Records an action that found nothing to do on Tableau, with what the
/// store had missed.
pub(crate) async fn record_noop(
    ctx: &ActionContext<'_>,
    entry: &NewJournalEntry,
    outcome: &str,
    change: &StoreChange,
) -> Result<JournalId> {
    Ok(ctx.store.journal_noop(entry, outcome, change).await?)
}
