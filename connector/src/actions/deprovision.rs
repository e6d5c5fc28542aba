//! Deprovision: inventory what the user owns first. No content: remove.
//! Content and a new owner: remove with `mapAssetsTo`, then verify every
//! item's new owner. Content and no new owner: refuse with the inventory,
//! or suspend instead (`--on-content suspend`). Tableau's `409003` (the
//! user still owned content) is "kept, set Unlicensed by Tableau", never a
//! success; a user Tableau no longer has is a no-op.

use tabgov_mapping::{plan_deprovision, Account, Plan, SiteRole, TargetFacts};
use tabgov_state::{JournalAction, JournalState, SiteKey};

use super::fault::crash_point;
use super::inventory::{ContentIndex, Inventory};
use super::journal::definite;
use super::journal::{
    continue_or_abandon, new_entry, record_noop, write_intent, Open, StoreChange,
};
use super::render;
use super::resolve::Resolved;
use super::suspend::{open_intent, suspend};
use super::{ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::users;
use crate::{Error, ErrorCode, Result};

/// One deprovision target, resolved and validated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'r> {
    pub request: &'r TargetRequest,
    pub user: &'r Resolved,
    /// The new owner of the user's content.
    pub heir: Option<&'r Account>,
    pub other_admins: usize,
}

/// Deprovisions one target; never fails as a whole.
pub(crate) async fn deprovision(
    ctx: &ActionContext<'_>,
    index: &mut ContentIndex,
    target: Target<'_>,
) -> ActionResult {
    let base = ActionResult::new(target.request, ctx.opts.dry_run)
        .user_is(target.user.id(), target.user.name());
    let run = match target.user {
        Resolved::Present(account) => present(ctx, index, target, account, base.clone()).await,
        Resolved::Gone { id, name } => {
            gone(ctx, target.request, id, name.as_deref(), base.clone()).await
        }
    };
    run.unwrap_or_else(|e| base.failed(&e))
}

/// A user Tableau no longer has: a journalled no-op, or the end of an
/// interrupted deprovision that did remove them.
async fn gone(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    id: &str,
    name: Option<&str>,
    result: ActionResult,
) -> Result<ActionResult> {
    let shown = name.unwrap_or(id);
    let reason = format!("{shown} is not on the site (already removed)");
    let open = open_intent(ctx, id, &JournalAction::Deprovision).await?;
    let (Some(site), false) = (ctx.site, ctx.opts.dry_run) else {
        return Ok(result.ended(Outcome::Noop, format!("nothing to do: {reason}")));
    };
    if let Some(open) = open {
        let outcome =
            "removed (settled the interrupted deprovision: Tableau no longer has the user)";
        let change = StoreChange::removed(open.transfer_to.clone());
        Open::new(site, open.id, id)
            .completed(ctx, outcome, &change)
            .await?;
        let mut result = result.ended(Outcome::Completed, outcome);
        result.journal_id = Some(open.id);
        result.transfer_to = open.transfer_to;
        return Ok(result);
    }
    let entry = new_entry(ctx, site, JournalAction::Deprovision, request, id, name);
    let journal_id = record_noop(ctx, &entry, &reason, &StoreChange::removed(None)).await?;
    let mut result = result.ended(Outcome::Noop, format!("nothing to do: {reason}"));
    result.journal_id = Some(journal_id);
    Ok(result)
}

