//! `GET /v1/jobs/{id}`: an offboarding job's state and, once it ran, each
//! row's result as `tabgov offboard --format json` reports it.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tabgov_state::{JobId, JobRecord, JobState};

use crate::serve::job_spec::JobSpec;
use crate::serve::{ApiError, AppState};

/// A job as the API shows it.
#[derive(Debug, Serialize)]
pub struct JobView {
    pub id: JobId,
    pub state: JobState,
    pub site: String,
    pub dry_run: bool,
    pub rows: usize,
    pub submitted_by: String,
    pub idempotency_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Runs so far: more than one when a restart resumed it.
    pub attempts: u32,
    /// One result per row, in row order, once the job ran.
    pub results: Option<serde_json::Value>,
    /// Why the whole job failed (sign-in, lock, a refused batch).
    pub error: Option<String>,
    /// Where to follow it.
    pub href: String,
}

impl JobView {
    pub fn of(record: JobRecord) -> Result<JobView, ApiError> {
        let spec: JobSpec = serde_json::from_value(record.request.clone())
            .map_err(|e| ApiError::internal(format!("job {} cannot be read: {e}", record.id)))?;
        Ok(JobView {
            href: format!("/v1/jobs/{}", record.id),
            id: record.id,
            state: record.state,
            site: spec.site,
            dry_run: spec.dry_run,
            rows: spec.requests.len(),
            submitted_by: record.submitted_by,
            idempotency_key: record.idempotency_key,
            created_at: record.created_at,
            started_at: record.started_at,
            finished_at: record.finished_at,
            attempts: record.attempts,
            results: record.results,
            error: record.error,
        })
    }
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    let missing = || ApiError::not_found(format!("no job {id:?}"));
    let key: i64 = id.parse().map_err(|_| missing())?;
    let record = state.store.job(JobId(key)).await?.ok_or_else(missing)?;
    Ok(Json(JobView::of(record)?))
}
