//! Statements on `change_events`: the change feed.

use sqlx::QueryBuilder;
use tabgov_mapping::{Change, GroupId};

use super::{Engine, Pool, Tx, DIALECT};
use crate::backend::Dialect;
use crate::feed::{EventRow, SELECT};
use crate::{time, ChangeFilter, ChangeRecord, Result, RunId, SiteKey};

/// Rows per multi-row insert (10 values each).
const ROWS: usize = 500;

/// The advisory lock every transaction that adds events holds on
/// PostgreSQL, from just before its first event to its commit: the tabgov
/// half of the site locks' key (see `advisory_lock.rs`) with a second half
/// no site key can take (site keys are positive).
const FEED_LOCK: (i32, i32) = (0x7461_6267, -1);

/// Makes events commit in id order, so that a reader paging the feed by the
/// last id it saw ([`changes_after`]) never passes an event that commits
/// later. PostgreSQL draws ids from a sequence when a row is inserted, not
/// when it commits: without this, a sync of one site could take ids 10-20
/// and commit after a sync of another site took 21-30 and committed, and a
/// reader that saw 30 would never see 10-20. Holding one lock from before
/// the first id is drawn until the commit serialises the writers of the
/// feed (only them: a sync's other rows and the actions are not held up).
/// SQLite needs nothing: its write transactions are serialised already.
pub(crate) async fn lock_feed(tx: &mut Tx<'_>) -> Result<()> {
    if DIALECT == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind(FEED_LOCK.0)
            .bind(FEED_LOCK.1)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Inserts `changes` as events of `run_id`; returns how many. Takes the
/// feed's lock first ([`lock_feed`]).
pub(crate) async fn insert_events(
    tx: &mut Tx<'_>,
    site: SiteKey,
    run_id: RunId,
    changes: &[Change],
    at: &str,
) -> Result<u64> {
    if changes.is_empty() {
        return Ok(0);
    }
    lock_feed(tx).await?;
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

/// Gives the events of `run_id`, a first sync about to be published, ids
/// after every event in the feed, keeping their order. They were written
/// while the site was listed, unpublished and so unread, in transactions
/// of their own; events of other sites committed since have larger ids and
/// may have been read already, and a reader paging by id would never come
/// back for ids below the last it saw. Nothing moves when no other run
/// wrote an event after this run's first (a site synced alone).
pub(crate) async fn move_run_to_end(tx: &mut Tx<'_>, run_id: RunId) -> Result<()> {
    lock_feed(tx).await?;
    let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT MIN(id) FROM change_events WHERE run_id = $1), \
         (SELECT MAX(id) FROM change_events)",
    )
    .bind(run_id)
    .fetch_one(&mut **tx)
    .await?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(());
    };
    let overtaken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM change_events WHERE id > $1 AND run_id <> $2)",
    )
    .bind(first)
    .bind(run_id)
    .fetch_one(&mut **tx)
    .await?;
    if !overtaken {
        return Ok(());
    }
    // Every new id is above the largest, so no row collides on the way.
    sqlx::query("UPDATE change_events SET id = id + $1 WHERE run_id = $2")
        .bind(last - first + 1)
        .bind(run_id)
        .execute(&mut **tx)
        .await?;
    if DIALECT == Dialect::Postgres {
        // The ids were set by hand: the next one drawn must come after them.
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('change_events', 'id'), \
             (SELECT MAX(id) FROM change_events))",
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Up to `limit` events with ids above `after` (all, without it), of one
/// site or of all, by id. Ids commit in order (see [`lock_feed`] and
/// [`move_run_to_end`]), so paging by the last id seen misses nothing.
pub(crate) async fn changes_after(
    pool: &Pool,
    after: Option<i64>,
    limit: u32,
    site: Option<SiteKey>,
) -> Result<Vec<ChangeRecord>> {
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(SELECT);
    if let Some(after) = after {
        qb.push(" AND e.id > ").push_bind(after);
    }
    if let Some(site) = site {
        qb.push(" AND e.site_id = ").push_bind(site);
    }
    qb.push(" ORDER BY e.id LIMIT ").push_bind(i64::from(limit));
    let rows: Vec<EventRow> = qb.build_query_as().fetch_all(pool).await?;
    rows.into_iter().map(ChangeRecord::try_from).collect()
}

/// The change feed, oldest first (in the order each run wrote it).
pub(crate) async fn list_changes(pool: &Pool, filter: &ChangeFilter) -> Result<Vec<ChangeRecord>> {
    let mut qb: QueryBuilder<Engine> = QueryBuilder::new(SELECT);
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
