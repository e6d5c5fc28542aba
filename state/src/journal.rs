//! The action journal: who asked for what, why, and what Tableau answered.
//!
//! Written intent first, outcome after: an `intent` row commits before the
//! Tableau call, and is completed (or failed) after it. A run that died in
//! between leaves an open intent, which the next attempt finds with
//! [`journal_open_intent`] and completes instead of acting blind.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;
use tabgov_mapping::{GroupId, SiteRole, UserId};

use crate::JournalId;
use crate::{time, Error, Result, SiteKey};

/// What was done to a user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum JournalAction {
    Suspend,
    Restore,
    Deprovision,
    RemoveMember,
    /// A user added to the site (provisioning).
    AddUser,
    /// A user's full name, email or site role set (provisioning).
    UpdateUser,
    /// A user added to a group.
    AddMember,
    /// A local group created.
    CreateGroup,
    /// A group deleted.
    DeleteGroup,
    /// An action this version does not name, verbatim.
    Other(String),
}

impl JournalAction {
    /// The stored name (snake_case).
    pub fn as_str(&self) -> &str {
        match self {
            JournalAction::Suspend => "suspend",
            JournalAction::Restore => "restore",
            JournalAction::Deprovision => "deprovision",
            JournalAction::RemoveMember => "remove_member",
            JournalAction::AddUser => "add_user",
            JournalAction::UpdateUser => "update_user",
            JournalAction::AddMember => "add_member",
            JournalAction::CreateGroup => "create_group",
            JournalAction::DeleteGroup => "delete_group",
            JournalAction::Other(s) => s,
        }
    }

    /// Reads a stored name; never fails.
    pub fn parse(s: &str) -> JournalAction {
        match s {
            "suspend" => JournalAction::Suspend,
            "restore" => JournalAction::Restore,
            "deprovision" => JournalAction::Deprovision,
            "remove_member" => JournalAction::RemoveMember,
            "add_user" => JournalAction::AddUser,
            "update_user" => JournalAction::UpdateUser,
            "add_member" => JournalAction::AddMember,
            "create_group" => JournalAction::CreateGroup,
            "delete_group" => JournalAction::DeleteGroup,
            other => JournalAction::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for JournalAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<JournalAction> for String {
    fn from(a: JournalAction) -> String {
        a.as_str().to_owned()
    }
}

/// Where a journalled action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalState {
    /// Written before the Tableau call; not known to have happened.
    Intent,
    Completed,
    Failed,
    /// Nothing to do (already suspended, already gone).
    Noop,
}

impl JournalState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JournalState::Intent => "intent",
            JournalState::Completed => "completed",
            JournalState::Failed => "failed",
            JournalState::Noop => "noop",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<JournalState> {
        [
            JournalState::Intent,
            JournalState::Completed,
            JournalState::Failed,
            JournalState::Noop,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
        .ok_or_else(|| Error::Corrupt {
            what: "action_journal.state",
            value: s.to_owned(),
        })
    }
}

crate::stored_text::stored_as_text!(JournalState);

/// An action about to be carried out, as [`Store::journal_intent`](crate::Store::journal_intent) records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewJournalEntry {
    #[serde(rename = "site_key")]
    pub site: SiteKey,
    pub action: JournalAction,
    /// The user acted on. Empty for an action on a group alone, and in the
    /// intent of an added user, whose LUID Tableau gives (its completion
    /// records it).
    pub target_user_id: UserId,
    pub target_user_name: Option<String>,
    /// Who asked (operator, HR feed, review campaign...).
    pub actor: Option<String>,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub campaign: Option<String>,
    pub reviewer: Option<String>,
    /// The role before the action: what a restore puts back.
    pub previous_site_role: Option<SiteRole>,
    pub new_site_role: Option<SiteRole>,
    /// Group ids the action takes the user out of.
    pub groups_removed: Vec<GroupId>,
    /// The user LUID that receives the target's content.
    pub transfer_to: Option<UserId>,
    /// The group acted on (created, deleted, joined); a group being
    /// created has only its name until its completion records the LUID.
    pub target_group_id: Option<GroupId>,
    pub target_group_name: Option<String>,
    pub dry_run: bool,
    pub created_at: DateTime<Utc>,
}

impl NewJournalEntry {
    /// An entry with only the required facts; set the rest by field.
    pub fn new(
        site: SiteKey,
        action: JournalAction,
        target_user_id: &UserId,
        created_at: DateTime<Utc>,
    ) -> NewJournalEntry {
        NewJournalEntry {
            site,
            action,
            target_user_id: target_user_id.clone(),
            target_user_name: None,
            actor: None,
            reason: None,
            ticket: None,
            campaign: None,
            reviewer: None,
            previous_site_role: None,
            new_site_role: None,
            groups_removed: Vec::new(),
            transfer_to: None,
            target_group_id: None,
            target_group_name: None,
            dry_run: false,
            created_at,
        }
    }
}

/// A journal row as stored: the intent as it was recorded, and how it
/// ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    pub id: JournalId,
    /// The site's content URL.
    pub site: String,
    /// What was asked, as [`Store::journal_intent`](crate::Store::journal_intent) recorded it.
    #[serde(flatten)]
    pub intent: NewJournalEntry,
    pub state: JournalState,
    pub outcome: Option<String>,
    pub tableau_code: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
pub(crate) struct JournalRow {
    id: JournalId,
    site_id: SiteKey,
    content_url: String,
    action: String,
    target_user_id: String,
    target_user_name: Option<String>,
    actor: Option<String>,
    reason: Option<String>,
    ticket: Option<String>,
    campaign: Option<String>,
    reviewer: Option<String>,
    previous_site_role: Option<String>,
    new_site_role: Option<String>,
    groups_removed: String,
    transfer_to: Option<String>,
    target_group_id: Option<String>,
    target_group_name: Option<String>,
    dry_run: bool,
    state: JournalState,
    outcome: Option<String>,
    tableau_code: Option<String>,
    created_at: String,
    completed_at: Option<String>,
}

impl TryFrom<JournalRow> for JournalEntry {
    type Error = Error;

