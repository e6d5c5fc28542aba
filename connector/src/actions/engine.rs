//! The one protocol of a journalled action, written once. Each verb says
//! what it will change (a [`Change`]: what its intent records, the Tableau
//! call, the read-back); [`act`] owns the order that makes a crash at
//! any point safe to repeat:
//!
//! 1. a dry run stops after planning;
//! 2. an intent left open by an attempt that died is continued when it
//!    planned the same change, and closed as abandoned otherwise;
//! 3. the intent commits before Tableau is called;
//! 4. a definite refusal (a 4xx) closes it as failed; an unknown answer (a
//!    5xx, a lost connection) leaves it open for the next attempt to settle;
//! 5. the change is read back from Tableau, and the outcome commits in one
//!    transaction with the store's update.
//!
//! A target with nothing to change is a journalled no-op, or settles the
//! open intent of an attempt that changed Tableau and died before its
//! outcome.

use std::future::Future;

use tabgov_mapping::UserId;
use tabgov_state::{
    JournalAction, JournalEntry, JournalId, JournalState, NewJournalEntry, SiteKey,
};

use super::fault::crash_point;
use super::journal::{new_entry, record_noop, write_intent, Open, StoreChange};
use super::{ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::outcome::is_definite;
use crate::{Error, Result};

/// Whom an action is about and why: what every journal entry carries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub user_id: &'a UserId,
    pub user_name: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub ticket: Option<&'a str>,
}

impl<'a> Subject<'a> {
    /// The user `request` names, resolved to `user_id` (`user_name`).
    pub fn of(request: &'a TargetRequest, user_id: &'a UserId, user_name: Option<&'a str>) -> Self {
        Subject {
            user_id,
            user_name,
            reason: request.reason.as_deref(),
            ticket: request.ticket.as_deref(),
        }
    }
}

/// What planning decided for one target.
pub(crate) enum Decision<C> {
    /// Ends before anything is journalled: a safety rule refused, or there
    /// is no one to act on.
    Ended(Outcome, String),
    /// Tableau already shows the end state.
    AlreadyDone(AlreadyDone),
    /// Tableau must change; `planned` is what a dry run prints.
    Change { change: C, planned: String },
}

/// A target planned: the decision, the intent an earlier attempt left
/// open, and the result so far (roles, warnings).
pub(crate) struct Planned<C> {
    pub open: Option<JournalEntry>,
    pub decision: Decision<C>,
    pub result: ActionResult,
}

impl<C> Planned<C> {
    pub fn new(open: Option<JournalEntry>, decision: Decision<C>, result: ActionResult) -> Self {
        Planned {
            open,
            decision,
            result,
        }
    }
}

/// A target with nothing to change.
pub(crate) struct AlreadyDone {
    /// Why (the journal's outcome of the no-op).
    pub reason: String,
    /// The result's sentence.
    pub detail: String,
    /// What the store shows afterwards.
    pub change: StoreChange,
    /// The outcome when an open intent is settled: an earlier attempt made
    /// the change and died before journalling it.
    pub settles: String,
}

/// What the read-back found.
pub(crate) enum Verdict {
    /// Tableau shows the change. `unfinished` is the advice when part of it
    /// (a group, an item's owner) could not be done.
    Done {
        outcome: String,
        change: StoreChange,
        unfinished: Option<&'static str>,
    },
    /// Tableau accepted the call but does not show the change.
    NotDone {
        outcome: String,
        change: StoreChange,
    },
}

/// How a refusal of the Tableau call is journalled.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub outcome: String,
    /// What the store shows afterwards.
    pub change: StoreChange,
    /// The result's outcome.
    pub shown: Outcome,
}

/// One verb's change to one user, carried out by [`act`].
pub(crate) trait Change {
    /// What the Tableau call reports to the read-back.
    type Sent;

    /// Records the change in a new intent.
    fn fill(&self, entry: &mut NewJournalEntry);

