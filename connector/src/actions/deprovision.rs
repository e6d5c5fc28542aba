//! Deprovision: inventory what the user owns first. No content: remove.
//! A new owner named: remove with `mapAssetsTo`, then verify every item's
//! new owner. Content and no new owner: refuse with the inventory, or
//! suspend instead (`--on-content suspend`). Tableau's `409003` (the user
//! still owned content) is "kept, set Unlicensed by Tableau", never a
//! success; a user Tableau no longer has is a no-op.

use tabgov_mapping::{plan_deprovision, Account, DeprovisionPlan, SiteRole, TargetFacts, UserId};
use tabgov_state::{JournalEntry, NewJournalEntry};

use super::current::account_now;
use super::engine::{
    act, open_intent, AlreadyDone, Change, Decision, Planned, Refused, Subject, Verdict,
};
use super::inventory::{ContentIndex, Inventory};
use super::journal::StoreChange;
use super::resolve::Resolved;
use super::suspend::suspend;
use super::{render, ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::outcome::{RemovalRefused, Removed};
use crate::api::users;
use crate::{Error, Result};

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
    let (id, name) = (target.user.id(), target.user.name());
    let base = ActionResult::new(target.request, ctx.opts.dry_run).user_is(id, name);
    let who = Subject::of(target.request, id, name);
    let Resolved::Present(account) = target.user else {
        let planning = gone(ctx, id, name.unwrap_or(id.as_str()), base.clone());
        return act(ctx, Verb::Deprovision, who, &base, planning).await;
    };
    let inventory = match index.inventory(ctx.transport, &account.id).await {
        Ok(inventory) => inventory,
        Err(e) => return base.failed(&e),
    };
    let facts = TargetFacts {
        account,
        owned: inventory.counts(),
        relicensing_groups: Vec::new(),
        own_user_id: &ctx.own_user_id,
        other_site_admins: target.other_admins,
    };
    let plan = plan_deprovision(&facts, target.heir, target.request.on_content);
    if let DeprovisionPlan::SuspendInstead { .. } = plan {
        let mut suspended = suspend(ctx, target.request, account, target.other_admins).await;
        suspended.requested = Verb::Deprovision;
        suspended.detail = render::suspended_instead(&inventory, &suspended.detail);
        return suspended.owning(&inventory);
    }
    let heir = target.heir.filter(|_| plan.transfer_to().is_some());
    let planned = render::deprovision_plan(&account.name, &plan, &inventory, heir);
    let mut result = base.clone().owning(&inventory);
    result = result.roles(Some(&account.site_role), None);
    let planning = async {
        if let DeprovisionPlan::Refuse { .. } = plan {
            let decision = Decision::Ended(Outcome::Refused, planned);
            return Ok(Planned::new(None, decision, result));
        }
        result.transfer_to = heir.map(|h| h.id.clone());
        let open = open_intent(ctx, &account.id, Verb::Deprovision).await?;
        let change = Removal {
            account,
            inventory,
            heir,
            index,
        };
        let decision = Decision::Change { change, planned };
        Ok(Planned::new(open, decision, result))
    };
    act(ctx, Verb::Deprovision, who, &base, planning).await
}

/// A user Tableau no longer has: a journalled no-op, or the end of an
/// interrupted deprovision that did remove them.
async fn gone<'r, 'i>(
    ctx: &ActionContext<'_>,
    id: &UserId,
    shown: &str,
    mut result: ActionResult,
) -> Result<Planned<Removal<'r, 'i>>> {
    let open = open_intent(ctx, id, Verb::Deprovision).await?;
    let heir = open.as_ref().and_then(|o| o.intent.transfer_to.clone());
    result.transfer_to = heir.clone();
    let reason = format!("{shown} is not on the site (already removed)");
    let done = AlreadyDone {
        detail: format!("nothing to do: {reason}"),
        settles: "removed (settled the interrupted deprovision: Tableau no longer has the user)"
            .into(),
        change: StoreChange::removed(heir),
        reason,
    };
    let decision = Decision::AlreadyDone(done);
    Ok(Planned::new(open, decision, result))
}

