//! Suspend: site role to Unlicensed (the licence is reclaimed, content
//! stays), the previous role journalled for `restore`, read back to verify.
//! With `sticky`, the user also leaves the groups that would license them
//! again on sign-in.

use tabgov_mapping::{plan_suspend, Account, Group, OwnedContent, Plan, SiteRole, TargetFacts};
use tabgov_state::{journal_open_intent, JournalAction, JournalEntry, JournalState, SiteKey};

use super::fault::crash_point;
use super::journal::{
    continue_or_abandon, new_entry, record_noop, write_intent, Open, StoreChange,
};
use super::render;
use super::{ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::{groups, users};
use crate::listing::fetch_all;
use crate::{Error, ErrorCode, Result};

/// The groups `user_id` is in, from Tableau.
pub(crate) async fn groups_of(ctx: &ActionContext<'_>, user_id: &str) -> Result<Vec<Group>> {
    let mine = fetch_all(
        ctx.transport,
        "groups of the user",
        |p| users::groups_of_user(&ctx.site_luid, user_id, p),
        groups::decode_groups,
        |g| g.id.as_str(),
    )
    .await?;
    // Tableau's groups-of-a-user answer leaves out the grant-licence
    // settings (`<import>`, minimum site role); the site listing has them.
    let site = ctx
        .site_groups
        .get_or_try_init(|| async {
            let all = fetch_all(
                ctx.transport,
                "groups",
                |p| groups::list_groups(&ctx.site_luid, p),
                groups::decode_groups,
                |g| g.id.as_str(),
            )
            .await?;
            Ok::<_, crate::Error>(all.into_iter().map(|g| (g.id.clone(), g)).collect())
        })
        .await?;
    Ok(mine
        .into_iter()
        .map(|g| site.get(&g.id).cloned().unwrap_or(g))
        .collect())
}

/// The newest open intent of `action` on `user_id`: an attempt that died.
pub(crate) async fn open_intent(
    ctx: &ActionContext<'_>,
    user_id: &str,
    action: &JournalAction,
) -> Result<Option<JournalEntry>> {
    match ctx.site {
        Some(site) => Ok(journal_open_intent(ctx.store.pool(), site, user_id, action).await?),
        None => Ok(None),
    }
}

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
    match run(ctx, request, account, other_admins, base.clone()).await {
        Ok(result) => result,
        Err(e) => base.failed(&e),
    }
}

async fn run(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &Account,
    other_admins: usize,
    result: ActionResult,
) -> Result<ActionResult> {
    let groups = groups_of(ctx, &account.id).await?;
    let relicensing: Vec<&Group> = groups
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
    let open = open_intent(ctx, &account.id, &JournalAction::Suspend).await?;
    let mut result = result;
    result
        .warnings
        .extend(render::relicensing_warning(&relicensing, request.sticky));
    // Tableau names the groups the user is in; the store, those an
    // interrupted attempt already left.
    let left_before = open.as_ref().map(|o| o.groups_removed.as_slice());
    let mut names = ctx
        .stored_group_names(left_before.unwrap_or_default())
        .await?;
    names.extend(groups.iter().map(|g| (g.id.clone(), g.name.clone())));
    let name_of = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
            .collect()
    };
    match plan.clone() {
        Plan::Refuse { refusal } => Ok(result
            .roles(Some(&account.site_role), None)
            .ended(Outcome::Refused, refusal.to_string())),
        Plan::Noop { reason } => match open {
            // An earlier attempt changed Tableau and died before its outcome.
            Some(open) if !ctx.opts.dry_run => {
                let from = open
                    .previous_site_role
                    .clone()
                    .unwrap_or(account.site_role.clone());
                let leave = open.groups_removed.clone();
                let result = result.roles(Some(&from), Some(&SiteRole::Unlicensed));
                carry_out(
                    ctx,
                    open.site_key,
                    open.id,
                    account,
                    &groups,
                    &from,
                    &leave,
                    name_of(&leave),
                    result,
                )
                .await
            }
            Some(open) => Ok(result.ended(
                Outcome::Planned,
                format!(
                    "would settle the interrupted suspend (journal entry {})",
                    open.id
                ),
            )),
            None => noop(ctx, request, account, &relicensing, &reason, result).await,
        },
        Plan::Suspend {
            from, leave_groups, ..
        } => {
            let result = result.roles(Some(&from), Some(&SiteRole::Unlicensed));
            if ctx.opts.dry_run {
                let text = render::suspend_plan(&account.name, &plan, &name_of(&leave_groups));
                let mut result = result.ended(Outcome::Planned, text);
                result.groups = name_of(&leave_groups);
                return Ok(result);
            }
            let Some(site) = ctx.site else {
                return Err(Error::Internal("the site has no row in the store".into()));
            };
            // Continue an attempt that died before changing Tableau, when it
            // planned the same thing; otherwise close it and start afresh.
            let reuse = continue_or_abandon(
                ctx,
                open,
                |o| o.previous_site_role.as_ref() == Some(&from),
                || {
                    format!(
                        "Tableau showed {} when the suspend was tried again",
                        account.site_role
                    )
                },
            )
            .await?;
            let (id, leave) = match reuse {
                Some(o) => (o.id, o.groups_removed),
                None => {
                    let mut entry = new_entry(
                        ctx,
                        site,
                        JournalAction::Suspend,
                        request,
                        &account.id,
                        Some(&account.name),
                    );
                    entry.previous_site_role = Some(from.clone());
                    entry.new_site_role = Some(SiteRole::Unlicensed);
                    entry.groups_removed = leave_groups.clone();
                    (write_intent(ctx, &entry).await?, leave_groups)
                }
            };
            let leave_names = name_of(&leave);
            carry_out(
                ctx,
                site,
                id,
                account,
                &groups,
                &from,
                &leave,
                leave_names,
                result,
            )
            .await
        }
        Plan::Remove { .. } => Err(Error::Internal("a suspend cannot plan a removal".into())),
    }
}