    /// Whether the interrupted attempt `open` planned this same change, so
    /// continuing it is safe (adopting what it recorded); `Err` says why not.
    fn continues(&mut self, open: &JournalEntry) -> std::result::Result<(), String>;

    /// Makes the change in Tableau. An error is Tableau's answer to the
    /// change itself; side steps report their problems in `Sent`.
    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<Self::Sent>;

    /// How Tableau's refusal `e` is journalled; `None` leaves the intent
    /// open (the change may have happened).
    fn refused(&self, e: &Error) -> Option<Refused> {
        is_definite(e).then(|| Refused {
            outcome: e.to_string(),
            change: StoreChange::none(),
            shown: Outcome::Failed,
        })
    }

    /// Reads the change back from Tableau.
    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        sent: Self::Sent,
        result: &mut ActionResult,
    ) -> Result<Verdict>;
}

/// The journal's name of `verb`.
pub(crate) fn journal_action(verb: Verb) -> JournalAction {
    match verb {
        Verb::Suspend => JournalAction::Suspend,
        Verb::Restore => JournalAction::Restore,
        Verb::Deprovision => JournalAction::Deprovision,
        Verb::RemoveMember => JournalAction::RemoveMember,
        Verb::AddUser => JournalAction::AddUser,
        Verb::UpdateUser => JournalAction::UpdateUser,
        Verb::AddMember => JournalAction::AddMember,
        Verb::CreateGroup => JournalAction::CreateGroup,
        Verb::DeleteGroup => JournalAction::DeleteGroup,
    }
}

/// The newest open intent of `verb` on `user_id`: an attempt that died.
pub(crate) async fn open_intent(
    ctx: &ActionContext<'_>,
    user_id: &UserId,
    verb: Verb,
) -> Result<Option<JournalEntry>> {
    let Some(site) = ctx.site else {
        return Ok(None);
    };
    let action = journal_action(verb);
    Ok(ctx
        .store
        .journal_open_intent(site, user_id, &action)
        .await?)
}

/// Plans with `planning` and carries out `verb` for `who` (see the module
/// docs for the order). Never fails as a whole: a failure ends in `base`.
pub(crate) async fn act<C: Change>(
    ctx: &ActionContext<'_>,
    verb: Verb,
    who: Subject<'_>,
    base: &ActionResult,
    planning: impl Future<Output = Result<Planned<C>>>,
) -> ActionResult {
    act_keeping_error(ctx, verb, who, base, planning)
        .await
        .result
}

/// What [`act_keeping_error`] ends with.
pub(crate) struct Acted {
    pub result: ActionResult,
    /// The error behind a failed result (planning's, the store's, or
    /// Tableau's refusal of the change, journalled first), for a caller
    /// that answers with a typed error instead of a result.
    pub error: Option<Error>,
}

/// [`act`], keeping the error a failure ended with.
pub(crate) async fn act_keeping_error<C: Change>(
    ctx: &ActionContext<'_>,
    verb: Verb,
    who: Subject<'_>,
    base: &ActionResult,
    planning: impl Future<Output = Result<Planned<C>>>,
) -> Acted {
    let run = async {
        let Planned {
            open,
            decision,
            result,
        } = planning.await?;
        match decision {
            Decision::Ended(outcome, detail) => Ok((result.ended(outcome, detail), None)),
            Decision::AlreadyDone(done) => already_done(ctx, verb, who, open, done, result)
                .await
                .map(|r| (r, None)),
            Decision::Change { change, planned } => {
                if ctx.opts.dry_run {
                    return Ok((result.ended(Outcome::Planned, planned), None));
                }
                change_tableau(ctx, verb, who, open, change, result).await
            }
        }
    };
    match run.await {
        Ok((result, error)) => Acted { result, error },
        Err(e) => Acted {
            result: base.clone().failed(&e),
            error: Some(e),
        },
    }
}

