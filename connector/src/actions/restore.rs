//! Restore: undo the user's last suspend, from the journal. The site role
//! the suspend journalled comes back, and so do the groups a `--sticky`
//! suspend removed the user from.

use tabgov_mapping::{Account, SiteRole};
use tabgov_state::{journal_last_suspend, JournalAction, JournalState, SiteKey};

use super::fault::crash_point;
use super::journal::{
    continue_or_abandon, new_entry, record_noop, write_intent, Open, StoreChange,
};
use super::render;
use super::suspend::{groups_of, open_intent};
use super::{ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::{groups, users};
use crate::{ErrorCode, Result};

/// A group by id, with its name when tabgov knows it (else the id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    pub id: String,
    pub name: String,
}

/// What a restore will do to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestorePlan {
    /// Set the role back to `to` and rejoin the groups.
    Restore {
        from: SiteRole,
        to: SiteRole,
        rejoin: Vec<GroupRef>,
    },
    Noop {
        reason: String,
    },
    Refuse {
        reason: String,
    },
}

/// Plans a restore of `account`. `suspended_from` is the role the last
/// completed suspend journalled (`None`: no such suspend); `rejoin` the
/// groups it removed that the user is not in now.
pub fn plan_restore(
    account: &Account,
    own_user_id: &str,
    suspended_from: Option<&SiteRole>,
    rejoin: Vec<GroupRef>,
) -> RestorePlan {
    let name = &account.name;
    if account.id == own_user_id {
        return RestorePlan::Refuse {
            reason: "this is the account tabgov signs in with".into(),
        };
    }
    let Some(to) = suspended_from.filter(|r| !r.is_unlicensed()) else {
        return RestorePlan::Refuse {
            reason: format!(
                "the journal holds no completed suspend of {name} with a role to put back; set the role in Tableau"
            ),
        };
    };
    let now = &account.site_role;
    if now == to && rejoin.is_empty() {
        return RestorePlan::Noop {
            reason: format!("{name} is already {to}"),
        };
    }
    if now != to && !now.is_unlicensed() {
        return RestorePlan::Refuse {
            reason: format!(
                "{name} is {now} now, not suspended: restore only undoes a suspension; change the role in Tableau if {to} is still wanted"
            ),
        };
    }
    RestorePlan::Restore {
        from: now.clone(),
        to: to.clone(),
        rejoin,
    }
}

/// Restores `account`; never fails as a whole, failures end in the result.
pub(crate) async fn restore(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &Account,
) -> ActionResult {
    let base =
        ActionResult::new(request, ctx.opts.dry_run).user_is(&account.id, Some(&account.name));
    match run(ctx, request, account, base.clone()).await {
        Ok(result) => result,
        Err(e) => base.failed(&e),
    }
}

async fn run(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &Account,
    result: ActionResult,
) -> Result<ActionResult> {
    let last = match ctx.site {
        Some(site) => journal_last_suspend(ctx.store.pool(), site, &account.id).await?,
        None => None,
    };
    let journalled: Vec<String> = last
        .as_ref()
        .map(|e| e.groups_removed.clone())
        .unwrap_or_default();
    let member_of: Vec<String> = if journalled.is_empty() {
        Vec::new()
    } else {
        groups_of(ctx, &account.id)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect()
    };
    let names = ctx.stored_group_names(&journalled).await?;
    let rejoin: Vec<GroupRef> = journalled
        .iter()
        .filter(|id| !member_of.contains(id))
        .map(|id| GroupRef {
            id: id.clone(),
            name: names.get(id).cloned().unwrap_or_else(|| id.clone()),
        })
        .collect();
    let suspended_from = last.as_ref().and_then(|e| e.previous_site_role.clone());
    let plan = plan_restore(account, &ctx.own_user_id, suspended_from.as_ref(), rejoin);
    let open = open_intent(ctx, &account.id, &JournalAction::Restore).await?;
    let text = render::restore_plan(&account.name, &plan);
    match plan {
        RestorePlan::Refuse { reason } => Ok(result
            .roles(Some(&account.site_role), None)
            .ended(Outcome::Refused, format!("refused: {reason}"))),
        RestorePlan::Noop { reason } => {
            let role = account.site_role.clone();
            let result = result.roles(Some(&role), Some(&role));
            match (open, ctx.site, ctx.opts.dry_run) {
                (_, _, true) | (_, None, _) => Ok(result.ended(Outcome::Noop, text)),
                // An earlier attempt restored Tableau and died before its outcome.
                (Some(open), Some(site), false) => {
                    let outcome = format!("{reason} (settled the interrupted restore)");
                    let change = StoreChange {
                        role: Some(role),
                        joined_groups: journalled,
                        ..StoreChange::default()
                    };
                    Open::new(site, open.id, &account.id)
                        .completed(ctx, &outcome, &change)
                        .await?;
                    let mut result = result.ended(Outcome::Completed, outcome);
                    result.journal_id = Some(open.id);
                    Ok(result)
                }
                (None, Some(site), false) => {
                    let mut entry = new_entry(
                        ctx,
                        site,
                        JournalAction::Restore,
                        request,
                        &account.id,
                        Some(&account.name),
                    );
                    entry.previous_site_role = Some(role.clone());
                    entry.new_site_role = Some(role.clone());
                    let id = record_noop(ctx, &entry, &reason, &StoreChange::role(role)).await?;
                    let mut result = result.ended(Outcome::Noop, text);
                    result.journal_id = Some(id);
                    Ok(result)
                }
            }
        }
        RestorePlan::Restore { from, to, rejoin } => {
            let mut result = result.roles(Some(&from), Some(&to));
            result.groups = rejoin.iter().map(|g| g.name.clone()).collect();
            let Some(site) = ctx.site.filter(|_| !ctx.opts.dry_run) else {
                return Ok(result.ended(Outcome::Planned, text));
            };
            let reuse = continue_or_abandon(
                ctx,
                open,
                |o| o.new_site_role.as_ref() == Some(&to),
                || "it planned another role than the journal's last suspend".into(),
            )
            .await?
            .map(|o| o.id);
            let id = match reuse {
                Some(id) => id,
                None => {
                    let mut entry = new_entry(
                        ctx,
                        site,
                        JournalAction::Restore,
                        request,
                        &account.id,
                        Some(&account.name),
                    );
                    entry.previous_site_role = Some(from.clone());
                    entry.new_site_role = Some(to.clone());
                    write_intent(ctx, &entry).await?
                }
            };
            result.journal_id = Some(id);
            carry_out(ctx, site, id, account, &from, &to, &rejoin, result).await
        }
    }
}