/// A journalled no-op: the user is already Unlicensed.
async fn noop(
    ctx: &ActionContext<'_>,
    request: &TargetRequest,
    account: &Account,
    relicensing: &[&Group],
    reason: &str,
    mut result: ActionResult,
) -> Result<ActionResult> {
    if request.sticky && !relicensing.is_empty() {
        let names: Vec<String> = relicensing.iter().map(|g| g.name.clone()).collect();
        result.warnings.push(format!(
            "already Unlicensed but still in {} that license(s) the user again on sign-in; --sticky only leaves groups while suspending a licensed user, so remove the user from them in Tableau",
            render::names(&names)
        ));
    }
    let role = &account.site_role;
    let mut result = result
        .roles(Some(role), Some(role))
        .ended(Outcome::Noop, format!("nothing to do: {reason}"));
    if let (Some(site), false) = (ctx.site, ctx.opts.dry_run) {
        let mut entry = new_entry(
            ctx,
            site,
            JournalAction::Suspend,
            request,
            &account.id,
            Some(&account.name),
        );
        entry.previous_site_role = Some(role.clone());
        entry.new_site_role = Some(role.clone());
        let id = record_noop(ctx, &entry, reason, &StoreChange::role(role.clone())).await?;
        result.journal_id = Some(id);
    }
    Ok(result)
}

/// Sets Unlicensed (unless Tableau already shows it), leaves `leave`,
/// reads back, and settles intent `id`.
#[allow(clippy::too_many_arguments)]
async fn carry_out(
    ctx: &ActionContext<'_>,
    site: SiteKey,
    id: i64,
    account: &Account,
    groups: &[Group],
    from: &SiteRole,
    leave: &[String],
    leave_names: Vec<String>,
    mut result: ActionResult,
) -> Result<ActionResult> {
    result.journal_id = Some(id);
    let user = &account.id;
    if !account.site_role.is_unlicensed() {
        let request = users::update_site_role(&ctx.site_luid, user, &SiteRole::Unlicensed);
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
    let member_of: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let mut left = Vec::new();
    let mut problems = Vec::new();
    for (gid, name) in leave.iter().zip(&leave_names) {
        if member_of.contains(&gid.as_str()) {
            let sent = ctx
                .transport
                .send(&groups::remove_member(&ctx.site_luid, gid, user))
                .await;
            match sent {
                Err(e) if !e.is_tableau(ErrorCode::USER_NOT_FOUND) => {
                    problems.push(format!("could not leave {name}: {e}"));
                    continue;
                }
                _ => {}
            }
        }
        left.push(gid.clone());
    }
    crash_point(Verb::Suspend);
    let now = users::decode_user(
        &ctx.transport
            .send(&users::get_user(&ctx.site_luid, user))
            .await?,
    )?;
    if !now.site_role.is_unlicensed() {
        let outcome = format!(
            "Tableau shows {} after the update, not Unlicensed",
            now.site_role
        );
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
    let left_names: Vec<String> = leave
        .iter()
        .zip(&leave_names)
        .filter(|(gid, _)| left.contains(gid))
        .map(|(_, n)| n.clone())
        .collect();
    let mut outcome = render::suspended(from, &left_names);
    if !problems.is_empty() {
        outcome.push_str(&format!("; {}", problems.join("; ")));
    }
    let change = StoreChange {
        role: Some(now.site_role.clone()),
        left_groups: left,
        ..StoreChange::default()
    };
    Open::new(site, id, user)
        .completed(ctx, &outcome, &change)
        .await?;
    result.groups = left_names;
    Ok(result.ended_in_part(
        problems.is_empty(),
        outcome,
        "the suspension is done but may not stick: remove the user from those groups in Tableau",
    ))
}
