//! The batch rail: a batch larger than the limit needs the operator's
//! confirmation, whoever builds it (an offboarding file, a review sheet).

use std::fmt;

/// Targets a batch may hold without confirmation.
pub const DEFAULT_MAX_ACTIONS: usize = 50;

/// How many changes one batch may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchPolicy {
    /// Batches with more changes need `confirmed`.
    pub max_actions: usize,
    /// The operator confirmed a larger batch (`--yes`).
    pub confirmed: bool,
}

impl Default for BatchPolicy {
    fn default() -> Self {
        BatchPolicy {
            max_actions: DEFAULT_MAX_ACTIONS,
            confirmed: false,
        }
    }
}

impl BatchPolicy {
    /// Whether a batch of `changes` may run.
    pub fn check(&self, changes: usize) -> Result<(), BatchTooLarge> {
        if changes > self.max_actions && !self.confirmed {
            Err(BatchTooLarge {
                changes,
                max_actions: self.max_actions,
            })
        } else {
            Ok(())
        }
    }
}

/// A batch over the limit without confirmation: nothing may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchTooLarge {
    pub changes: usize,
    pub max_actions: usize,
}

impl fmt::Display for BatchTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refused: {} targets exceed --max-actions {}; nothing was changed. Pass --yes to confirm this batch, or raise --max-actions",
            self.changes, self.max_actions
        )
    }
}
