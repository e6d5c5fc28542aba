//! What happened to each target: one result type for every action, as the
//! command line and a service report it.

use serde::Serialize;
use tabgov_mapping::{OwnedContent, SiteRole, UserId};
use tabgov_state::JournalId;

use super::inventory::Inventory;
use super::remove_member::MembershipRequest;
use super::{TargetRequest, Verb};
use crate::{Error, ExitCode};

/// How one target ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Tableau changed and the change was verified.
    Completed,
    /// Nothing to do (already suspended, already gone, already restored).
    Noop,
    /// Dry run: what a real run would do.
    Planned,
    /// A safety rule refused it.
    Refused,
    /// Tableau refused the removal (`409003`) and kept the user, Unlicensed.
    Kept,
    /// Tableau or the store failed; see the detail.
    Failed,
}

impl Outcome {
    /// The printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Noop => "noop",
            Outcome::Planned => "planned",
            Outcome::Refused => "refused",
            Outcome::Kept => "kept",
            Outcome::Failed => "failed",
        }
    }

    /// The exit code one target ending this way asks for: a failure is
    /// runtime; a refusal, or a user Tableau kept, is refused.
    pub fn row_exit_code(self) -> ExitCode {
        match self {
            Outcome::Failed => ExitCode::Runtime,
            Outcome::Refused | Outcome::Kept => ExitCode::Refused,
            Outcome::Completed | Outcome::Noop | Outcome::Planned => ExitCode::Success,
        }
    }

    /// The exit code a batch ends with: a failure before a refusal
    /// ([`ExitCode::worst`]).
    pub fn exit_code(results: &[ActionResult]) -> ExitCode {
        Outcome::worst_exit_code(results.iter().map(|r| r.result))
    }

    /// The exit code of rows that ended as `outcomes`: the worst of theirs.
    pub fn worst_exit_code(outcomes: impl IntoIterator<Item = Outcome>) -> ExitCode {
        outcomes
            .into_iter()
            .map(Outcome::row_exit_code)
            .fold(ExitCode::Success, ExitCode::worst)
    }
}

/// One target's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionResult {
    /// Line of the offboarding file.
    pub line: Option<u64>,
    /// The user as given.
    pub user: String,
    pub user_id: Option<UserId>,
    pub user_name: Option<String>,
    /// What was asked.
    pub requested: Verb,
    /// What was done or planned (a deprovision may suspend instead).
    pub action: Verb,
    pub result: Outcome,
    pub previous_role: Option<String>,
    pub new_role: Option<String>,
    /// One sentence: what was (or would be) done, or why not.
    pub detail: String,
    pub warnings: Vec<String>,
    /// Content owned before a deprovision.
    pub owned: Option<OwnedContent>,
    /// That content as `kind:name`.
    pub owned_items: Vec<String>,
    /// Names of the groups left (suspend) or joined again (restore).
    pub groups: Vec<String>,
    /// The LUID that received the content.
    pub transfer_to: Option<UserId>,
    pub journal_id: Option<JournalId>,
    /// Tableau's error code, when Tableau refused.
    pub tableau_code: Option<String>,
    pub dry_run: bool,
}

impl ActionResult {
    /// A result for `request`, to be filled in.
    pub fn new(request: &TargetRequest, dry_run: bool) -> ActionResult {
        ActionResult {
            line: request.line,
            user: request.user.clone(),
            user_id: None,
            user_name: None,
            requested: request.verb,
            action: request.verb,
            result: Outcome::Planned,
            previous_role: None,
            new_role: None,
            detail: String::new(),
            warnings: Vec::new(),
            owned: None,
            owned_items: Vec::new(),
            groups: Vec::new(),
            transfer_to: None,
            journal_id: None,
            tableau_code: None,
            dry_run,
        }
    }

    /// A result for a membership removal, to be filled in.
    pub fn for_membership(request: &MembershipRequest, dry_run: bool) -> ActionResult {
        let mut target = TargetRequest::new(request.user_id.to_string(), Verb::RemoveMember);
        target.reason = request.reason.clone();
        target.ticket = request.ticket.clone();
        let mut result = ActionResult::new(&target, dry_run).user_is(&request.user_id, None);
        result.groups = vec![request.group_name.clone()];
        result
    }

    /// Names the user acted on.
    pub fn user_is(mut self, id: &UserId, name: Option<&str>) -> ActionResult {
        self.user_id = Some(id.clone());
        self.user_name = name.map(str::to_owned);
        self
    }

    /// Records the roles before and after.
    pub fn roles(mut self, from: Option<&SiteRole>, to: Option<&SiteRole>) -> ActionResult {
        self.previous_role = from.map(|r| r.to_string());
        self.new_role = to.map(|r| r.to_string());
        self
    }

    /// Records a deprovision target's content.
    pub fn owning(mut self, inventory: &Inventory) -> ActionResult {
        self.owned = Some(inventory.counts());
        self.owned_items = inventory.labels();
        self
    }

    /// Ends the result as `outcome` with its sentence.
    pub fn ended(mut self, outcome: Outcome, detail: impl Into<String>) -> ActionResult {
        self.result = outcome;
        self.detail = detail.into();
        self
    }

    /// Ends the result as failed with `error`, keeping Tableau's code.
    pub fn failed(mut self, error: &Error) -> ActionResult {
        self.tableau_code = error.tableau().map(|t| t.code.to_string());
        self.ended(Outcome::Failed, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(outcome: Outcome) -> ActionResult {
        ActionResult::new(&TargetRequest::new("u", Verb::Suspend), false).ended(outcome, "")
    }

    #[test]
    fn failures_outrank_refusals_in_the_exit_code() {
        use Outcome::*;
        let code = |results: &[ActionResult]| Outcome::exit_code(results).code();
        assert_eq!(code(&[]), 0);
        assert_eq!(code(&[result(Completed), result(Noop)]), 0);
        assert_eq!(code(&[result(Planned)]), 0);
        assert_eq!(code(&[result(Completed), result(Refused)]), 3);
        assert_eq!(code(&[result(Kept)]), 3);
        assert_eq!(code(&[result(Refused), result(Failed)]), 1);
    }

    #[test]
    fn failures_keep_tableaus_code() {
        let e = Error::Tableau(crate::TableauError {
            status: 409,
            code: crate::ErrorCode::NO_LICENSE_CAPACITY,
            summary: "No capacity".into(),
            detail: String::new(),
        });
        let r = ActionResult::new(&TargetRequest::new("u", Verb::Restore), false).failed(&e);
        assert_eq!(r.result, Outcome::Failed);
        assert_eq!(r.tableau_code.as_deref(), Some("409014"));
        assert!(r.detail.contains("409014"));
    }
}