async fn present(
    ctx: &ActionContext<'_>,
    index: &mut ContentIndex,
    target: Target<'_>,
    account: &Account,
    result: ActionResult,
) -> Result<ActionResult> {
    let inventory = index.inventory(ctx.transport, &account.id).await?;
    let facts = TargetFacts {
        account,
        owned: inventory.counts(),
        relicensing_groups: Vec::new(),
        own_user_id: &ctx.own_user_id,
        other_site_admins: target.other_admins,
    };
    let request = target.request;
    let plan = plan_deprovision(&facts, target.heir, request.on_content, request.sticky);
    let heir_name = target.heir.map(|h| h.name.as_str());
    let text = render::deprovision_plan(&account.name, &plan, &inventory, heir_name);
    let result = result
        .owning(&inventory)
        .roles(Some(&account.site_role), None);
    match plan {
        Plan::Refuse { .. } => Ok(result.ended(Outcome::Refused, text)),
        Plan::Suspend { .. } | Plan::Noop { .. } => {
            let mut suspended = suspend(ctx, request, account, target.other_admins).await;
            suspended.requested = Verb::Deprovision;
            suspended.detail = render::suspended_instead(&inventory, &suspended.detail);
            Ok(suspended.owning(&inventory))
        }
        Plan::Remove { transfer_to, .. } => {
            let mut result = result;
            result.transfer_to = transfer_to.clone();
            let Some(site) = ctx.site.filter(|_| !ctx.opts.dry_run) else {
                return Ok(result.ended(Outcome::Planned, text));
            };
            let open = open_intent(ctx, &account.id, &JournalAction::Deprovision).await?;
            let reuse = continue_or_abandon(
                ctx,
                open,
                |o| o.transfer_to == transfer_to,
                || "it named another new owner for the content".into(),
            )
            .await?
            .map(|o| o.id);
            let id = match reuse {
                Some(id) => id,
                None => {
                    let mut entry = new_entry(
                        ctx,
                        site,
                        JournalAction::Deprovision,
                        request,
                        &account.id,
                        Some(&account.name),
                    );
                    entry.previous_site_role = Some(account.site_role.clone());
                    entry.transfer_to = transfer_to.clone();
                    write_intent(ctx, &entry).await?
                }
            };
            result.journal_id = Some(id);
            let removal = Removal {
                site,
                id,
                account,
                inventory: &inventory,
                heir: target.heir.filter(|_| transfer_to.is_some()),
            };
            carry_out(ctx, index, removal, result).await
        }
    }
}

/// How a removal Tableau answered with an error is recorded.
#[derive(Debug, PartialEq, Eq)]
struct Refused {
    state: JournalState,
    outcome: String,
    /// What the store shows afterwards.
    change: StoreChange,
    shown: Outcome,
}

/// Reads Tableau's refusal of a removal: `409003` means Tableau kept the
/// user and set them Unlicensed (never a success). `None` when the answer
/// is not definite (a lost connection, a 5xx): the intent stays open for
/// the next attempt.
fn refused_removal(e: &Error, name: &str) -> Option<Refused> {
    let (state, outcome, change, shown) = if e.is_tableau(ErrorCode::USER_OWNS_CONTENT) {
        (
            JournalState::Failed,
            format!("kept, set Unlicensed by Tableau: {name} still owns content ({e})"),
            StoreChange::role(SiteRole::Unlicensed),
            Outcome::Kept,
        )
    } else if definite(e) {
        (
            JournalState::Failed,
            e.to_string(),
            StoreChange::none(),
            Outcome::Failed,
        )
    } else {
        return None;
    };
    Some(Refused {
        state,
        outcome,
        change,
        shown,
    })
}

/// A removal under way.
struct Removal<'r> {
    site: SiteKey,
    /// The journal entry.
    id: i64,
    account: &'r Account,
    inventory: &'r Inventory,
    heir: Option<&'r Account>,
}

/// Removes the user, verifies, and settles the journal entry.
async fn carry_out(
    ctx: &ActionContext<'_>,
    index: &mut ContentIndex,
    r: Removal<'_>,
    result: ActionResult,
) -> Result<ActionResult> {
    let user = &r.account.id;
    let heir_id = r.heir.map(|h| h.id.clone());
    let request = users::remove_user(&ctx.site_luid, user, heir_id.as_deref());
    match ctx.transport.send(&request).await {
        // A retried DELETE whose first attempt went through answers 404002:
        // the removal happened, so verify it like any other.
        Err(e) if e.is_tableau(ErrorCode::USER_NOT_FOUND) => {
            tracing::info!(user = %user, "already gone when removed: verifying as removed");
        }
        Err(e) => return refused(ctx, &r, e, result).await,
        Ok(_) => {}
    }
    finish_removal(ctx, index, r, result).await
}

