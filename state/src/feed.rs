//! The change feed: what each sync found different, one row per change.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqlitePool, Transaction};
use tabgov_mapping::{Change, GroupId, UserId};

use crate::RunId;
use crate::{time, Error, Result, SiteKey};

/// Rows per multi-row insert (10 values each).
const ROWS: usize = 500;

/// Inserts `changes` as events of `run_id`; returns how many.
pub(crate) async fn insert_events(
    tx: &mut Transaction<'_, Sqlite>,
    site: SiteKey,
    run_id: RunId,
    changes: &[Change],
    at: &str,
) -> Result<u64> {
    for chunk in changes.chunks(ROWS) {
        let details = chunk
            .iter()
            .map(|c| serde_json::to_string(&c.kind))
            .collect::<Result<Vec<_>, _>>()?;
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO change_events (run_id, site_id, user_id, user_name, kind, from_value, \
             to_value, group_id, detail, at) ",
        );
        qb.push_values(chunk.iter().zip(details), |mut b, (c, detail)| {
            b.push_bind(run_id)
                .push_bind(site)
                .push_bind(c.user_id.as_str())
                .push_bind(c.user_name.as_str())
                .push_bind(c.kind.name())
                .push_bind(c.kind.from_value())
                .push_bind(c.kind.to_value())
                .push_bind(c.kind.group_id().map(GroupId::as_str))
                .push_bind(detail)
                .push_bind(at);
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(changes.len() as u64)
}

/// Which events [`list_changes`] returns; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeFilter {
    pub site: Option<SiteKey>,
    pub run: Option<RunId>,
    /// Events at or after this time.
    pub since: Option<DateTime<Utc>>,
    pub user_id: Option<String>,
}

/// One event of the change feed, as `tabgov changes` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRecord {
    pub id: i64,
    pub run_id: RunId,
    /// The site's content URL.
    pub site: String,
    pub at: DateTime<Utc>,
    pub user_id: UserId,
    pub user_name: String,
    /// `ChangeKind::name()`: joined, left, suspended, group_added, ...
    pub kind: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The group's name, for group events.
    pub group: Option<String>,
    pub group_id: Option<GroupId>,
    /// The full `ChangeKind` as JSON (licences of a licence change, ...).
    pub detail: serde_json::Value,
}

#[derive(FromRow)]
struct EventRow {
    id: i64,
    run_id: RunId,
    content_url: String,
    at: String,
    user_id: String,
    user_name: String,
    kind: String,
    from_value: Option<String>,
    to_value: Option<String>,
    group_id: Option<String>,
    detail: String,
}

impl TryFrom<EventRow> for ChangeRecord {
    type Error = Error;

    fn try_from(r: EventRow) -> Result<ChangeRecord> {
        let group = match r.kind.as_str() {
            "group_added" => r.to_value.clone(),
            "group_removed" => r.from_value.clone(),
            _ => None,
        };
        Ok(ChangeRecord {
            id: r.id,
            run_id: r.run_id,
            site: r.content_url,
            at: time::from_text("change_events.at", &r.at)?,
            user_id: r.user_id.into(),
            user_name: r.user_name,
            kind: r.kind,
            from: r.from_value,
            to: r.to_value,
            group,
            group_id: r.group_id.map(GroupId::from),
            detail: serde_json::from_str(&r.detail)?,
        })
    }
}

/// The change feed, oldest first (in the order each run wrote it).
pub async fn list_changes(pool: &SqlitePool, filter: &ChangeFilter) -> Result<Vec<ChangeRecord>> {
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT e.id, e.run_id, s.content_url, e.at, e.user_id, e.user_name, e.kind, \
         e.from_value, e.to_value, e.group_id, e.detail \
         FROM change_events e JOIN sites s ON s.id = e.site_id \
         WHERE s.last_success_run_id IS NOT NULL",
    );
    if let Some(site) = filter.site {
        qb.push(" AND e.site_id = ").push_bind(site);
    }
    if let Some(run) = filter.run {
        qb.push(" AND e.run_id = ").push_bind(run);
    }
    if let Some(since) = filter.since {
        qb.push(" AND e.at >= ").push_bind(time::to_text(since));
    }
    if let Some(user) = &filter.user_id {
        qb.push(" AND e.user_id = ").push_bind(user.clone());
    }
    qb.push(" ORDER BY e.id");
    let rows: Vec<EventRow> = qb.build_query_as().fetch_all(pool).await?;
    rows.into_iter().map(ChangeRecord::try_from).collect()
}
