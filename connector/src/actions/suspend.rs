//! Suspend: site role to Unlicensed (the licence is reclaimed, content
//! stays), the previous role journalled for `restore`, read back to verify.
//! With `sticky`, the user also leaves the groups that would license them
//! again on sign-in.

use std::collections::HashMap;

use tabgov_mapping::{
    plan_suspend, Account, Group, OwnedContent, SiteRole, SuspendPlan, TargetFacts,
};
use tabgov_state::{JournalEntry, NewJournalEntry};

use super::current::{groups_of, role_now};
use super::engine::{act, open_intent, AlreadyDone, Change, Decision, Planned, Subject, Verdict};
use super::journal::StoreChange;
use super::{render, ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::api::outcome::Left;
use crate::api::{groups, users};
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
) -> Result<Planned<Unlicense<'a>>> {
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
    let mut change = Unlicense {
        account,
        member_of: groups.iter().map(|g| g.id.clone()).collect(),
        names: group_names(ctx, &groups, open.as_ref()).await?,
        from: role.clone(),
        leave: Vec::new(),
        resuming: false,
    };
    let decision = match (plan, &open) {
        (SuspendPlan::Refuse { refusal }, _) => {
            result = result.roles(Some(role), None);
            Decision::Ended(Outcome::Refused, refusal.to_string())
        }
        // An earlier attempt changed Tableau and died before its outcome.
        (SuspendPlan::Noop { .. }, Some(open)) => {
            change.from = open.previous_site_role.clone().unwrap_or(role.clone());
            change.leave = open.groups_removed.clone();
            change.resuming = true;
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
            change.leave = plan.leave_groups.clone();
            result = result.roles(Some(role), Some(&SiteRole::Unlicensed));
            result.groups = change.names_of(&change.leave);
            let planned = render::suspend_plan(&account.name, &plan, &result.groups);
            Decision::Change { change, planned }
        }
    };
    Ok(Planned {
        open,
        decision,
        result,
    })
}

/// Names of the groups a suspend may name: Tableau lists the groups the
/// user is in; the store knows those an interrupted attempt already left.
async fn group_names(
    ctx: &ActionContext<'_>,
    groups: &[Group],
    open: Option<&JournalEntry>,
) -> Result<HashMap<String, String>> {
    let left_before = open.map(|o| o.groups_removed.as_slice());
    let mut names = ctx
        .stored_group_names(left_before.unwrap_or_default())
        .await?;
    names.extend(groups.iter().map(|g| (g.id.clone(), g.name.clone())));
    Ok(names)
}

/// A suspension under way.
struct Unlicense<'a> {
    account: &'a Account,
    /// Ids of the groups Tableau lists the user in.
    member_of: Vec<String>,
    /// Group names by id.
    names: HashMap<String, String>,
    from: SiteRole,
    /// Group ids to leave.
    leave: Vec<String>,
    /// The open intent settled: Tableau already shows the user Unlicensed.
    resuming: bool,
}

impl Unlicense<'_> {
    fn names_of(&self, ids: &[String]) -> Vec<String> {
        let name = |id: &String| self.names.get(id).cloned().unwrap_or_else(|| id.clone());
        ids.iter().map(name).collect()
    }
}

/// Groups left, and the problems leaving the others.
type GroupsLeft = (Vec<String>, Vec<String>);

impl Change for Unlicense<'_> {
    type Sent = GroupsLeft;

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.previous_site_role = Some(self.from.clone());
        entry.new_site_role = Some(SiteRole::Unlicensed);
        entry.groups_removed = self.leave.clone();
    }

    fn continues(&mut self, open: &JournalEntry) -> std::result::Result<(), String> {
        if self.resuming || open.previous_site_role.as_ref() == Some(&self.from) {
            self.leave = open.groups_removed.clone();
            return Ok(());
        }
        let now = &self.account.site_role;
        Err(format!(
            "Tableau showed {now} when the suspend was tried again"
        ))
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<GroupsLeft> {
        let user = &self.account.id;
        if !self.account.site_role.is_unlicensed() {
            let unlicense = users::update_site_role(&ctx.site_luid, user, &SiteRole::Unlicensed);
            let body = ctx.transport.send(&unlicense).await?;
            users::decode_updated_user(&body)?;
        }
        let (mut left, mut problems) = (Vec::new(), Vec::new());
        for (gid, name) in self.leave.iter().zip(self.names_of(&self.leave)) {
            if self.member_of.contains(gid) {
                let leave = groups::remove_member(&ctx.site_luid, gid, user);
                if let Err(e) = Left::from_answer(ctx.transport.send(&leave).await) {
                    problems.push(format!("could not leave {name}: {e}"));
                    continue;
                }
            }
            left.push(gid.clone());
        }
        Ok((left, problems))
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        (left, problems): GroupsLeft,
        result: &mut ActionResult,
    ) -> Result<Verdict> {
        let now = role_now(ctx, &self.account.id).await?;
        if !now.is_unlicensed() {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau shows {now} after the update, not Unlicensed"),
                change: StoreChange::role(now),
            });
        }
        result.groups = self.names_of(&left);
        let mut outcome = render::suspended(&self.from, &result.groups);
        if !problems.is_empty() {
            outcome.push_str(&format!("; {}", problems.join("; ")));
        }
        Ok(Verdict::Done {
            outcome,
            change: StoreChange {
                role: Some(now),
                left_groups: left,
                ..StoreChange::default()
            },
            unfinished: (!problems.is_empty()).then_some(
                "the suspension is done but may not stick: remove the user from those groups in Tableau",
            ),
        })
    }
}
