//! How far a batch is, for a caller's progress bar: checking every target
//! first, then acting on each.

use std::sync::Arc;

/// The two passes of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStage {
    /// Resolving and validating the targets; nothing changes yet.
    Checking,
    /// Carrying out the actions, one target after another.
    Acting,
}

impl BatchStage {
    /// A word for a progress bar.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStage::Checking => "checking",
            BatchStage::Acting => "acting",
        }
    }
}

/// Called with the stage, the targets done in it and their total.
#[derive(Clone)]
pub struct BatchProgress(Arc<dyn Fn(BatchStage, u64, u64) + Send + Sync>);

impl BatchProgress {
    /// A hook calling `report(stage, done, total)`.
    pub fn new(report: impl Fn(BatchStage, u64, u64) + Send + Sync + 'static) -> BatchProgress {
        BatchProgress(Arc::new(report))
    }

    pub(crate) fn report(&self, stage: BatchStage, done: usize, total: usize) {
        (self.0)(stage, done as u64, total as u64);
    }
}

impl std::fmt::Debug for BatchProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BatchProgress")
    }
}
