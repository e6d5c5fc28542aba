//! Provisioning groups, journalled like every action: adding a user to a
//! group (`add_member.rs`), creating a local group, and deleting a group. A group synchronised from a
//! directory is managed there and is never deleted; nor is "All Users".

use std::sync::OnceLock;

use tabgov_mapping::{is_directory_domain, Group, GroupId, UserId};
use tabgov_state::{GroupRecord, IntentTarget, JournalEntry, NewJournalEntry, StoreChange};

use super::engine::{
    act_keeping_error, journal_action, AlreadyDone, Change, Decision, Planned, Refused, Subject,
    Verdict,
};
use super::provision::base;
use super::provisioned::{concluded, group_record, site_groups_now};
use super::{ActionContext, ActionResult, Outcome, Verb};
use crate::api::groups;
use crate::api::outcome::{is_definite, Created, GroupDeleted};
use crate::{Error, Result};

pub use super::add_member::{add_member, MemberOutcome};
/// Journals a refusal that changed nothing: Tableau's 4xx, or the typed
/// answers made of one (a name taken, a group gone).
pub(super) fn definite(e: &Error) -> Option<Refused> {
    let typed = matches!(e, Error::AlreadyExists { .. } | Error::NotFound { .. });
    (typed || is_definite(e)).then(|| Refused {
        outcome: e.to_string(),
        change: StoreChange::none(),
        shown: Outcome::Failed,
    })
}

/// Creates the local group `name` and records it in the store. A name the
/// site already has (any case) is [`Error::AlreadyExists`]; a dry run is
/// [`Error::Planned`]. A creation interrupted after Tableau made the group
/// is finished by the next call with the same name.
pub async fn create_group(ctx: &ActionContext<'_>, name: &str) -> Result<GroupRecord> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Config("a group to create needs a name".into()));
    }
    let nobody = UserId::from("");
    let base = base(name, Verb::CreateGroup, ctx.opts.dry_run);
    let who = Subject {
        user_id: &nobody,
        user_name: None,
        reason: None,
        ticket: None,
    };
    let created = OnceLock::new();
    let planning = plan_create(ctx, name, &created, base.clone());
    concluded(act_keeping_error(ctx, Verb::CreateGroup, who, &base, planning).await)?;
    let group = created
        .into_inner()
        .ok_or_else(|| Error::Internal("a group was created without its record".into()))?;
    Ok(group_record(ctx, group))
}

async fn plan_create<'a>(
    ctx: &ActionContext<'_>,
    name: &'a str,
    created: &'a OnceLock<Group>,
    result: ActionResult,
) -> Result<Planned<Creation<'a>>> {
    let open = match ctx.site {
        Some(site) => {
            let action = journal_action(Verb::CreateGroup);
            let target = IntentTarget::GroupName(name);
            ctx.store
                .journal_open_intent_for(site, &action, target)
                .await?
        }
        None => None,
    };
    let existing = site_groups_now(ctx)
        .await?
        .into_iter()
        .find(|g| g.name.eq_ignore_ascii_case(name));
    let decision = match (existing, &open) {
        (Some(_), None) => {
            return Err(Error::AlreadyExists {
                what: format!("a group named '{name}'"),
            })
        }
        // An earlier attempt created it and died before its outcome.
        (Some(group), Some(_)) => {
            let _ = created.set(group.clone());
            Decision::AlreadyDone(AlreadyDone {
                reason: format!("group {name} exists"),
                detail: format!("nothing to do: group {name} exists"),
                settles: format!("created group {name} (an interrupted attempt, settled)"),
                change: StoreChange {
                    created_group: Some(Box::new(group)),
                    ..StoreChange::default()
                },
            })
        }
        (None, _) => Decision::Change {
            change: Creation { name, created },
            planned: format!("would create the local group {name}"),
        },
    };
    Ok(Planned::new(open, decision, result))
}

/// A local group being created.
struct Creation<'a> {
    name: &'a str,
    created: &'a OnceLock<Group>,
}

