//! Sync runs: one row per attempt, with its outcome and counters.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, Sqlite, SqlitePool, Transaction};

use crate::counts::count;
use crate::RunId;
use crate::{time, Error, Result, RunTraffic, SiteKey, SyncCounts};

/// Where a sync run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Started and not yet finished.
    Running,
    /// Wrote its snapshot, change feed and counters.
    Succeeded,
    /// Stopped by an error; the store kept the previous snapshot.
    Failed,
    /// Stopped by a safety rule (mass-removal guard); nothing written.
    Refused,
    /// Its process died while running; the next run of the site said so.
    Interrupted,
}

impl RunStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Refused => "refused",
            RunStatus::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> Result<RunStatus> {
        [
            RunStatus::Running,
            RunStatus::Succeeded,
            RunStatus::Failed,
            RunStatus::Refused,
            RunStatus::Interrupted,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
        .ok_or_else(|| Error::Corrupt {
            what: "sync_runs.status",
            value: s.to_owned(),
        })
    }
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a successful run reports, recorded by [`finish_run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome {
    pub finished_at: DateTime<Utc>,
    /// The site after the run, as `apply_sync` (or the first sync) counted it.
    pub counts: SyncCounts,
    /// What the run sent to Tableau.
    pub traffic: RunTraffic,
}

/// A sync run as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    pub id: RunId,
    pub site_key: SiteKey,
    /// The site's content URL.
    pub site: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub status: RunStatus,
    pub error: Option<String>,
    /// Zero until the run succeeds.
    #[serde(flatten)]
    pub counts: SyncCounts,
    #[serde(flatten)]
    pub traffic: RunTraffic,
    pub duration_ms: Option<i64>,
}

#[derive(FromRow)]
struct RunRow {
    id: RunId,
    site_id: SiteKey,
    content_url: String,
    started_at: String,
    finished_at: Option<String>,
    status: String,
    error: Option<String>,
    users: i64,
    groups_count: i64,
    memberships: i64,
    joined: i64,
    left_count: i64,
    changed: i64,
    pages: i64,
    requests: i64,
    retries: i64,
    duration_ms: Option<i64>,
}

impl TryFrom<RunRow> for RunRecord {
    type Error = Error;

    fn try_from(r: RunRow) -> Result<RunRecord> {
        Ok(RunRecord {
            id: r.id,
            site_key: r.site_id,
            site: r.content_url,
            started_at: time::from_text("sync_runs.started_at", &r.started_at)?,
            finished_at: time::from_opt("sync_runs.finished_at", r.finished_at.as_deref())?,
            status: RunStatus::parse(&r.status)?,
            error: r.error,
            counts: SyncCounts {
                users: count("sync_runs.users", r.users)?,
                groups: count("sync_runs.groups_count", r.groups_count)?,
                memberships: count("sync_runs.memberships", r.memberships)?,
                joined: count("sync_runs.joined", r.joined)?,
                left: count("sync_runs.left_count", r.left_count)?,
                changed: count("sync_runs.changed", r.changed)?,
            },
            traffic: RunTraffic {
                pages: count("sync_runs.pages", r.pages)?,
                requests: count("sync_runs.requests", r.requests)?,
                retries: count("sync_runs.retries", r.retries)?,
            },
            duration_ms: r.duration_ms,
        })
    }
}

/// Records a new `running` run for `site` in its own small transaction and
/// returns its id.
///
/// Call it holding the site's [`SiteLockFile`](crate::SiteLockFile): any run of the
/// site still `running` then belongs to a process that died, and is marked
/// `interrupted` here.
pub async fn begin_run(pool: &SqlitePool, site: SiteKey) -> Result<RunId> {
    let now = time::to_text(Utc::now());
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE sync_runs SET status = 'interrupted', finished_at = ?, \
         error = 'the process stopped before the run finished' \
         WHERE site_id = ? AND status = 'running'",
    )
    .bind(&now)
    .bind(site)
    .execute(&mut *tx)
    .await?;
    let id = sqlx::query_scalar(
        "INSERT INTO sync_runs (site_id, started_at, status) VALUES (?, ?, 'running') RETURNING id",
    )
    .bind(site)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks the run `succeeded` with its counters and makes its finish time the
/// site's last successful sync, inside the sync transaction, so that the
/// snapshot, the change feed and the run record commit together.
pub async fn finish_run(
    tx: &mut Transaction<'_, Sqlite>,
    run_id: RunId,
    outcome: &RunOutcome,
) -> Result<()> {
    let (site, started_at) = running(tx, run_id).await?;
    let finished = time::to_text(outcome.finished_at);
    let duration = (outcome.finished_at - started_at).num_milliseconds().max(0);
    let (counts, traffic) = (&outcome.counts, &outcome.traffic);
    sqlx::query(
        "UPDATE sync_runs SET status = 'succeeded', finished_at = ?, users = ?, \
         groups_count = ?, memberships = ?, joined = ?, left_count = ?, changed = ?, \
         pages = ?, requests = ?, retries = ?, duration_ms = ? WHERE id = ?",
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
    sqlx::query("UPDATE sites SET last_success_at = ?, last_success_run_id = ? WHERE id = ?")
        .bind(&finished)
        .bind(run_id)
        .bind(site)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends a run as `failed` or `refused` with its reason and the traffic it
/// caused (a run that failed after thousands of requests says so), in its
/// own transaction. Nothing else changes: the previous snapshot stays
/// current. Drop (roll back) the sync transaction first: it holds the
/// write lock.
pub async fn fail_run(
    pool: &SqlitePool,
    run_id: RunId,
    status: RunStatus,
    error: &str,
    traffic: RunTraffic,
) -> Result<()> {
    if !matches!(status, RunStatus::Failed | RunStatus::Refused) {
        return Err(Error::InvalidRunEnd(status));
    }
    let now = Utc::now();
    // Reads, then writes: take the write lock first (see `begin_write`).
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (_, started_at) = running(&mut tx, run_id).await?;
    sqlx::query(
        "UPDATE sync_runs SET status = ?, error = ?, finished_at = ?, duration_ms = ?, \
         pages = ?, requests = ?, retries = ? WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(error)
    .bind(time::to_text(now))
    .bind((now - started_at).num_milliseconds().max(0))
    .bind(traffic.pages as i64)
    .bind(traffic.requests as i64)
    .bind(traffic.retries as i64)
    .bind(run_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The site and start of a run that is still `running`.
async fn running(
    tx: &mut Transaction<'_, Sqlite>,
    run_id: RunId,
) -> Result<(SiteKey, DateTime<Utc>)> {
    let row: Option<(SiteKey, String, String)> =
        sqlx::query_as("SELECT site_id, started_at, status FROM sync_runs WHERE id = ?")
            .bind(run_id)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some((site, started, status)) if status == "running" => {
            Ok((site, time::from_text("sync_runs.started_at", &started)?))
        }
        Some((_, _, status)) => Err(Error::RunNotRunning {
            run_id,
            status: Some(RunStatus::parse(&status)?),
        }),
        None => Err(Error::RunNotRunning {
            run_id,
            status: None,
        }),
    }
}

const SELECT: &str = "SELECT r.id, r.site_id, s.content_url, r.started_at, r.finished_at, \
     r.status, r.error, r.users, r.groups_count, r.memberships, r.joined, r.left_count, \
     r.changed, r.pages, r.requests, r.retries, r.duration_ms \
     FROM sync_runs r JOIN sites s ON s.id = r.site_id";

/// Runs, newest first, of one site or of all.
pub async fn list_runs(pool: &SqlitePool, site: Option<SiteKey>) -> Result<Vec<RunRecord>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE (? IS NULL OR r.site_id = ?) ORDER BY r.id DESC"
    ))
    .bind(site)
    .bind(site)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(RunRecord::try_from).collect()
}

/// One run by id.
pub async fn run(pool: &SqlitePool, run_id: RunId) -> Result<Option<RunRecord>> {
    let row: Option<RunRow> = sqlx::query_as(&format!("{SELECT} WHERE r.id = ?"))
        .bind(run_id)
        .fetch_optional(pool)
        .await?;
    row.map(RunRecord::try_from).transpose()
}