/// A removal under way.
struct Removal<'r, 'i> {
    account: &'r Account,
    inventory: Inventory,
    heir: Option<&'r Account>,
    index: &'i mut ContentIndex,
}

impl Change for Removal<'_, '_> {
    type Sent = ();

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.previous_site_role = Some(self.account.site_role.clone());
        entry.transfer_to = self.heir.map(|h| h.id.clone());
    }

    fn continues(&mut self, open: &JournalEntry) -> std::result::Result<(), String> {
        if open.intent.transfer_to.as_ref() == self.heir.map(|h| &h.id) {
            Ok(())
        } else {
            Err("it named another new owner for the content".into())
        }
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<()> {
        let user = &self.account.id;
        let heir = self.heir.map(|h| &h.id);
        let remove = users::remove_user(&ctx.site_luid, user, heir);
        // A retried DELETE whose first attempt went through finds the user
        // gone: the removal happened, so it is verified like any other.
        if Removed::from_answer(ctx.transport.send(&remove).await)? == Removed::AlreadyGone {
            tracing::info!(user = %user, "already gone when removed: verifying as removed");
        }
        Ok(())
    }

    fn refused(&self, e: &Error) -> Option<Refused> {
        let name = &self.account.name;
        let (outcome, change, shown) = match RemovalRefused::of(e) {
            RemovalRefused::KeptUnlicensed => (
                format!("kept, set Unlicensed by Tableau: {name} still owns content ({e})"),
                StoreChange::role(SiteRole::Unlicensed),
                Outcome::Kept,
            ),
            RemovalRefused::Definite => (e.to_string(), StoreChange::none(), Outcome::Failed),
            RemovalRefused::Unknown => return None,
        };
        Some(Refused {
            outcome,
            change,
            shown,
        })
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        (): (),
        _: &mut ActionResult,
    ) -> Result<Verdict> {
        if account_now(ctx, &self.account.id).await?.is_some() {
            return Ok(Verdict::NotDone {
                outcome: "Tableau still lists the user after the removal".into(),
                change: StoreChange::none(),
            });
        }
        let mut unmoved = Vec::new();
        let heir = self.heir.filter(|_| !self.inventory.is_empty());
        if let Some(heir) = heir {
            self.index.invalidate();
            let received = self.index.inventory(ctx.transport, &heir.id).await?;
            unmoved = self.inventory.missing_from(&received);
        }
        let moved = self.inventory.items.len() - unmoved.len();
        Ok(Verdict::Done {
            outcome: render::removed(heir.map(|h| h.name.as_str()), moved, &unmoved),
            change: StoreChange::removed(self.heir.map(|h| h.id.clone())),
            unfinished: (!unmoved.is_empty()).then_some("check those items' owners in Tableau"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorCode, TableauError};

    #[test]
    fn a_409003_is_kept_unlicensed_a_4xx_fails_and_a_5xx_stays_open() {
        let account = Account::for_test("d", "dave", SiteRole::Viewer);
        let mut index = ContentIndex::new();
        let removal = Removal {
            account: &account,
            inventory: Inventory::default(),
            heir: None,
            index: &mut index,
        };
        let tableau = |status, code: &str| {
            Error::Tableau(TableauError {
                status,
                code: ErrorCode::parse(code),
                summary: "Summary".into(),
                detail: "detail".into(),
            })
        };
        let kept = removal.refused(&tableau(409, "409003")).unwrap();
        assert_eq!(kept.shown, Outcome::Kept);
        assert!(kept
            .outcome
            .starts_with("kept, set Unlicensed by Tableau: dave still owns content"));
        assert!(kept.outcome.contains("409003"));
        assert_eq!(kept.change, StoreChange::role(SiteRole::Unlicensed));
        let failed = removal.refused(&tableau(400, "400000")).unwrap();
        assert_eq!(
            (failed.shown, failed.change),
            (Outcome::Failed, StoreChange::none())
        );
        assert_eq!(
            removal.refused(&tableau(500, "500000")),
            None,
            "may have been removed"
        );
    }
}
