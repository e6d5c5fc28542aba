//! The governance actions: suspend, restore and deprovision, one user or a
//! batch (an offboarding file) at a time; and provisioning, one change at a
//! time ([`provision`]: add and update users; [`group_admin`]: add members,
//! create and delete groups).
//!
//! Every action follows the same path. Targets are resolved against Tableau
//! (by LUID, sign-in name or email) and the whole batch is validated before
//! anything changes. Each target is then planned with the domain's rules
//! (`plan_suspend`, `plan_deprovision`: never the connector's own account,
//! never the last site administrator, no removal of a content owner without
//! a new owner), and carried out journal first: an `intent` row commits
//! before the Tableau call, and the outcome is written after it in the same
//! transaction as the store's account update. An intent left open by a
//! crash is finished by the next attempt of the same action, so repeating
//! an action always ends in the right state with one completed entry.
//! `dry_run` stops after planning: nothing changes in Tableau or the store.

mod add_member;
mod batch;
mod batch_check;
mod context;
mod current;
mod deprovision;
mod engine;
mod fault;
pub mod group_admin;
mod inventory;
mod journal;
mod listing_match;
pub mod offboard;
pub mod offboard_rows;
mod progress;
pub mod provision;
mod provisioned;
pub mod remove_member;
pub mod render;
pub mod resolve;
mod restore;
mod result;
pub mod review;
mod role_change;
mod safety;
pub mod scopes;
mod suspend;

use serde::{Deserialize, Serialize};
use tabgov_mapping::{BatchPolicy, OnContent};

pub use batch::run_batch;
pub use context::ActionContext;
pub use current::is_member;
pub use inventory::{ContentIndex, Inventory};
pub use progress::{BatchProgress, BatchStage};
pub use result::{ActionResult, Outcome};
pub use safety::{other_site_admins, site_admins_request};

/// The action asked for one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    Suspend,
    Restore,
    Deprovision,
    /// Leave one group: an access review's revoke of a membership. Not an
    /// offboarding action (it needs a group), so [`Verb::parse`] does not
    /// read it.
    RemoveMember,
    /// Provisioning (see [`provision`] and [`group_admin`]): called one at a
    /// time by a service, never read from an offboarding file.
    AddUser,
    UpdateUser,
    AddMember,
    CreateGroup,
    DeleteGroup,
}

impl Verb {
    /// The name used on the command line and in offboarding files.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Suspend => "suspend",
            Verb::Restore => "restore",
            Verb::Deprovision => "deprovision",
            Verb::RemoveMember => "remove_member",
            Verb::AddUser => "add_user",
            Verb::UpdateUser => "update_user",
            Verb::AddMember => "add_member",
            Verb::CreateGroup => "create_group",
            Verb::DeleteGroup => "delete_group",
        }
    }

    /// Reads an offboarding action's name (case-insensitive, surrounding
    /// blanks ignored).
    pub fn parse(s: &str) -> Option<Verb> {
        [Verb::Suspend, Verb::Restore, Verb::Deprovision]
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// True for the provisioning actions, which a batch does not run.
    pub fn is_provisioning(self) -> bool {
        matches!(
            self,
            Verb::AddUser
                | Verb::UpdateUser
                | Verb::AddMember
                | Verb::CreateGroup
                | Verb::DeleteGroup
        )
    }

    /// True for the actions that take a licence or an account away, which
    /// the last-site-administrator rule guards.
    pub fn takes_access(self) -> bool {
        matches!(self, Verb::Suspend | Verb::Deprovision)
    }
}

impl std::fmt::Display for Verb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One target as the operator named it (serialisable: the service keeps
/// an accepted job's targets until it has run them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRequest {
    /// Line of the offboarding file, for messages; `None` on the command line.
    pub line: Option<u64>,
    /// The user as given: LUID, sign-in name or email.
    pub user: String,
    pub verb: Verb,
    /// Who receives the content of a deprovisioned owner (as given).
    pub transfer_to: Option<String>,
    /// What a deprovision does when the user owns content and no
    /// `transfer_to` is given.
    pub on_content: OnContent,
    /// Also leave the groups that would license the user again on sign-in.
    pub sticky: bool,
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

impl TargetRequest {
    /// A request with defaults (no transfer, refuse on content, not sticky).
    pub fn new(user: impl Into<String>, verb: Verb) -> TargetRequest {
        TargetRequest {
            line: None,
            user: user.into(),
            verb,
            transfer_to: None,
            on_content: OnContent::Refuse,
            sticky: false,
            reason: None,
            ticket: None,
        }
    }

    /// How messages name this target: its file line, else the user as given.
    pub fn label(&self) -> String {
        match self.line {
            Some(line) => format!("line {line}"),
            None => format!("'{}'", self.user),
        }
    }
}

/// How a batch may act.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionOptions {
    /// Who asked (journalled): an operator, an HR feed, a ticket system.
    pub actor: Option<String>,
    /// Plan only: change nothing in Tableau or the store.
    pub dry_run: bool,
    /// How many changes a batch may make without confirmation.
    pub batch: BatchPolicy,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_parse_loosely_and_print_exactly() {
        for verb in [Verb::Suspend, Verb::Restore, Verb::Deprovision] {
            assert_eq!(Verb::parse(verb.as_str()), Some(verb));
        }
        assert_eq!(Verb::parse(" Deprovision "), Some(Verb::Deprovision));
        assert_eq!(Verb::parse("delete"), None);
        assert_eq!(Verb::parse("remove_member"), None, "needs a group");
        assert_eq!(Verb::parse("add_user"), None, "not an offboarding action");
        assert!(Verb::CreateGroup.is_provisioning() && !Verb::Suspend.is_provisioning());
        assert!(Verb::Suspend.takes_access() && !Verb::Restore.takes_access());
    }

    #[test]
    fn labels_name_the_line_when_there_is_one() {
        let mut r = TargetRequest::new("alice", Verb::Suspend);
        assert_eq!(r.label(), "'alice'");
        r.line = Some(4);
        assert_eq!(r.label(), "line 4");
    }
}
