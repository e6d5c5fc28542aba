//! Sync runs: one row per attempt, with its outcome and counters.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

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

    pub(crate) fn parse(s: &str) -> Result<RunStatus> {
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

crate::stored_text::stored_as_text!(RunStatus);

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a successful run reports, recorded by [`SyncWriter`](crate::SyncWriter).
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

/// A site's newest run and its newest successful run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LatestRuns {
    pub last: Option<RunRecord>,
    pub last_success: Option<RunRecord>,
}

#[derive(FromRow)]
pub(crate) struct RunRow {
    id: RunId,
    site_id: SiteKey,
    content_url: String,
    started_at: String,
    finished_at: Option<String>,
    status: RunStatus,
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
            status: r.status,
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

pub(crate) const SELECT: &str =
    "SELECT r.id, r.site_id, s.content_url, r.started_at, r.finished_at, \
     r.status, r.error, r.users, r.groups_count, r.memberships, r.joined, r.left_count, \
     r.changed, r.pages, r.requests, r.retries, r.duration_ms \
     FROM sync_runs r JOIN sites s ON s.id = r.site_id";