async fn already_done(
    ctx: &ActionContext<'_>,
    verb: Verb,
    who: Subject<'_>,
    open: Option<JournalEntry>,
    done: AlreadyDone,
    mut result: ActionResult,
) -> Result<ActionResult> {
    let (Some(site), false) = (ctx.site, ctx.opts.dry_run) else {
        return Ok(result.ended(Outcome::Noop, done.detail));
    };
    if let Some(open) = open {
        Open::new(site, open.id, who.user_id)
            .completed(ctx, &done.settles, &done.change)
            .await?;
        result.journal_id = Some(open.id);
        return Ok(result.ended(Outcome::Completed, done.settles));
    }
    let entry = new_entry(ctx, site, journal_action(verb), who);
    result.journal_id = Some(record_noop(ctx, &entry, &done.reason, &done.change).await?);
    Ok(result.ended(Outcome::Noop, done.detail))
}

async fn change_tableau<C: Change>(
    ctx: &ActionContext<'_>,
    verb: Verb,
    who: Subject<'_>,
    open: Option<JournalEntry>,
    mut change: C,
    mut result: ActionResult,
) -> Result<(ActionResult, Option<Error>)> {
    let Some(site) = ctx.site else {
        return Err(Error::Internal("the site has no row in the store".into()));
    };
    let id = match continued(ctx, site, open, &mut change).await? {
        Some(id) => id,
        None => {
            let mut entry = new_entry(ctx, site, journal_action(verb), who);
            change.fill(&mut entry);
            write_intent(ctx, &entry).await?
        }
    };
    result.journal_id = Some(id);
    let intent = Open::new(site, id, who.user_id);
    let sent = match change.send(ctx).await {
        Ok(sent) => sent,
        Err(e) => {
            let refusal = change.refused(&e);
            let result = refused(ctx, intent, refusal, &e, result).await?;
            return Ok((result, Some(e)));
        }
    };
    crash_point(verb);
    match change.verify(ctx, sent, &mut result).await? {
        Verdict::Done {
            outcome,
            change,
            unfinished,
        } => {
            intent.completed(ctx, &outcome, &change).await?;
            Ok((
                match unfinished {
                    None => result.ended(Outcome::Completed, outcome),
                    Some(advice) => result.ended(Outcome::Failed, format!("{outcome}; {advice}")),
                },
                None,
            ))
        }
        Verdict::NotDone { outcome, change } => {
            intent
                .close(ctx, JournalState::Failed, &outcome, None, &change)
                .await?;
            Ok((result.ended(Outcome::Failed, outcome), None))
        }
    }
}

/// The id of the interrupted attempt `open` when `change` continues it;
/// otherwise it is closed as abandoned (saying why) and `None` is returned.
async fn continued<C: Change>(
    ctx: &ActionContext<'_>,
    site: SiteKey,
    open: Option<JournalEntry>,
    change: &mut C,
) -> Result<Option<JournalId>> {
    let Some(open) = open else {
        return Ok(None);
    };
    match change.continues(&open) {
        Ok(()) => Ok(Some(open.id)),
        Err(why) => {
            let outcome = format!("interrupted attempt not continued: {why}");
            let none = StoreChange::none();
            Open::new(site, open.id, &open.intent.target_user_id)
                .close(ctx, JournalState::Failed, &outcome, None, &none)
                .await?;
            Ok(None)
        }
    }
}

/// Settles Tableau's refusal `e` of the change as `refusal` says: closes
/// the intent when the refusal is definite, leaves it open otherwise.
async fn refused(
    ctx: &ActionContext<'_>,
    intent: Open<'_>,
    refusal: Option<Refused>,
    e: &Error,
    result: ActionResult,
) -> Result<ActionResult> {
    let Some(refused) = refusal else {
        return Ok(result.failed(e));
    };
    let code = e.tableau().map(|t| t.code.to_string());
    let (outcome, change) = (&refused.outcome, &refused.change);
    intent
        .close(ctx, JournalState::Failed, outcome, code.as_deref(), change)
        .await?;
    let mut result = result.failed(e).ended(refused.shown, refused.outcome);
    if let Some(role) = refused.change.role {
        result.new_role = Some(role.to_string());
    }
    Ok(result)
}
