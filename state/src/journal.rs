//! The action journal: who asked for what, why, and what Tableau answered.
//!
//! Written intent first, outcome after: an `intent` row commits before the
//! Tableau call, and is completed (or failed) after it. A run that died in
//! between leaves an open intent, which the next attempt finds with
//! [`journal_open_intent`] and completes instead of acting blind.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Executor, FromRow, QueryBuilder, Sqlite, SqlitePool, Transaction};
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

    fn parse(s: &str) -> Result<JournalState> {
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

/// An action about to be carried out, as [`journal_intent`] records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewJournalEntry {
    #[serde(rename = "site_key")]
    pub site: SiteKey,
    pub action: JournalAction,
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
    /// What was asked, as [`journal_intent`] recorded it.
    #[serde(flatten)]
    pub intent: NewJournalEntry,
    pub state: JournalState,
    pub outcome: Option<String>,
    pub tableau_code: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct JournalRow {
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
    dry_run: bool,
    state: String,
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
                dry_run: r.dry_run,
                created_at: time::from_text("action_journal.created_at", &r.created_at)?,
            },
            state: JournalState::parse(&r.state)?,
            outcome: r.outcome,
            tableau_code: r.tableau_code,
            completed_at: time::from_opt("action_journal.completed_at", r.completed_at.as_deref())?,
        })
    }
}

const SELECT: &str = "SELECT j.id, j.site_id, s.content_url, j.action, j.target_user_id, \
     j.target_user_name, j.actor, j.reason, j.ticket, j.campaign, j.reviewer, \
     j.previous_site_role, j.new_site_role, j.groups_removed, j.transfer_to, j.dry_run, \
     j.state, j.outcome, j.tableau_code, j.created_at, j.completed_at \
     FROM action_journal j JOIN sites s ON s.id = j.site_id";

/// Records an intent (state `intent`) and returns its id. Commit it before
/// calling Tableau, so a crash leaves a trace.
pub async fn journal_intent(
    tx: &mut Transaction<'_, Sqlite>,
    entry: &NewJournalEntry,
) -> Result<JournalId> {
    let id = sqlx::query_scalar(
        "INSERT INTO action_journal (site_id, action, target_user_id, target_user_name, actor, \
         reason, ticket, campaign, reviewer, previous_site_role, new_site_role, groups_removed, \
         transfer_to, dry_run, state, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'intent', ?) RETURNING id",
    )
    .bind(entry.site)
    .bind(entry.action.as_str())
    .bind(entry.target_user_id.as_str())
    .bind(&entry.target_user_name)
    .bind(&entry.actor)
    .bind(&entry.reason)
    .bind(&entry.ticket)
    .bind(&entry.campaign)
    .bind(&entry.reviewer)
    .bind(entry.previous_site_role.as_ref().map(|r| r.as_str()))
    .bind(entry.new_site_role.as_ref().map(|r| r.as_str()))
    .bind(serde_json::to_string(&entry.groups_removed)?)
    .bind(entry.transfer_to.as_ref().map(UserId::as_str))
    .bind(entry.dry_run)
    .bind(time::to_text(entry.created_at))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Closes an open intent as `completed`, `failed` or `noop`, with what
/// happened and Tableau's error code if any. An entry that is not an open
/// intent (or `state` = `intent`) is [`Error::JournalNotOpen`].
pub async fn journal_complete(
    tx: &mut Transaction<'_, Sqlite>,
    id: JournalId,
    state: JournalState,
    outcome: Option<&str>,
    tableau_code: Option<&str>,
) -> Result<()> {
    let not_open = Error::JournalNotOpen { id, state };
    if state == JournalState::Intent {
        return Err(not_open);
    }
    let done = sqlx::query(
        "UPDATE action_journal SET state = ?, outcome = ?, tableau_code = ?, completed_at = ? \
         WHERE id = ? AND state = 'intent'",
    )
    .bind(state.as_str())
    .bind(outcome)
    .bind(tableau_code)
    .bind(time::to_text(Utc::now()))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_open);
    }
    Ok(())
}

/// The newest open (non-dry-run) intent of `action` on `user_id`: an
/// attempt that died between the intent and its outcome.
pub async fn journal_open_intent<'c, E>(
    executor: E,
    site: SiteKey,
    user_id: &UserId,
    action: &JournalAction,
) -> Result<Option<JournalEntry>>
where
    E: Executor<'c, Database = Sqlite>,
{
    let row: Option<JournalRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE j.site_id = ? AND j.target_user_id = ? AND j.action = ? \
         AND j.state = 'intent' AND j.dry_run = 0 ORDER BY j.id DESC LIMIT 1"
    ))
    .bind(site)
    .bind(user_id.as_str())
    .bind(action.as_str())
    .fetch_optional(executor)
    .await?;
    row.map(JournalEntry::try_from).transpose()
}

/// The newest completed (non-dry-run) suspend of `user_id`: its
/// `previous_site_role` is what a restore puts back.
pub async fn journal_last_suspend<'c, E>(
    executor: E,
    site: SiteKey,
    user_id: &UserId,
) -> Result<Option<JournalEntry>>
where
    E: Executor<'c, Database = Sqlite>,
{
    let row: Option<JournalRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE j.site_id = ? AND j.target_user_id = ? AND j.action = 'suspend' \
         AND j.state = 'completed' AND j.dry_run = 0 ORDER BY j.id DESC LIMIT 1"
    ))
    .bind(site)
    .bind(user_id.as_str())
    .fetch_optional(executor)
    .await?;
    row.map(JournalEntry::try_from).transpose()
}

/// Which entries [`journal_list`] returns; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFilter {
    pub site: Option<SiteKey>,
    pub user_id: Option<String>,
    pub action: Option<JournalAction>,
    pub state: Option<JournalState>,
    /// Entries created at or after this time.
    pub since: Option<DateTime<Utc>>,
}

/// Journal entries, oldest first.
pub async fn journal_list(pool: &SqlitePool, filter: &JournalFilter) -> Result<Vec<JournalEntry>> {
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(SELECT);
    qb.push(" WHERE 1 = 1");
    if let Some(site) = filter.site {
        qb.push(" AND j.site_id = ").push_bind(site);
    }
    if let Some(user) = &filter.user_id {
        qb.push(" AND j.target_user_id = ").push_bind(user.clone());
    }
    if let Some(action) = &filter.action {
        qb.push(" AND j.action = ")
            .push_bind(action.as_str().to_owned());
    }
    if let Some(state) = filter.state {
        qb.push(" AND j.state = ").push_bind(state.as_str());
    }
    if let Some(since) = filter.since {
        qb.push(" AND j.created_at >= ")
            .push_bind(time::to_text(since));
    }
    qb.push(" ORDER BY j.id");
    let rows: Vec<JournalRow> = qb.build_query_as().fetch_all(pool).await?;
    rows.into_iter().map(JournalEntry::try_from).collect()
}