    fn try_from(r: JournalRow) -> Result<JournalEntry> {
        Ok(JournalEntry {
            id: r.id,
            site: r.content_url,
            intent: NewJournalEntry {
                site: r.site_id,
                action: JournalAction::parse(&r.action),
                target_user_id: r.target_user_id.into(),
                target_user_name: r.target_user_name,
                actor: r.actor,
                reason: r.reason,
                ticket: r.ticket,
                campaign: r.campaign,
                reviewer: r.reviewer,
                previous_site_role: r.previous_site_role.as_deref().map(SiteRole::parse),
                new_site_role: r.new_site_role.as_deref().map(SiteRole::parse),
                groups_removed: serde_json::from_str(&r.groups_removed)?,
                transfer_to: r.transfer_to.map(UserId::from),
                target_group_id: r.target_group_id.map(GroupId::from),
                target_group_name: r.target_group_name,
                dry_run: r.dry_run,
                created_at: time::from_text("action_journal.created_at", &r.created_at)?,
            },
            state: r.state,
            outcome: r.outcome,
            tableau_code: r.tableau_code,
            completed_at: time::from_opt("action_journal.completed_at", r.completed_at.as_deref())?,
        })
    }
}

pub(crate) const SELECT: &str =
    "SELECT j.id, j.site_id, s.content_url, j.action, j.target_user_id, \
     j.target_user_name, j.actor, j.reason, j.ticket, j.campaign, j.reviewer, \
     j.previous_site_role, j.new_site_role, j.groups_removed, j.transfer_to, \
     j.target_group_id, j.target_group_name, j.dry_run, \
     j.state, j.outcome, j.tableau_code, j.created_at, j.completed_at \
     FROM action_journal j JOIN sites s ON s.id = j.site_id";

/// Whom an open intent is looked up by, when it is not a user's LUID
/// ([`Store::journal_open_intent_for`](crate::Store::journal_open_intent_for)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentTarget<'a> {
    /// The sign-in name of a user being added (no LUID yet).
    UserName(&'a str),
    /// A group by LUID.
    Group(&'a GroupId),
    /// A group being created, by name (no LUID yet).
    GroupName(&'a str),
}

/// Which entries [`Store::journal_list`](crate::Store::journal_list) returns; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFilter {
    pub site: Option<SiteKey>,
    pub user_id: Option<String>,
    pub action: Option<JournalAction>,
    pub state: Option<JournalState>,
    /// Entries created at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Entries created before this time.
    pub until: Option<DateTime<Utc>>,
    /// The target's LUID or sign-in name (any case).
    pub user: Option<String>,
    /// Entries after this one (a page's cursor).
    pub after: Option<JournalId>,
    /// At most this many entries.
    pub limit: Option<u32>,
}
