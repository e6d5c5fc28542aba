//! Running part of a sync on the runtime's worker threads.
//!
//! The sync itself is polled wherever its caller runs it (the command line
//! runs it on the main thread). While that thread builds maps or statements,
//! it issues no requests; moving the CPU-heavy consumers of a listing onto
//! their own tasks keeps requests flowing and puts the second core to work.

use std::future::Future;

use tokio::task::JoinHandle;

use crate::{Error, Result};

/// A spawned task that is aborted if its handle is dropped unawaited, so a
/// sync that is itself dropped (Ctrl-C) leaves nothing running behind it.
pub struct OwnTask<T>(JoinHandle<T>);

impl<T: Send + 'static> OwnTask<T> {
    /// Starts `work` on the runtime.
    pub fn spawn(work: impl Future<Output = T> + Send + 'static) -> OwnTask<T> {
        OwnTask(tokio::spawn(work))
    }

    /// Waits for the task's result.
    pub async fn join(mut self) -> Result<T> {
        (&mut self.0)
            .await
            .map_err(|e| Error::Internal(format!("a sync task stopped: {e}")))
    }
}

impl<T> Drop for OwnTask<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