/// Settles a removal Tableau refused (or that failed in a way known not to
/// have changed anything); leaves the intent open otherwise.
async fn refused(
    ctx: &ActionContext<'_>,
    r: &Removal<'_>,
    e: Error,
    result: ActionResult,
) -> Result<ActionResult> {
    let user = &r.account.id;
    let code = e.tableau().map(|t| t.code.to_string());
    let Some(Refused {
        state,
        outcome,
        change,
        shown,
    }) = refused_removal(&e, &r.account.name)
    else {
        return Ok(result.failed(&e));
    };
    Open::new(r.site, r.id, user)
        .close(ctx, state, &outcome, code.as_deref(), &change)
        .await?;
    let mut result = result.ended(shown, outcome);
    result.tableau_code = code;
    if shown == Outcome::Kept {
        result.new_role = Some(SiteRole::Unlicensed.to_string());
    }
    Ok(result)
}

/// Verifies a removal Tableau accepted, checks the heir's content, and
/// settles the journal entry as completed.
async fn finish_removal(
    ctx: &ActionContext<'_>,
    index: &mut ContentIndex,
    r: Removal<'_>,
    result: ActionResult,
) -> Result<ActionResult> {
    let user = &r.account.id;
    let heir_id = r.heir.map(|h| h.id.clone());
    crash_point(Verb::Deprovision);
    match ctx
        .transport
        .send(&users::get_user(&ctx.site_luid, user))
        .await
    {
        Err(e) if e.is_tableau(ErrorCode::USER_NOT_FOUND) => {}
        Err(e) => return Err(e),
        Ok(_) => {
            let outcome = "Tableau still lists the user after the removal".to_owned();
            Open::new(r.site, r.id, user)
                .close(
                    ctx,
                    JournalState::Failed,
                    &outcome,
                    None,
                    &StoreChange::none(),
                )
                .await?;
            return Ok(result.ended(Outcome::Failed, outcome));
        }
    }
    let mut outcome = "removed from the site".to_owned();
    let mut unmoved = Vec::new();
    if let Some(heir) = r.heir.filter(|_| !r.inventory.is_empty()) {
        index.invalidate();
        let received = index.inventory(ctx.transport, &heir.id).await?;
        unmoved = r
            .inventory
            .missing_from(&received)
            .into_iter()
            .map(|i| format!("{}:{}", i.kind, i.name.as_deref().unwrap_or(&i.id)))
            .collect();
        let moved = r.inventory.items.len() - unmoved.len();
        outcome.push_str(&format!(
            "; {moved} item(s) now owned by {} (verified)",
            heir.name
        ));
        if !unmoved.is_empty() {
            outcome.push_str(&format!(
                "; not owned by {} after the transfer: {}",
                heir.name,
                unmoved.join(", ")
            ));
        }
    }
    let change = StoreChange::removed(heir_id);
    Open::new(r.site, r.id, user)
        .completed(ctx, &outcome, &change)
        .await?;
    Ok(result.ended_in_part(
        unmoved.is_empty(),
        outcome,
        "check those items' owners in Tableau",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorCode, TableauError};

    fn tableau(status: u16, code: &str) -> Error {
        Error::Tableau(TableauError {
            status,
            code: ErrorCode::parse(code),
            summary: "Summary".into(),
            detail: "detail".into(),
        })
    }

    #[test]
    fn a_409003_is_kept_unlicensed_never_a_success() {
        let r = refused_removal(&tableau(409, "409003"), "dave").unwrap();
        assert_eq!(r.shown, Outcome::Kept);
        assert_eq!(r.state, JournalState::Failed);
        assert!(r
            .outcome
            .starts_with("kept, set Unlicensed by Tableau: dave still owns content"));
        assert!(r.outcome.contains("409003"));
        assert_eq!(r.change, StoreChange::role(SiteRole::Unlicensed));
    }

    #[test]
    fn a_4xx_fails_and_a_5xx_or_lost_answer_stays_open() {
        let r = refused_removal(&tableau(400, "400000"), "dave").unwrap();
        assert_eq!((r.shown, r.state), (Outcome::Failed, JournalState::Failed));
        assert_eq!(r.change, StoreChange::none());
        assert_eq!(
            refused_removal(&tableau(500, "500000"), "dave"),
            None,
            "a 5xx may have removed the user: the intent stays open"
        );
        let lost = Error::Timeout {
            method: "DELETE".into(),
            path: "sites/s/users/u".into(),
            attempts: 3,
        };
        assert_eq!(
            refused_removal(&lost, "dave"),
            None,
            "unknown: the intent stays open"
        );
    }
}
