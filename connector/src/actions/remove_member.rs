//! Removing one user from one group (an access review's revoke of a group
//! membership), journalled like every action. A membership Tableau no
//! longer shows is a journalled no-op.

use tabgov_mapping::{plan_remove_member, Account, GroupId, RemoveMemberPlan, UserId};
use tabgov_state::{JournalEntry, NewJournalEntry};

use super::current::{account_now, groups_of, is_member};
use super::engine::{act, open_intent, AlreadyDone, Change, Decision, Planned, Subject, Verdict};
use super::journal::StoreChange;
use super::{render, ActionContext, ActionResult, Outcome, Verb};
use crate::api::groups;
use crate::api::outcome::Left;
use crate::Result;

/// One membership to end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRequest {
    pub user_id: UserId,
    pub group_id: GroupId,
    /// For messages and the journal.
    pub group_name: String,
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

/// Takes the user out of the group; never fails as a whole.
pub async fn remove_from_group(
    ctx: &ActionContext<'_>,
    request: &MembershipRequest,
) -> ActionResult {
    let base = ActionResult::for_membership(request, ctx.opts.dry_run);
    let account = match account_now(ctx, &request.user_id).await {
        Ok(Some(account)) => account,
        Ok(None) => {
            let detail = "nothing to do: the user is no longer on the site";
            return base.ended(Outcome::Noop, detail);
        }
        Err(e) => return base.failed(&e),
    };
    let base = base.user_is(&account.id, Some(&account.name));
    let who = Subject {
        user_id: &account.id,
        user_name: Some(&account.name),
        reason: request.reason.as_deref(),
        ticket: request.ticket.as_deref(),
    };
    let planning = plan(ctx, request, &account, base.clone());
    act(ctx, Verb::RemoveMember, who, &base, planning).await
}

async fn plan<'a>(
    ctx: &ActionContext<'_>,
    request: &'a MembershipRequest,
    account: &'a Account,
    mut result: ActionResult,
) -> Result<Planned<Leave<'a>>> {
    let (user, group) = (&account.name, &request.group_name);
    let open = open_intent(ctx, &account.id, Verb::RemoveMember)
        .await?
        .filter(|o| o.intent.groups_removed.contains(&request.group_id));
    let mine = groups_of(ctx, &account.id).await?;
    let current = mine.iter().find(|g| g.id == request.group_id);
    let own = &ctx.own_user_id;
    let plan = plan_remove_member(&account.id, own, user, group, current.is_some());
    // The store update: the membership is gone, the role as Tableau shows it.
    let change = StoreChange {
        role: Some(account.site_role.clone()),
        left_groups: vec![request.group_id.clone()],
        ..StoreChange::default()
    };
    let decision = match plan {
        RemoveMemberPlan::Refuse { refusal } => {
            Decision::Ended(Outcome::Refused, refusal.to_string())
        }
        RemoveMemberPlan::Noop { reason } => Decision::AlreadyDone(AlreadyDone {
            detail: format!("nothing to do: {reason}"),
            settles: format!("removed {user} from {group} (an interrupted attempt, settled)"),
            change,
            reason,
        }),
        RemoveMemberPlan::Remove => {
            let warning = render::directory_sync_warning(&current.into_iter().collect::<Vec<_>>());
            result.warnings.extend(warning);
            let planned = format!("would remove {user} from {group}");
            let change = Leave {
                account,
                request,
                change,
            };
            Decision::Change { change, planned }
        }
    };
    Ok(Planned::new(open, decision, result))
}

/// A membership removal under way.
struct Leave<'a> {
    account: &'a Account,
    request: &'a MembershipRequest,
    change: StoreChange,
}

impl Change for Leave<'_> {
    type Sent = ();

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.previous_site_role = Some(self.account.site_role.clone());
        entry.new_site_role = Some(self.account.site_role.clone());
        entry.groups_removed = vec![self.request.group_id.clone()];
    }

    fn continues(&mut self, _open: &JournalEntry) -> std::result::Result<(), String> {
        // Only an intent about this very membership is looked up.
        Ok(())
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<()> {
        let gid = &self.request.group_id;
        let leave = groups::remove_member(&ctx.site_luid, gid, &self.account.id);
        // Not a member any more (gone in between): the read-back decides.
        Left::from_answer(ctx.transport.send(&leave).await).map(|_| ())
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        (): (),
        _: &mut ActionResult,
    ) -> Result<Verdict> {
        let (user, group) = (&self.account.name, &self.request.group_name);
        if is_member(ctx, &self.account.id, &self.request.group_id).await? {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau still lists {user} in {group} after the removal"),
                change: StoreChange::none(),
            });
        }
        Ok(Verdict::Done {
            outcome: format!("removed {user} from {group}"),
            change: self.change.clone(),
            unfinished: None,
        })
    }
}
