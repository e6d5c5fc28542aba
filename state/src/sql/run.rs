//! Statements on `sync_runs`.

use chrono::{DateTime, Utc};

use super::{begin_write, Pool, Tx};
use crate::run::{RunRow, SELECT};
use crate::{
    time, Error, LatestRuns, Result, RunId, RunOutcome, RunRecord, RunStatus, RunTraffic, SiteKey,
};

/// Records a new `running` run for `site` in its own small transaction and
/// returns its id. Called under the site's lock, so a run of the site still
/// `running` belongs to a process that died: it is marked `interrupted`.
pub(crate) async fn begin(pool: &Pool, site: SiteKey) -> Result<RunId> {
    let now = time::to_text(Utc::now());
    let mut conn = pool.acquire().await?;
    let mut tx = begin_write(&mut conn).await?;
    sqlx::query(
        "UPDATE sync_runs SET status = 'interrupted', finished_at = $1, \
         error = 'the process stopped before the run finished' \
         WHERE site_id = $2 AND status = 'running'",
    )
    .bind(&now)
    .bind(site)
    .execute(&mut *tx)
    .await?;
    let id = sqlx::query_scalar(
        "INSERT INTO sync_runs (site_id, started_at, status) VALUES ($1, $2, 'running') \
         RETURNING id",
    )
    .bind(site)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks the run `succeeded` with its counters and makes its finish time the
/// site's last successful sync, inside the caller's transaction, so the
/// snapshot, the change feed and the run record commit together.
pub(crate) async fn finish(tx: &mut Tx<'_>, run_id: RunId, outcome: &RunOutcome) -> Result<()> {
    let (site, started_at) = running(tx, run_id).await?;
    let finished = time::to_text(outcome.finished_at);
    let duration = (outcome.finished_at - started_at).num_milliseconds().max(0);
    let (counts, traffic) = (&outcome.counts, &outcome.traffic);
    sqlx::query(
        "UPDATE sync_runs SET status = 'succeeded', finished_at = $1, users = $2, \
         groups_count = $3, memberships = $4, joined = $5, left_count = $6, changed = $7, \
         pages = $8, requests = $9, retries = $10, duration_ms = $11 WHERE id = $12",
    )
    .bind(&finished)
    .bind(counts.users as i64)
    .bind(counts.groups as i64)
    .bind(counts.memberships as i64)
    .bind(counts.joined as i64)
    .bind(counts.left as i64)
    .bind(counts.changed as i64)
    .bind(traffic.pages as i64)
    .bind(traffic.requests as i64)
    .bind(traffic.retries as i64)
    .bind(duration)
    .bind(run_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE sites SET last_success_at = $1, last_success_run_id = $2 WHERE id = $3")
        .bind(&finished)
        .bind(run_id)
        .bind(site)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends a run as `failed` or `refused` with its reason and the traffic it
/// caused, inside the caller's transaction. Nothing else changes: the
/// previous snapshot stays current.
pub(crate) async fn fail(
    tx: &mut Tx<'_>,
    run_id: RunId,
    status: RunStatus,
    error: &str,
    traffic: RunTraffic,
) -> Result<()> {
    if !matches!(status, RunStatus::Failed | RunStatus::Refused) {
        return Err(Error::InvalidRunEnd(status));
    }
    let now = Utc::now();
    let (_, started_at) = running(tx, run_id).await?;
    sqlx::query(
        "UPDATE sync_runs SET status = $1, error = $2, finished_at = $3, duration_ms = $4, \
         pages = $5, requests = $6, retries = $7 WHERE id = $8",
    )
    .bind(status)
    .bind(error)
    .bind(time::to_text(now))
    .bind((now - started_at).num_milliseconds().max(0))
    .bind(traffic.pages as i64)
    .bind(traffic.requests as i64)
    .bind(traffic.retries as i64)
    .bind(run_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The site and start of a run that is still `running`.
async fn running(tx: &mut Tx<'_>, run_id: RunId) -> Result<(SiteKey, DateTime<Utc>)> {
    let row: Option<(SiteKey, String, RunStatus)> =
        sqlx::query_as("SELECT site_id, started_at, status FROM sync_runs WHERE id = $1")
            .bind(run_id)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some((site, started, RunStatus::Running)) => {
            Ok((site, time::from_text("sync_runs.started_at", &started)?))
        }
        Some((_, _, status)) => Err(Error::RunNotRunning {
            run_id,
            status: Some(status),
        }),
        None => Err(Error::RunNotRunning {
            run_id,
            status: None,
        }),
    }
}

/// Runs, newest first, of one site or of all.
pub(crate) async fn list(pool: &Pool, site: Option<SiteKey>) -> Result<Vec<RunRecord>> {
    let rows: Vec<RunRow> = match site {
        Some(site) => {
            sqlx::query_as(&format!("{SELECT} WHERE r.site_id = $1 ORDER BY r.id DESC"))
                .bind(site)
                .fetch_all(pool)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{SELECT} ORDER BY r.id DESC"))
                .fetch_all(pool)
                .await?
        }
    };
    rows.into_iter().map(RunRecord::try_from).collect()
}

/// A site's newest run, and its newest successful one (the two indexed
/// look-ups a health check makes per site, never the whole history).
pub(crate) async fn latest(pool: &Pool, site: SiteKey) -> Result<LatestRuns> {
    let last: Option<RunRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.site_id = $1 ORDER BY r.id DESC LIMIT 1"
    ))
    .bind(site)
    .fetch_optional(pool)
    .await?;
    let last_success: Option<RunRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.site_id = $1 AND r.status = $2 ORDER BY r.id DESC LIMIT 1"
    ))
    .bind(site)
    .bind(RunStatus::Succeeded)
    .fetch_optional(pool)
    .await?;
    Ok(LatestRuns {
        last: last.map(RunRecord::try_from).transpose()?,
        last_success: last_success.map(RunRecord::try_from).transpose()?,
    })
}

/// One run by id.
pub(crate) async fn get(pool: &Pool, run_id: RunId) -> Result<Option<RunRecord>> {
    let row: Option<RunRow> = sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
        .bind(run_id)
        .fetch_optional(pool)
        .await?;
    row.map(RunRecord::try_from).transpose()
}
