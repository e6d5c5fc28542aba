//! Statements on `change_events`: the change feed.

use sqlx::QueryBuilder;
use tabgov_mapping::{Change, GroupId};

use super::{Engine, Pool, Tx};
use crate::feed::EventRow;
use crate::{time, ChangeFilter, ChangeRecord, Result, RunId, SiteKey};

/// Rows per multi-row insert (10 values each).
const ROWS: usize = 500;

/// Inserts `changes` as events of `run_id`; returns how many.
pub(crate) async fn insert_events(
    tx: &mut Tx<'_>,
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
        let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
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

/// The change feed, oldest first (in the order each run wrote it).
pub(crate) async fn list_changes(pool: &Pool, filter: &ChangeFilter) -> Result<Vec<ChangeRecord>> {
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
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
