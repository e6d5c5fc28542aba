//! Adding a user to a group, journalled like every action: already a
//! member is a journalled no-op, with no call to Tableau.

use tabgov_mapping::{Account, Group, GroupId, UserId};
use tabgov_state::{JournalEntry, NewJournalEntry, StoreChange};

use super::current::{account_now, groups_of, is_member};
use super::engine::{
    act_keeping_error, open_intent, AlreadyDone, Change, Decision, Planned, Refused, Subject,
    Verdict,
};
use super::group_admin::definite;
use super::provision::base;
use super::provisioned::concluded;
use super::{ActionContext, ActionResult, Outcome, Verb};
use crate::api::groups;
use crate::api::outcome::Joined;
use crate::{Error, Result};

/// How adding a member ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberOutcome {
    /// Tableau added the user to the group.
    Added,
    /// The user was in the group already: nothing was sent.
    AlreadyMember,
}

/// Adds `user` to `group` and records the membership in the store. A user
/// or group the site does not have is [`Error::NotFound`]; a dry run is
/// [`Error::Planned`].
pub async fn add_member(
    ctx: &ActionContext<'_>,
    group: &GroupId,
    user: &UserId,
) -> Result<MemberOutcome> {
    let Some(account) = account_now(ctx, user).await? else {
        return Err(Error::NotFound {
            what: format!("user {user}"),
        });
    };
    let base = base(&account.name, Verb::AddMember, ctx.opts.dry_run)
        .user_is(&account.id, Some(&account.name));
    let who = Subject {
        user_id: &account.id,
        user_name: Some(&account.name),
        reason: None,
        ticket: None,
    };
    let planning = plan_join(ctx, group, &account, base.clone());
    let done = concluded(act_keeping_error(ctx, Verb::AddMember, who, &base, planning).await)?;
    Ok(match done.result {
        Outcome::Noop => MemberOutcome::AlreadyMember,
        _ => MemberOutcome::Added,
    })
}

async fn plan_join<'a>(
    ctx: &ActionContext<'_>,
    group_id: &GroupId,
    account: &'a Account,
    mut result: ActionResult,
) -> Result<Planned<Join<'a>>> {
    let mine = groups_of(ctx, &account.id).await?;
    let site = ctx.site_groups.get().and_then(|all| all.get(group_id));
    let Some(group) = site.or_else(|| mine.iter().find(|g| g.id == *group_id)) else {
        return Err(Error::NotFound {
            what: format!("group {group_id}"),
        });
    };
    let group = group.clone();
    result.groups = vec![group.name.clone()];
    let open = open_intent(ctx, &account.id, Verb::AddMember)
        .await?
        .filter(|o| o.intent.target_group_id.as_ref() == Some(group_id));
    let (user, name) = (&account.name, &group.name);
    let change = StoreChange {
        joined_groups: vec![group.id.clone()],
        ..StoreChange::role(account.site_role.clone())
    };
    let decision = if mine.iter().any(|g| g.id == *group_id) {
        Decision::AlreadyDone(AlreadyDone {
            reason: format!("{user} is already in {name}"),
            detail: format!("nothing to do: {user} is already in {name}"),
            settles: format!("added {user} to {name} (an interrupted attempt, settled)"),
            change,
        })
    } else {
        let planned = format!("would add {user} to {name}");
        let change = Join {
            account,
            group,
            change,
        };
        Decision::Change { change, planned }
    };
    Ok(Planned::new(open, decision, result))
}

/// A membership being added.
struct Join<'a> {
    account: &'a Account,
    group: Group,
    change: StoreChange,
}

impl Change for Join<'_> {
    type Sent = ();

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.target_group_id = Some(self.group.id.clone());
        entry.target_group_name = Some(self.group.name.clone());
    }

    fn continues(&mut self, _open: &JournalEntry) -> std::result::Result<(), String> {
        // Only an intent about this very membership is looked up.
        Ok(())
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<()> {
        let join = groups::add_member(&ctx.site_luid, &self.group.id, &self.account.id);
        match Joined::from_answer(ctx.transport.send(&join).await)? {
            // A repeat whose first attempt went through: the read-back decides.
            Joined::Added | Joined::AlreadyMember => Ok(()),
            Joined::NoSuchGroup => Err(Error::NotFound {
                what: format!("group {}", self.group.name),
            }),
        }
    }

    fn refused(&self, e: &Error) -> Option<Refused> {
        definite(e)
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        (): (),
        _: &mut ActionResult,
    ) -> Result<Verdict> {
        let (user, group) = (&self.account.name, &self.group.name);
        if !is_member(ctx, &self.account.id, &self.group.id).await? {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau does not list {user} in {group} after the add"),
                change: StoreChange::none(),
            });
        }
        Ok(Verdict::Done {
            outcome: format!("added {user} to {group}"),
            change: self.change.clone(),
            unfinished: None,
        })
    }
}
