//! Offboarding jobs: requests the service accepted (HTTP 202) and carries
//! out in the background. A job is a row before it is anything else, so it
//! survives the service being killed; it is taken by one worker at a time
//! ([`Store::claim_job`]), and one left `running` by a killed service goes
//! back to the queue when the service starts again
//! ([`Store::requeue_interrupted_jobs`]): the action journal makes running
//! it again safe (an action already done is found done, not done twice).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use crate::{time, Error, JobId, Result};

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Accepted, waiting for a worker.
    Queued,
    /// Taken by a worker (or by one that died: see
    /// [`Store::requeue_interrupted_jobs`](crate::Store::requeue_interrupted_jobs)).
    Running,
    Succeeded,
    Failed,
    /// Given up by the service without an outcome (stopped for good).
    Interrupted,
}

impl JobState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Interrupted => "interrupted",
        }
    }

    /// Whether a job in this state is over (a worker finished it).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobState::Succeeded | JobState::Failed | JobState::Interrupted
        )
    }

    pub(crate) fn parse(s: &str) -> Result<JobState> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Succeeded,
            JobState::Failed,
            JobState::Interrupted,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
        .ok_or_else(|| Error::Corrupt {
            what: "jobs.state",
            value: s.to_owned(),
        })
    }
}

crate::stored_text::stored_as_text!(JobState);

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job as the service submits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// The caller's `Idempotency-Key`: a second submit with it returns the
    /// first job instead of queuing another.
    pub idempotency_key: Option<String>,
    /// A hash of the request body, computed by the caller: the same key
    /// with another body is refused ([`Error::IdempotencyKeyReused`]).
    pub request_hash: String,
    /// The site as the request named it (resolved when the job runs).
    pub site_label: String,
    pub dry_run: bool,
    /// The request (its rows), as the caller will read it back.
    pub request: serde_json::Value,
    /// Who submitted it (the API token's name).
    pub submitted_by: String,
}

/// What [`Store::submit_job`](crate::Store::submit_job) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// A new job, queued.
    Accepted(JobRecord),
    /// The job an earlier submit with the same idempotency key and request
    /// created, as it stands now; nothing was queued.
    Existing(JobRecord),
}

impl Submitted {
    /// The job, new or existing.
    pub fn job(&self) -> &JobRecord {
        match self {
            Submitted::Accepted(j) | Submitted::Existing(j) => j,
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobRecord {
    pub id: JobId,
    pub idempotency_key: Option<String>,
    pub request_hash: String,
    pub site_label: String,
    pub dry_run: bool,
    pub request: serde_json::Value,
    pub state: JobState,
    /// What the worker reported, once finished.
    pub results: Option<serde_json::Value>,
    pub error: Option<String>,
    pub submitted_by: String,
    pub created_at: DateTime<Utc>,
    /// When a worker last took it.
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// How many times a worker took it (more than one after a restart).
    pub attempts: u32,
}

#[derive(FromRow)]
pub(crate) struct JobRow {
    id: JobId,
    idempotency_key: Option<String>,
    request_hash: String,
    site_label: String,
    dry_run: bool,
    request: String,
    state: JobState,
    results: Option<String>,
    error: Option<String>,
    submitted_by: String,
    created_at: String,
    started_at: Option<String>,
    finished_at: Option<String>,
    attempts: i64,
}

impl TryFrom<JobRow> for JobRecord {
    type Error = Error;

    fn try_from(r: JobRow) -> Result<JobRecord> {
        Ok(JobRecord {
            id: r.id,
            idempotency_key: r.idempotency_key,
            request_hash: r.request_hash,
            site_label: r.site_label,
            dry_run: r.dry_run,
            request: serde_json::from_str(&r.request)?,
            state: r.state,
            results: r.results.as_deref().map(serde_json::from_str).transpose()?,
            error: r.error,
            submitted_by: r.submitted_by,
            created_at: time::from_text("jobs.created_at", &r.created_at)?,
            started_at: time::from_opt("jobs.started_at", r.started_at.as_deref())?,
            finished_at: time::from_opt("jobs.finished_at", r.finished_at.as_deref())?,
            attempts: u32::try_from(r.attempts).map_err(|_| Error::Corrupt {
                what: "jobs.attempts",
                value: r.attempts.to_string(),
            })?,
        })
    }
}

/// The columns every job query reads, in [`JobRow`]'s order.
pub(crate) const COLUMNS: &str = "id, idempotency_key, request_hash, site_label, dry_run, \
     request, state, results, error, submitted_by, created_at, started_at, finished_at, attempts";
