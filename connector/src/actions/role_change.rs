//! The Tableau side of suspend and restore, which are one change in two
//! directions: set the site role (to Unlicensed, or back to the journalled
//! role) and adjust group memberships alongside (leave the groups that
//! would license again, or rejoin the groups the suspend left), then read
//! the role back.

use std::collections::HashMap;

use tabgov_mapping::{Account, GroupId, GroupRef, SiteRole};
use tabgov_state::{JournalEntry, NewJournalEntry};

use super::current::role_now;
use super::engine::{Change, Verdict};
use super::journal::StoreChange;
use super::{render, ActionContext, ActionResult};
use crate::api::outcome::{Joined, Left};
use crate::api::{groups, users};
use crate::Result;

/// Which way the memberships go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Memberships {
    /// Suspend: leave `groups` (those the user is still in).
    Leave,
    /// Restore: rejoin `groups`.
    Rejoin,
}

/// A role change under way.
pub(crate) struct RoleChange<'a> {
    pub account: &'a Account,
    pub from: SiteRole,
    pub to: SiteRole,
    pub memberships: Memberships,
    pub groups: Vec<GroupRef>,
    /// Ids of the groups Tableau lists the user in now.
    pub member_of: Vec<GroupId>,
    /// Group names by id, for the groups of an interrupted attempt.
    pub names: HashMap<GroupId, String>,
}

/// Groups done, problems with the others, and warnings.
pub(crate) struct GroupsDone {
    done: Vec<GroupRef>,
    problems: Vec<String>,
    warnings: Vec<String>,
}

impl RoleChange<'_> {
    /// The groups `ids` with the names this change knows (else the id).
    pub fn refs(&self, ids: &[GroupId]) -> Vec<GroupRef> {
        let name = |id: &GroupId| self.names.get(id).cloned();
        let named = |id: &GroupId| GroupRef {
            id: id.clone(),
            name: name(id).unwrap_or_else(|| id.to_string()),
        };
        ids.iter().map(named).collect()
    }

    /// Whether Tableau's role `now` is the one asked for: any unlicensed
    /// role ends a suspend.
    fn arrived(&self, now: &SiteRole) -> bool {
        now == &self.to || (self.to.is_unlicensed() && now.is_unlicensed())
    }

    async fn adjust(&self, ctx: &ActionContext<'_>, group: &GroupRef) -> Result<Option<String>> {
        let (site, user) = (&ctx.site_luid, &self.account.id);
        match self.memberships {
            Memberships::Leave if !self.member_of.contains(&group.id) => Ok(None),
            Memberships::Leave => {
                let leave = groups::remove_member(site, &group.id, user);
                Left::from_answer(ctx.transport.send(&leave).await).map(|_| None)
            }
            Memberships::Rejoin => {
                let join = groups::add_member(site, &group.id, user);
                Ok(
                    match Joined::from_answer(ctx.transport.send(&join).await)? {
                        Joined::Added | Joined::AlreadyMember => None,
                        Joined::NoSuchGroup => Some(format!(
                            "group {} no longer exists; not rejoined",
                            group.name
                        )),
                    },
                )
            }
        }
    }
}

impl Change for RoleChange<'_> {
    type Sent = GroupsDone;

    fn fill(&self, entry: &mut NewJournalEntry) {
        entry.previous_site_role = Some(self.from.clone());
        entry.new_site_role = Some(self.to.clone());
        if self.memberships == Memberships::Leave {
            entry.groups_removed = self.groups.iter().map(|g| g.id.clone()).collect();
        }
    }

    fn continues(&mut self, open: &JournalEntry) -> std::result::Result<(), String> {
        let (from, to) = (&open.intent.previous_site_role, &open.intent.new_site_role);
        if from.as_ref() != Some(&self.from) || to.as_ref() != Some(&self.to) {
            let now = &self.account.site_role;
            return Err(format!("Tableau showed {now} when it was tried again"));
        }
        if self.memberships == Memberships::Leave {
            self.groups = self.refs(&open.intent.groups_removed);
        }
        Ok(())
    }

    async fn send(&mut self, ctx: &ActionContext<'_>) -> Result<GroupsDone> {
        if !self.arrived(&self.account.site_role) {
            let set = users::update_site_role(&ctx.site_luid, &self.account.id, &self.to);
            users::decode_updated_user(&ctx.transport.send(&set).await?)?;
        }
        let mut sent = GroupsDone {
            done: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
        };
        for group in &self.groups {
            match self.adjust(ctx, group).await {
                Ok(None) => sent.done.push(group.clone()),
                Ok(Some(warning)) => sent.warnings.push(warning),
                Err(e) => sent.problems.push(match self.memberships {
                    Memberships::Leave => format!("could not leave {}: {e}", group.name),
                    Memberships::Rejoin => format!("could not rejoin {}: {e}", group.name),
                }),
            }
        }
        Ok(sent)
    }

    async fn verify(
        &mut self,
        ctx: &ActionContext<'_>,
        sent: GroupsDone,
        result: &mut ActionResult,
    ) -> Result<Verdict> {
        result.warnings.extend(sent.warnings);
        let now = role_now(ctx, &self.account.id).await?;
        if !self.arrived(&now) {
            return Ok(Verdict::NotDone {
                outcome: format!("Tableau shows {now} after the update, not {}", self.to),
                change: StoreChange::role(now),
            });
        }
        result.groups = sent.done.iter().map(|g| g.name.clone()).collect();
        let ids = sent.done.into_iter().map(|g| g.id).collect();
        let mut change = StoreChange::role(now);
        let (did, advice) = match self.memberships {
            Memberships::Leave => {
                change.left_groups = ids;
                ("left", "the suspension is done but may not stick: remove the user from those groups in Tableau")
            }
            Memberships::Rejoin => {
                change.joined_groups = ids;
                ("rejoined", "add the user to those groups in Tableau")
            }
        };
        let (from, to) = (&self.from, &self.to);
        let outcome = render::role_changed(from, to, did, &result.groups, &sent.problems);
        let unfinished = (!sent.problems.is_empty()).then_some(advice);
        Ok(Verdict::Done {
            outcome,
            change,
            unfinished,
        })
    }
}
