//! Statements on `action_journal`.

use chrono::Utc;
use sqlx::QueryBuilder;
use tabgov_mapping::{GroupId, UserId};

use super::{Engine, Pool, Tx};
use crate::journal::{JournalRow, SELECT};
use crate::{
    time, Error, IntentTarget, JournalAction, JournalEntry, JournalFilter, JournalId, JournalState,
    NewJournalEntry, Result, SiteKey,
};

/// Records an intent (state `intent`) and returns its id. Commit it before
/// calling Tableau, so a crash leaves a trace.
pub(crate) async fn journal_intent(tx: &mut Tx<'_>, entry: &NewJournalEntry) -> Result<JournalId> {
    let id = sqlx::query_scalar(
        "INSERT INTO action_journal (site_id, action, target_user_id, target_user_name, actor, \
         reason, ticket, campaign, reviewer, previous_site_role, new_site_role, groups_removed, \
         transfer_to, target_group_id, target_group_name, dry_run, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         'intent', $17) RETURNING id",
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
    .bind(entry.target_group_id.as_ref().map(GroupId::as_str))
    .bind(&entry.target_group_name)
    .bind(entry.dry_run)
    .bind(time::to_text(entry.created_at))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Closes an open intent as `completed`, `failed` or `noop`, with what
/// happened and Tableau's error code if any. An entry that is not an open
/// intent (or `state` = `intent`) is [`Error::JournalNotOpen`].
pub(crate) async fn journal_complete(
    tx: &mut Tx<'_>,
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
        "UPDATE action_journal SET state = $1, outcome = $2, tableau_code = $3, completed_at = $4 \
         WHERE id = $5 AND state = 'intent'",
    )
    .bind(state)
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
pub(crate) async fn journal_open_intent<'c, E>(
    executor: E,
    site: SiteKey,
    user_id: &UserId,
    action: &JournalAction,
) -> Result<Option<JournalEntry>>
where
    E: sqlx::Executor<'c, Database = Engine>,
{
    let row: Option<JournalRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE j.site_id = $1 AND j.target_user_id = $2 AND j.action = $3 \
         AND j.state = 'intent' AND NOT j.dry_run ORDER BY j.id DESC LIMIT 1"
    ))
    .bind(site)
    .bind(user_id.as_str())
    .bind(action.as_str())
    .fetch_optional(executor)
    .await?;
    row.map(JournalEntry::try_from).transpose()
}

/// The newest open (non-dry-run) intent of `action` about `target`.
pub(crate) async fn journal_open_intent_for<'c, E>(
    executor: E,
    site: SiteKey,
    action: &JournalAction,
    target: IntentTarget<'_>,
) -> Result<Option<JournalEntry>>
where
    E: sqlx::Executor<'c, Database = Engine>,
{
    let (column, value) = match target {
        IntentTarget::UserName(name) => ("j.target_user_name", name),
        IntentTarget::Group(id) => ("j.target_group_id", id.as_str()),
        IntentTarget::GroupName(name) => ("j.target_group_name", name),
    };
    let row: Option<JournalRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE j.site_id = $1 AND {column} = $2 AND j.action = $3 \
         AND j.state = 'intent' AND NOT j.dry_run ORDER BY j.id DESC LIMIT 1"
    ))
    .bind(site)
    .bind(value)
    .bind(action.as_str())
    .fetch_optional(executor)
    .await?;
    row.map(JournalEntry::try_from).transpose()
}

/// Records the LUIDs Tableau gave to what entry `id` added (a user, a
/// group), where its intent had only a name.
pub(crate) async fn journal_record_created(
    tx: &mut Tx<'_>,
    id: JournalId,
    user_id: Option<&UserId>,
    group_id: Option<&GroupId>,
) -> Result<()> {
    if let Some(user) = user_id {
        sqlx::query(
            "UPDATE action_journal SET target_user_id = $1 WHERE id = $2 AND target_user_id = ''",
        )
        .bind(user.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    if let Some(group) = group_id {
        sqlx::query(
            "UPDATE action_journal SET target_group_id = $1 \
             WHERE id = $2 AND target_group_id IS NULL",
        )
        .bind(group.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The newest completed (non-dry-run) suspend of `user_id`: its
/// `previous_site_role` is what a restore puts back.
pub(crate) async fn journal_last_suspend<'c, E>(
    executor: E,
    site: SiteKey,
    user_id: &UserId,
) -> Result<Option<JournalEntry>>
where
    E: sqlx::Executor<'c, Database = Engine>,
{
    let row: Option<JournalRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE j.site_id = $1 AND j.target_user_id = $2 AND j.action = 'suspend' \
         AND j.state = 'completed' AND NOT j.dry_run ORDER BY j.id DESC LIMIT 1"
    ))
    .bind(site)
    .bind(user_id.as_str())
    .fetch_optional(executor)
    .await?;
    row.map(JournalEntry::try_from).transpose()
}

/// Journal entries, oldest first.
pub(crate) async fn journal_list(pool: &Pool, filter: &JournalFilter) -> Result<Vec<JournalEntry>> {
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(SELECT);
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
        qb.push(" AND j.state = ").push_bind(state);
    }
    if let Some(since) = filter.since {
        qb.push(" AND j.created_at >= ")
            .push_bind(time::to_text(since));
    }
    if let Some(until) = filter.until {
        qb.push(" AND j.created_at < ")
            .push_bind(time::to_text(until));
    }
    if let Some(user) = &filter.user {
        qb.push(" AND (j.target_user_id = ")
            .push_bind(user.clone())
            .push(" OR LOWER(j.target_user_name) = LOWER(")
            .push_bind(user.clone())
            .push("))");
    }
    if let Some(after) = filter.after {
        qb.push(" AND j.id > ").push_bind(after);
    }
    qb.push(" ORDER BY j.id");
    if let Some(limit) = filter.limit {
        qb.push(" LIMIT ").push_bind(i64::from(limit));
    }
    let rows: Vec<JournalRow> = qb.build_query_as().fetch_all(pool).await?;
    rows.into_iter().map(JournalEntry::try_from).collect()
}
