//! The store's side of the service's job queue (see `jobs.rs`): every
//! change in a write transaction of its own, committed before it returns.

use crate::backend::{in_write_tx, on_engine};
use crate::{JobId, JobRecord, JobState, NewJob, Result, Store, Submitted};

impl Store {
    /// Queues `job`, committed before this returns (the service answers 202
    /// only then). With an idempotency key already used for the same
    /// request (`request_hash`), the existing job is returned untouched
    /// ([`Submitted::Existing`]); used for another request, the submit is
    /// [`Error::IdempotencyKeyReused`](crate::Error::IdempotencyKeyReused).
    pub async fn submit_job(&self, job: &NewJob) -> Result<Submitted> {
        let mut conn = self.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| sql::jobs::submit(&mut tx, job).await?)
    }

    /// Takes the oldest queued job for this worker: it is `running` from
    /// now, with one attempt more. Two workers never take the same job.
    pub async fn claim_job(&self) -> Result<Option<JobRecord>> {
        let mut conn = self.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| sql::jobs::claim(&mut tx).await?)
    }

    /// Puts the jobs left `running` back in the queue; returns how many.
    /// For the service's start only: a running job then belonged to a
    /// process that died, and running it again is safe (the action journal
    /// finds what it already did). Not while another service on the same
    /// store may be working: its jobs would run twice at once.
    pub async fn requeue_interrupted_jobs(&self) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| sql::jobs::requeue_running(&mut tx)
            .await?)
    }

    /// Ends the running job `id` as `state` (`succeeded`, `failed` or
    /// `interrupted`) with what it produced. A job that is not running is
    /// [`Error::JobNotRunning`](crate::Error::JobNotRunning), a state that
    /// does not end a job [`Error::InvalidJobEnd`](crate::Error::InvalidJobEnd).
    pub async fn finish_job(
        &self,
        id: JobId,
        state: JobState,
        results: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| sql::jobs::finish(
            &mut tx, id, state, results, error
        )
        .await?)
    }

    /// One job by id.
    pub async fn job(&self, id: JobId) -> Result<Option<JobRecord>> {
        on_engine!(&self.pool, |db, sql| sql::jobs::get(db, id).await)
    }

    /// Up to `limit` jobs, newest first.
    pub async fn list_jobs(&self, limit: u32) -> Result<Vec<JobRecord>> {
        on_engine!(&self.pool, |db, sql| sql::jobs::list(db, limit).await)
    }
}
