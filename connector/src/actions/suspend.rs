//! Suspend: site role to Unlicensed (the licence is reclaimed, content
//! stays), the previous role journalled for `restore`, read back to verify.
//! With `sticky`, the user also leaves the groups that would license them
//! again on sign-in.

use std::collections::HashMap;

use tabgov_mapping::{
    plan_suspend, Account, Group, GroupId, OwnedContent, SiteRole, SuspendPlan, TargetFacts,
};
use tabgov_state::JournalEntry;

use super::current::groups_of;
use super::engine::{act, open_intent, AlreadyDone, Decision, Planned, Subject};
use super::journal::StoreChange;
use super::role_change::{Memberships, RoleChange};
use super::{render, ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::Result;

/// Suspends `account`; never fails as a whole, failures end in the result.
pub(crate) async fn suspend(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &Account,
    other_admins: usize,
) -> ActionResult {
    let mut base =
        ActionResult::new(request, ctx.opts.dry_run).user_is(&account.id, Some(&account.name));
    base.action = Verb::Suspend;
    let who = Subject::of(request, &account.id, Some(&account.name));
    let planning = plan(ctx, request, account, other_admins, base.clone());
    act(ctx, Verb::Suspend, who, &base, planning).await
}

async fn plan<'a>(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &'a Account,
    other_admins: usize,
    mut result: ActionResult,
) -> Result<Planned<RoleChange<'a>>> {
    let groups = groups_of(ctx, &account.id).await?;
    let relicensing: Vec<_> = groups
        .iter()
        .filter(|g| g.relicenses_to().is_some())
        .collect();
    let facts = TargetFacts {
        account,
        owned: OwnedContent::default(),
        relicensing_groups: relicensing.clone(),
        own_user_id: &ctx.own_user_id,
        other_site_admins: other_admins,
    };
    let plan = plan_suspend(&facts, request.sticky);
    let open = open_intent(ctx, &account.id, Verb::Suspend).await?;
    let warning = render::relicensing_warning(&relicensing, request.sticky);
    result.warnings.extend(warning);
    let role = &account.site_role;
    let mut change = RoleChange {
        account,
        from: role.clone(),
        to: SiteRole::Unlicensed,
        memberships: Memberships::Leave,
        groups: Vec::new(),
        member_of: groups.iter().map(|g| g.id.clone()).collect(),
        names: group_names(ctx, &groups, open.as_ref()).await?,
    };
    let decision = match (plan, &open) {
        (SuspendPlan::Refuse { refusal }, _) => {
            result = result.roles(Some(role), None);
            Decision::Ended(Outcome::Refused, refusal.to_string())
        }
        // An earlier attempt changed Tableau and died before its outcome.
        (SuspendPlan::Noop { .. }, Some(open)) => {
            // Continued as it was planned (the engine adopts its groups).
            let planned_from = open.intent.previous_site_role.clone();
            change.from = planned_from.unwrap_or(role.clone());
            result = result.roles(Some(&change.from), Some(&SiteRole::Unlicensed));
            let planned = format!(
                "would settle the interrupted suspend (journal entry {})",
                open.id
            );
            Decision::Change { change, planned }
        }
        (SuspendPlan::Noop { reason }, None) => {
            if request.sticky {
                result
                    .warnings
                    .extend(render::still_relicensing(&relicensing));
            }
            result = result.roles(Some(role), Some(role));
            Decision::AlreadyDone(AlreadyDone {
                detail: format!("nothing to do: {reason}"),
                settles: format!("{reason} (settled the interrupted suspend)"),
                change: StoreChange::role(role.clone()),
                reason,
            })
        }
        (SuspendPlan::Suspend(plan), _) => {
            change.groups = change.refs(&plan.leave_groups);
            result = result.roles(Some(role), Some(&SiteRole::Unlicensed));
            result.groups = change.groups.iter().map(|g| g.name.clone()).collect();
            let planned = render::suspend_plan(&account.name, &plan, &result.groups);
            Decision::Change { change, planned }
        }
    };
    Ok(Planned::new(open, decision, result))
}

/// Names of the groups a suspend may name: Tableau lists the groups the
/// user is in; the store knows those an interrupted attempt already left.
async fn group_names(
    ctx: &ActionContext<'_>,
    groups: &[Group],
    open: Option<&JournalEntry>,
) -> Result<HashMap<GroupId, String>> {
    let left_before = open.map(|o| o.intent.groups_removed.as_slice());
    let mut names = ctx
        .stored_group_names(left_before.unwrap_or_default())
        .await?;
    names.extend(groups.iter().map(|g| (g.id.clone(), g.name.clone())));
    Ok(names)
}
