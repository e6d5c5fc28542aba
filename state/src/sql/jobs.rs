//! Statements on `jobs`: the service's queue of offboarding jobs.

use chrono::Utc;

use super::{Pool, Tx, DIALECT};
use crate::backend::Dialect;
use crate::jobs::{JobRow, COLUMNS};
use crate::{time, Error, JobId, JobRecord, JobState, NewJob, Result, Submitted};

/// Queues `job`, or finds the job its idempotency key already names. The
/// UNIQUE key decides, not a read before the insert: of two submits racing
/// with one key, PostgreSQL makes the second insert wait for the first to
/// commit and then do nothing (SQLite's write lock serialises them), and
/// the second then reads the first's row.
pub(crate) async fn submit(tx: &mut Tx<'_>, job: &NewJob) -> Result<Submitted> {
    let inserted: Option<JobRow> = sqlx::query_as(&format!(
        "INSERT INTO jobs (idempotency_key, request_hash, site_label, dry_run, request, state, \
         submitted_by, created_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING {COLUMNS}"
    ))
    .bind(&job.idempotency_key)
    .bind(&job.request_hash)
    .bind(&job.site_label)
    .bind(job.dry_run)
    .bind(serde_json::to_string(&job.request)?)
    .bind(&job.submitted_by)
    .bind(time::to_text(Utc::now()))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = inserted {
        return Ok(Submitted::Accepted(row.try_into()?));
    }
    // Only a key can conflict: a job without one is always inserted.
    let key = job.idempotency_key.clone().unwrap_or_default();
    let existing: JobRow = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE idempotency_key = $1"
    ))
    .bind(&key)
    .fetch_one(&mut **tx)
    .await?;
    let existing = JobRecord::try_from(existing)?;
    if existing.request_hash != job.request_hash {
        return Err(Error::IdempotencyKeyReused { key });
    }
    Ok(Submitted::Existing(existing))
}

/// Takes the oldest queued job: marks it running, started now, one attempt
/// more. On PostgreSQL a job another claimer has locked is skipped, not
/// waited for (and the outer `state` test keeps a job taken meanwhile from
/// being taken twice); on SQLite the write transaction serialises claimers.
pub(crate) async fn claim(tx: &mut Tx<'_>) -> Result<Option<JobRecord>> {
    let skip_locked = match DIALECT {
        Dialect::Sqlite => "",
        Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let row: Option<JobRow> = sqlx::query_as(&format!(
        "UPDATE jobs SET state = 'running', started_at = $1, attempts = attempts + 1 \
         WHERE state = 'queued' AND id = (SELECT id FROM jobs WHERE state = 'queued' \
         ORDER BY id LIMIT 1{skip_locked}) RETURNING {COLUMNS}"
    ))
    .bind(time::to_text(Utc::now()))
    .fetch_optional(&mut **tx)
    .await?;
    row.map(JobRecord::try_from).transpose()
}

/// Puts every `running` job back in the queue; returns how many.
pub(crate) async fn requeue_running(tx: &mut Tx<'_>) -> Result<u64> {
    let done = sqlx::query("UPDATE jobs SET state = 'queued' WHERE state = 'running'")
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Ends the running job `id` as `state` (a final one), with its results
/// or error. A job that is not running is [`Error::JobNotRunning`].
pub(crate) async fn finish(
    tx: &mut Tx<'_>,
    id: JobId,
    state: JobState,
    results: Option<&serde_json::Value>,
    error: Option<&str>,
) -> Result<()> {
    if !state.is_final() {
        return Err(Error::InvalidJobEnd(state));
    }
    let results = results.map(serde_json::to_string).transpose()?;
    let done = sqlx::query(
        "UPDATE jobs SET state = $1, results = $2, error = $3, finished_at = $4 \
         WHERE id = $5 AND state = 'running'",
    )
    .bind(state)
    .bind(results)
    .bind(error)
    .bind(time::to_text(Utc::now()))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        let now: Option<JobState> = sqlx::query_scalar("SELECT state FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        return Err(Error::JobNotRunning { id, state: now });
    }
    Ok(())
}

/// One job by id.
pub(crate) async fn get(pool: &Pool, id: JobId) -> Result<Option<JobRecord>> {
    let row: Option<JobRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(JobRecord::try_from).transpose()
}

/// Up to `limit` jobs, newest first.
pub(crate) async fn list(pool: &Pool, limit: u32) -> Result<Vec<JobRecord>> {
    let rows: Vec<JobRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs ORDER BY id DESC LIMIT $1"
    ))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(JobRecord::try_from).collect()
}
