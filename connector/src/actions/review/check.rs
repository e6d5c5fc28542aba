//! Checking a filled-in review sheet before anything changes: every decided
//! row against the store (known user, known entitlement, still held), then
//! every revoke against Tableau itself. One bad row refuses the file, and
//! every problem names its row.

use std::collections::{BTreeMap, HashMap};

use tabgov_mapping::{Decision, EntitlementKind, GroupId, License, RevokeAction, UserId};

use crate::actions::is_member;
use crate::actions::resolve::{Resolution, Resolved, Resolver};
use crate::actions::ActionContext;
use crate::reports::review_file::{Location, ReviewLine, RowProblem};
use crate::reports::site_view::{SiteView, ViewAccount};
use crate::Result;

/// One entitlement to take away, checked against the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoke {
    /// The rows that ask for it (duplicates are merged).
    pub at: Vec<Location>,
    pub user_id: UserId,
    pub user_name: String,
    pub kind: EntitlementKind,
    pub value: String,
    /// The group's id, for a group membership.
    pub group_id: Option<GroupId>,
    /// The reviewers' comments, for the journal's reason.
    pub comments: Vec<String>,
}

impl Revoke {
    /// What the revoke does in Tableau.
    pub fn action(&self) -> RevokeAction {
        self.kind.revoke_action()
    }

    /// Where it is in the file (`line 4, line 9`).
    pub fn location(&self) -> String {
        let at: Vec<String> = self.at.iter().map(ToString::to_string).collect();
        at.join(", ")
    }
}

/// An entitlement of a user: (user id, kind, value in lower case).
type EntitlementKey = (UserId, EntitlementKind, String);

/// The first row deciding an entitlement: where, what, and its revoke.
type FirstDecision = (Location, Decision, Option<usize>);

/// The decided rows of a sheet, checked against the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedSheet {
    pub revokes: Vec<Revoke>,
    /// Rows decided `keep`.
    pub kept: usize,
    /// Rows left blank.
    pub undecided: usize,
}

/// Checks every decided row of `lines` against `view` (the site being
/// applied). Rows left blank are not reviewed and not checked further.
pub fn check_against_store(
    view: &SiteView,
    lines: &[ReviewLine],
) -> std::result::Result<CheckedSheet, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut sheet = CheckedSheet::default();
    let mut seen: HashMap<EntitlementKey, FirstDecision> = HashMap::new();
    for line in lines {
        if line.decision == Decision::Undecided {
            sheet.undecided += 1;
            continue;
        }
        let problem = |message: String| RowProblem {
            at: line.at,
            message,
        };
        let (account, group_id) = match check_line(view, line) {
            Ok(found) => found,
            Err(message) => {
                problems.push(problem(message));
                continue;
            }
        };
        let key = (
            account.record.account.id.clone(),
            line.kind,
            line.value.to_lowercase(),
        );
        match seen.get(&key) {
            Some((first, decision, _)) if *decision != line.decision => {
                problems.push(problem(format!(
                    "contradicts {first}: one says keep, the other revoke, for the same entitlement"
                )));
                continue;
            }
            Some((_, _, Some(index))) => {
                let revoke = &mut sheet.revokes[*index];
                revoke.at.push(line.at);
                revoke
                    .comments
                    .extend(Some(line.comment.clone()).filter(|c| !c.is_empty()));
                continue;
            }
            Some((_, _, None)) => {
                sheet.kept += 1;
                continue;
            }
            None => {}
        }
        let index = match line.decision {
            Decision::Revoke => {
                sheet.revokes.push(Revoke {
                    at: vec![line.at],
                    user_id: account.record.account.id.clone(),
                    user_name: account.record.account.name.clone(),
                    kind: line.kind,
                    value: line.value.clone(),
                    group_id,
                    comments: Some(line.comment.clone())
                        .filter(|c| !c.is_empty())
                        .into_iter()
                        .collect(),
                });
                Some(sheet.revokes.len() - 1)
            }
            _ => {
                sheet.kept += 1;
                None
            }
        };
        seen.insert(key, (line.at, line.decision, index));
    }
    if problems.is_empty() {
        Ok(sheet)
    } else {
        Err(problems)
    }
}