/// Sets the role back, rejoins the groups, reads back, settles `id`.
#[allow(clippy::too_many_arguments)]
async fn carry_out(
    ctx: &ActionContext<'_>,
    site: SiteKey,
    id: i64,
    account: &Account,
    from: &SiteRole,
    to: &SiteRole,
    rejoin: &[GroupRef],
    mut result: ActionResult,
) -> Result<ActionResult> {
    let user = &account.id;
    if from != to {
        let request = users::update_site_role(&ctx.site_luid, user, to);
        let answer = ctx
            .transport
            .send(&request)
            .await
            .and_then(|body| users::decode_updated_user(&body));
        if let Err(e) = answer {
            Open::new(site, id, user).refused(ctx, &e).await?;
            return Ok(result.failed(&e));
        }
    }
    let mut joined = Vec::new();
    let mut problems = Vec::new();
    for group in rejoin {
        match ctx
            .transport
            .send(&groups::add_member(&ctx.site_luid, &group.id, user))
            .await
        {
            Ok(_) => joined.push(group.clone()),
            Err(e) if e.is_tableau(ErrorCode::ALREADY_MEMBER) => joined.push(group.clone()),
            Err(e) if e.is_tableau(ErrorCode::GROUP_NOT_FOUND) => {
                result.warnings.push(format!(
                    "group {} no longer exists; not rejoined",
                    group.name
                ));
            }
            Err(e) => problems.push(format!("could not rejoin {}: {e}", group.name)),
        }
    }
    crash_point(Verb::Restore);
    let now = users::decode_user(
        &ctx.transport
            .send(&users::get_user(&ctx.site_luid, user))
            .await?,
    )?;
    if &now.site_role != to {
        let outcome = format!("Tableau shows {} after the update, not {to}", now.site_role);
        Open::new(site, id, user)
            .close(
                ctx,
                JournalState::Failed,
                &outcome,
                None,
                &StoreChange::role(now.site_role.clone()),
            )
            .await?;
        return Ok(result.ended(Outcome::Failed, outcome));
    }
    let joined_names: Vec<String> = joined.iter().map(|g| g.name.clone()).collect();
    let mut outcome = format!("{from} -> {to}");
    if !joined.is_empty() {
        outcome.push_str(&format!("; rejoined {}", render::names(&joined_names)));
    }
    if !problems.is_empty() {
        outcome.push_str(&format!("; {}", problems.join("; ")));
    }
    let change = StoreChange {
        role: Some(to.clone()),
        joined_groups: joined.into_iter().map(|g| g.id).collect(),
        ..StoreChange::default()
    };
    Open::new(site, id, user)
        .completed(ctx, &outcome, &change)
        .await?;
    result.groups = joined_names;
    Ok(result.ended_in_part(
        problems.is_empty(),
        outcome,
        "add the user to those groups in Tableau",
    ))
}

#[cfg(test)]
#[path = "restore_tests.rs"]
mod tests;
