//! Restore: undo the user's last suspend, from the journal. The site role
//! the suspend journalled comes back, and so do the groups a `--sticky`
//! suspend removed the user from.

use std::collections::HashMap;

use tabgov_mapping::{plan_restore, Account, GroupId, GroupRef, RestorePlan};

use super::current::groups_of;
use super::engine::{act, open_intent, AlreadyDone, Decision, Planned, Subject};
use super::journal::StoreChange;
use super::role_change::{Memberships, RoleChange};
use super::{render, ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::Result;

/// Restores `account`; never fails as a whole, failures end in the result.
pub(crate) async fn restore(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &Account,
) -> ActionResult {
    let base =
        ActionResult::new(request, ctx.opts.dry_run).user_is(&account.id, Some(&account.name));
    let who = Subject::of(request, &account.id, Some(&account.name));
    act(
        ctx,
        Verb::Restore,
        who,
        &base,
        plan(ctx, account, base.clone()),
    )
    .await
}

async fn plan<'a>(
    ctx: &ActionContext<'_>,
    account: &'a Account,
    mut result: ActionResult,
) -> Result<Planned<RoleChange<'a>>> {
    let last = match ctx.site {
        Some(site) => ctx.store.journal_last_suspend(site, &account.id).await?,
        None => None,
    };
    let journalled: Vec<GroupId> = last
        .as_ref()
        .map(|e| e.intent.groups_removed.clone())
        .unwrap_or_default();
    let member_of: Vec<GroupId> = if journalled.is_empty() {
        Vec::new()
    } else {
        let now = groups_of(ctx, &account.id).await?;
        now.into_iter().map(|g| g.id).collect()
    };
    let names = ctx.stored_group_names(&journalled).await?;
    let rejoin: Vec<GroupRef> = journalled
        .iter()
        .filter(|id| !member_of.contains(id))
        .map(|id| GroupRef {
            id: id.clone(),
            name: names.get(id).cloned().unwrap_or_else(|| id.to_string()),
        })
        .collect();
    let suspended_from = last.and_then(|e| e.intent.previous_site_role);
    let plan = plan_restore(account, &ctx.own_user_id, suspended_from.as_ref(), rejoin);
    let open = open_intent(ctx, &account.id, Verb::Restore).await?;
    let text = render::restore_plan(&account.name, &plan);
    let role = &account.site_role;
    let decision = match plan {
        RestorePlan::Refuse { refusal } => {
            result = result.roles(Some(role), None);
            Decision::Ended(Outcome::Refused, refusal.to_string())
        }
        RestorePlan::Noop { reason } => {
            result = result.roles(Some(role), Some(role));
            // Settling: an earlier attempt restored Tableau and died before its outcome.
            let change = StoreChange {
                role: Some(role.clone()),
                joined_groups: if open.is_some() {
                    journalled
                } else {
                    Vec::new()
                },
                ..StoreChange::default()
            };
            Decision::AlreadyDone(AlreadyDone {
                detail: text,
                settles: format!("{reason} (settled the interrupted restore)"),
                change,
                reason,
            })
        }
        RestorePlan::Restore { from, to, rejoin } => {
            result = result.roles(Some(&from), Some(&to));
            result.groups = rejoin.iter().map(|g| g.name.clone()).collect();
            let change = RoleChange {
                account,
                from,
                to,
                memberships: Memberships::Rejoin,
                groups: rejoin,
                member_of,
                names: HashMap::new(),
            };
            Decision::Change {
                change,
                planned: text,
            }
        }
    };
    Ok(Planned::new(open, decision, result))
}
