//! The mass-removal guard: a glitch must never become a mass deprovisioning.

use std::fmt;

/// Default share of active accounts that may vanish in one sync.
pub const DEFAULT_MAX_REMOVAL_PERCENT: f64 = 10.0;

/// Why a sync refuses to mark accounts Deprovisioned.
#[derive(Debug, Clone, PartialEq)]
pub struct MassRemoval {
    pub removed: usize,
    pub active_before: usize,
    pub max_percent: f64,
}

impl MassRemoval {
    /// The share of active accounts that would be removed, in percent.
    pub fn percent(&self) -> f64 {
        percent(self.removed, self.active_before)
    }
}

impl fmt::Display for MassRemoval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} active accounts ({:.1}%) would be marked Deprovisioned, more than the {}% limit",
            self.removed,
            self.active_before,
            self.percent(),
            self.max_percent
        )
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Checks how many previously active accounts a sync would remove.
///
/// A first sync (no active accounts before) never trips the guard.
pub fn check_mass_removal(
    active_before: usize,
    active_removed: usize,
    max_percent: f64,
) -> Result<(), MassRemoval> {
    if active_before > 0 && percent(active_removed, active_before) > max_percent {
        Err(MassRemoval {
            removed: active_removed,
            active_before,
            max_percent,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_trips_only_above_the_limit() {
        let cases = [
            (100, 0, 10.0, true),
            (100, 10, 10.0, true),
            (100, 11, 10.0, false),
            (100, 30, 10.0, false),
            (100, 30, 50.0, true),
            (0, 0, 10.0, true),
            (3, 1, 10.0, false),
            (100, 100, 100.0, true),
        ];
        for (before, removed, max, ok) in cases {
            assert_eq!(
                check_mass_removal(before, removed, max).is_ok(),
                ok,
                "{removed}/{before} at {max}%"
            );
        }
    }

    #[test]
    fn message_names_counts_and_limit() {
        let err = check_mass_removal(200, 60, 10.0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "60 of 200 active accounts (30.0%) would be marked Deprovisioned, more than the 10% limit"
        );
    }
}
