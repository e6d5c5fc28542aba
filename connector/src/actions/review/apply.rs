//! `tabgov review apply`: carrying out the checked revokes of a review
//! sheet through the actions. A group revoke removes that membership; a
//! site-role or licence revoke suspends the user; an account revoke
//! deprovisions (with the actions' ownership rules). Several revokes of one
//! user become one suspend or deprovision, after the group removals.

use std::collections::BTreeMap;

use serde::Serialize;
use tabgov_mapping::{EntitlementKind, OnContent, RevokeAction};
use tabgov_state::JournalId;

use super::check::Revoke;
use crate::actions::remove_member::{remove_from_group, MembershipRequest};
use crate::actions::{run_batch, ActionContext, ActionResult, Outcome, TargetRequest, Verb};
use crate::reports::review_file::Location;
use crate::{ExitCode, Result};

/// How the revokes are carried out, beyond the sheet itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyRules {
    /// What a deprovision does with a content owner and no `transfer_to`.
    pub on_content: OnContent,
    /// The user (id, name or email) who receives a removed owner's content.
    pub transfer_to: Option<String>,
    /// A suspend also takes the user out of the groups that would license
    /// them again on sign-in, so the revoke sticks.
    pub sticky: bool,
    /// The journal's reason when the rows carry no comment.
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

/// One Tableau change of the review and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedRevoke {
    /// The sheet's rows behind it (`line 4, line 9`).
    pub rows: String,
    pub user: String,
    /// `group:NAME`, `site_role`, `license` or `account` (comma-joined when
    /// several rows of one user became one action).
    pub entitlement: String,
    /// `remove_membership`, `suspend` or `deprovision`.
    pub action: String,
    pub result: Outcome,
    pub detail: String,
    pub warnings: Vec<String>,
    pub journal_id: Option<JournalId>,
    pub tableau_code: Option<String>,
}

impl AppliedRevoke {
    /// The exit code of a run: a failure before a refusal, as for an
    /// action batch.
    pub fn exit_code(results: &[AppliedRevoke]) -> ExitCode {
        Outcome::worst_exit_code(results.iter().map(|r| r.result))
    }
}

/// The reviewers' comments as the journal's reason.
fn reason(revokes: &[&Revoke], rules: &ApplyRules) -> String {
    let comments: Vec<&str> = revokes
        .iter()
        .flat_map(|r| r.comments.iter().map(String::as_str))
        .collect();
    match (comments.is_empty(), &rules.reason) {
        (false, _) => format!("access review: {}", comments.join("; ")),
        (true, Some(reason)) => reason.clone(),
        (true, None) => "access review: revoked".to_owned(),
    }
}

/// Carries out `revokes` (already checked) in `ctx`, which says whether it
/// is a dry run and names the campaign and reviewer for the journal.
pub async fn apply_revokes(
    ctx: &ActionContext<'_>,
    revokes: &[Revoke],
    rules: &ApplyRules,
) -> Result<Vec<AppliedRevoke>> {
    let mut results = Vec::new();
    for revoke in revokes
        .iter()
        .filter(|r| r.action() == RevokeAction::RemoveMembership)
    {
        let Some(group_id) = &revoke.group_id else {
            continue;
        };
        let request = MembershipRequest {
            user_id: revoke.user_id.clone(),
            group_id: group_id.clone(),
            group_name: revoke.value.clone(),
            reason: Some(reason(&[revoke], rules)),
            ticket: rules.ticket.clone(),
        };
        let r = remove_from_group(ctx, &request).await;
        let entitlement = format!("group:{}", revoke.value);
        results.push(AppliedRevoke::of(
            &[revoke],
            entitlement,
            "remove_membership",
            r,
        ));
    }
    let (requests, origins) = account_requests(revokes, rules);
    if requests.is_empty() {
        return Ok(results);
    }
    for (r, rows) in run_batch(ctx, requests).await?.into_iter().zip(origins) {
        let kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
        let action = r.action.as_str();
        results.push(AppliedRevoke::of(&rows, kinds.join(", "), action, r));
    }
    Ok(results)
}

/// One suspend or deprovision per user for the revokes of site roles,
/// licences and accounts (a deprovision covers a suspend), with the rows
/// behind each.
fn account_requests<'r>(
    revokes: &'r [Revoke],
    rules: &ApplyRules,
) -> (Vec<TargetRequest>, Vec<Vec<&'r Revoke>>) {
    let mut per_user: BTreeMap<&str, Vec<&Revoke>> = BTreeMap::new();
    for revoke in revokes
        .iter()
        .filter(|r| r.action() != RevokeAction::RemoveMembership)
    {
        per_user
            .entry(revoke.user_id.as_str())
            .or_default()
            .push(revoke);
    }
    let mut requests = Vec::new();
    let mut origins = Vec::new();
    for (user_id, rows) in per_user {
        let verb = if rows.iter().any(|r| r.kind == EntitlementKind::Account) {
            Verb::Deprovision
        } else {
            Verb::Suspend
        };
        let mut request = TargetRequest::new(user_id, verb);
        request.line = rows.iter().find_map(|r| match r.at[0] {
            Location::Line(n) => Some(n),
            Location::Entry(_) => None,
        });
        request.reason = Some(reason(&rows, rules));
        request.ticket = rules.ticket.clone();
        request.on_content = rules.on_content;
        request.sticky = rules.sticky;
        request.transfer_to = rules.transfer_to.clone();
        requests.push(request);
        origins.push(rows);
    }
    (requests, origins)
}

impl AppliedRevoke {
    /// How the change behind `rows` ended, as its action reported it.
    fn of(rows: &[&Revoke], entitlement: String, action: &str, r: ActionResult) -> AppliedRevoke {
        let at: Vec<String> = rows.iter().map(|r| r.location()).collect();
        AppliedRevoke {
            rows: at.join(", "),
            user: rows[0].user_name.clone(),
            entitlement,
            action: action.to_owned(),
            result: r.result,
            detail: r.detail,
            warnings: r.warnings,
            journal_id: r.journal_id,
            tableau_code: r.tableau_code,
        }
    }
}