/// The account a row names and, for a group row, the group's id; or why
/// the row cannot be applied.
fn check_line<'v>(
    view: &'v SiteView,
    line: &ReviewLine,
) -> std::result::Result<(&'v ViewAccount, Option<GroupId>), String> {
    if line.site != view.site {
        return Err(format!(
            "the row is for site '{}' but this run applies site '{}': export and apply one site at a time (--site)",
            line.site, view.site
        ));
    }
    let account = if line.user_id.is_empty() {
        view.accounts
            .iter()
            .find(|a| a.record.account.name.eq_ignore_ascii_case(&line.username))
    } else {
        view.accounts
            .iter()
            .find(|a| a.record.account.id == line.user_id)
    };
    let shown = if line.user_id.is_empty() {
        &line.username
    } else {
        &line.user_id
    };
    let Some(account) = account else {
        return Err(format!(
            "unknown user '{shown}': no account of that id on the site in the store (never synced, or deprovisioned since the export)"
        ));
    };
    let r = &account.record;
    if !line.username.is_empty() && !line.username.eq_ignore_ascii_case(&r.account.name) {
        return Err(format!(
            "user_id {} is '{}', not '{}': do not edit the id and name columns",
            r.account.id, r.account.name, line.username
        ));
    }
    let held = |still: bool, now: &dyn std::fmt::Display| -> std::result::Result<(), String> {
        if still {
            Ok(())
        } else {
            Err(format!(
                "entitlement no longer held: {} {} is now {now}, not {}; export a fresh sheet",
                r.account.name,
                line.kind.as_str().replace('_', " "),
                line.value
            ))
        }
    };
    match line.kind {
        EntitlementKind::Account => held(
            r.account.name.eq_ignore_ascii_case(&line.value),
            &r.account.name,
        )
        .map(|()| (account, None)),
        EntitlementKind::SiteRole => {
            let role = &account.record.account.site_role;
            held(role.is_written_as(&line.value), role).map(|()| (account, None))
        }
        EntitlementKind::License => {
            held(is_license(r.license, &line.value), &r.license).map(|()| (account, None))
        }
        EntitlementKind::Group => {
            let Some(group) = view.group_named(&line.value) else {
                return Err(format!(
                    "unknown group '{}' on site '{}'",
                    line.value, view.site
                ));
            };
            if !view.groups_of(account).iter().any(|g| g.id == group.id) {
                return Err(format!(
                    "entitlement no longer held: {} is not in group '{}'; export a fresh sheet",
                    r.account.name, group.name
                ));
            }
            Ok((account, Some(group.id.clone())))
        }
    }
}

/// Checks every revoke against Tableau: the user is still on the site, a
/// revoked role or licence is still the user's, a revoked membership still
/// exists. Returns the problems (none: go ahead).
pub async fn check_against_tableau(
    ctx: &ActionContext<'_>,
    revokes: &[Revoke],
) -> Result<Vec<RowProblem>> {
    let mut resolver = Resolver::new();
    let mut users: BTreeMap<&str, Resolution> = BTreeMap::new();
    let mut problems = Vec::new();
    for revoke in revokes {
        if !users.contains_key(revoke.user_id.as_str()) {
            let found = resolver.resolve(ctx, revoke.user_id.as_str()).await?;
            users.insert(revoke.user_id.as_str(), found);
        }
        let at = revoke.at[0];
        let mut problem = |message: String| problems.push(RowProblem { at, message });
        let account = match users.get(revoke.user_id.as_str()) {
            Some(Resolution::Found(Resolved::Present(account))) => account,
            _ => {
                problem(format!(
                    "{} is no longer on the site in Tableau: export a fresh sheet",
                    revoke.user_name
                ));
                continue;
            }
        };
        // Compared typed; the text is only for the message.
        let now = match revoke.kind {
            EntitlementKind::SiteRole => Some((
                account.site_role.is_written_as(&revoke.value),
                account.site_role.to_string(),
            )),
            EntitlementKind::License => Some((
                is_license(account.license(), &revoke.value),
                account.license().to_string(),
            )),
            _ => None,
        };
        if let Some((_, now)) = now.filter(|(still, _)| !still) {
            problem(format!(
                "entitlement no longer held: Tableau shows {} {} {now}, not {}; sync and export a fresh sheet",
                account.name,
                revoke.kind.as_str().replace('_', " "),
                revoke.value
            ));
        }
        if let Some(group_id) = &revoke.group_id {
            if !is_member(ctx, &account.id, group_id).await? {
                problem(format!(
                    "entitlement no longer held: Tableau no longer lists {} in group '{}'; sync and export a fresh sheet",
                    account.name, revoke.value
                ));
            }
        }
    }
    Ok(problems)
}

/// Whether the licence a sheet names as `written` (any case) is `license`.
fn is_license(license: License, written: &str) -> bool {
    written.trim().parse::<License>() == Ok(license)
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