impl Change for Creation<'_> {
    type Sent = Group;

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.target_group_name = Some(self.name.to_owned());
    }

    fn continues(&mut self, _open: &JournalEntry) -> std::result::Result<(), String> {
        // Only an intent to create this very name is looked up.
        Ok(())
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<Group> {
        let create = groups::create_group(&ctx.site_luid, self.name, None);
        match Created::from_answer(ctx.transport.send(&create).await)? {
            Created::Done(body) => groups::decode_group(&body),
            Created::NameTaken => Err(Error::AlreadyExists {
                what: format!("a group named '{}'", self.name),
            }),
        }
    }

    fn refused(&self, e: &Error) -> Option<Refused> {
        definite(e)
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        sent: Group,
        _: &mut ActionResult,
    ) -> Result<Verdict> {
        let listed = site_groups_now(ctx).await?;
        let Some(group) = listed.into_iter().find(|g| g.id == sent.id) else {
            return Ok(Verdict::NotDone {
                outcome: format!(
                    "Tableau does not list group {} after creating it",
                    self.name
                ),
                change: StoreChange::none(),
            });
        };
        let outcome = format!("created the local group {}", group.name);
        let change = StoreChange {
            created_group: Some(Box::new(group.clone())),
            ..StoreChange::default()
        };
        let _ = self.created.set(group);
        Ok(Verdict::Done {
            outcome,
            change,
            unfinished: None,
        })
    }
}

/// Deletes the local group `group` (its members stay on the site) and
/// marks it removed in the store. "All Users" is [`Error::Refused`]; a
/// group synchronised from a directory is [`Error::DirectoryGroup`]; a
/// group the site does not have is [`Error::NotFound`], unless an earlier
/// attempt deleted it and died, which this call settles; a dry run is
/// [`Error::Planned`].
pub async fn delete_group(ctx: &ActionContext<'_>, group: &GroupId) -> Result<()> {
    let nobody = UserId::from("");
    let base = base(group.as_str(), Verb::DeleteGroup, ctx.opts.dry_run);
    let who = Subject {
        user_id: &nobody,
        user_name: None,
        reason: None,
        ticket: None,
    };
    let planning = plan_delete(ctx, group, base.clone());
    concluded(act_keeping_error(ctx, Verb::DeleteGroup, who, &base, planning).await).map(|_| ())
}

async fn plan_delete(
    ctx: &ActionContext<'_>,
    group_id: &GroupId,
    result: ActionResult,
) -> Result<Planned<Deletion>> {
    let open = match ctx.site {
        Some(site) => {
            let action = journal_action(Verb::DeleteGroup);
            let target = IntentTarget::Group(group_id);
            ctx.store
                .journal_open_intent_for(site, &action, target)
                .await?
        }
        None => None,
    };
    let listed = site_groups_now(ctx).await?;
    let gone = StoreChange {
        deleted_group: Some(group_id.clone()),
        ..StoreChange::default()
    };
    let Some(group) = listed.into_iter().find(|g| g.id == *group_id) else {
        let Some(open) = open else {
            return Err(Error::NotFound {
                what: format!("group {group_id}"),
            });
        };
        let name = open.intent.target_group_name.clone();
        let name = name.unwrap_or_else(|| group_id.to_string());
        let done = AlreadyDone {
            reason: format!("group {name} is gone"),
            detail: format!("nothing to do: group {name} is gone"),
            settles: format!("deleted group {name} (an interrupted attempt, settled)"),
            change: gone,
        };
        return Ok(Planned::new(
            Some(open),
            Decision::AlreadyDone(done),
            result,
        ));
    };
    if group.is_all_users() {
        let refusal = "refused: \"All Users\" cannot be deleted".to_owned();
        return Ok(Planned::new(
            open,
            Decision::Ended(Outcome::Refused, refusal),
            result,
        ));
    }
    if is_directory_domain(group.domain.as_deref()) {
        return Err(Error::DirectoryGroup {
            name: group.name,
            domain: group.domain.unwrap_or_default(),
        });
    }
    let planned = format!("would delete the local group {}", group.name);
    let change = Deletion { group, gone };
    Ok(Planned::new(
        open,
        Decision::Change { change, planned },
        result,
    ))
}

/// A group being deleted.
struct Deletion {
    group: Group,
    gone: StoreChange,
}

impl Change for Deletion {
    type Sent = ();

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.target_group_id = Some(self.group.id.clone());
        entry.target_group_name = Some(self.group.name.clone());
    }

    fn continues(&mut self, _open: &JournalEntry) -> std::result::Result<(), String> {
        // Only an intent to delete this very group is looked up.
        Ok(())
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<()> {
        let delete = groups::delete_group(&ctx.site_luid, &self.group.id);
        // Gone already (a repeat that went through): the read-back decides.
        GroupDeleted::from_answer(ctx.transport.send(&delete).await).map(|_| ())
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        (): (),
        _: &mut ActionResult,
    ) -> Result<Verdict> {
        let name = &self.group.name;
        if site_groups_now(ctx)
            .await?
            .iter()
            .any(|g| g.id == self.group.id)
        {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau still lists group {name} after deleting it"),
                change: StoreChange::none(),
            });
        }
        Ok(Verdict::Done {
            outcome: format!("deleted the local group {name}"),
            change: self.gone.clone(),
            unfinished: None,
        })
    }
}
