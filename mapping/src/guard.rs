//! The mass-removal guard: a glitch must never become a mass deprovisioning.

use std::fmt;

use crate::diff::pair_accounts;
use crate::{AccountStatus, SiteSnapshot};

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

/// Checks how many of `previous`'s active accounts `next` no longer has.
pub fn check_snapshot_removal(
    previous: &SiteSnapshot,
    next: &SiteSnapshot,
    max_percent: f64,
) -> Result<(), MassRemoval> {
    let (mut active_before, mut removed) = (0, 0);
    for (before, after) in pair_accounts(previous, next) {
        if before.is_some_and(|a| a.status() == AccountStatus::Active) {
            active_before += 1;
            removed += usize::from(after.is_none());
        }
    }
    check_mass_removal(active_before, removed, max_percent)
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
    fn snapshot_removal_counts_only_active_accounts_that_vanish() {
        use crate::{Account, SiteRole};
        let account = |id: &str, role| Account::for_test(id, id, role);
        let mut previous = SiteSnapshot::default();
        for n in 0..8 {
            previous.insert_account(account(&format!("a{n}"), SiteRole::Viewer));
        }
        previous.insert_account(account("s1", SiteRole::Unlicensed));
        previous.insert_account(account("s2", SiteRole::Unlicensed));
        // (ids gone from the next snapshot, refused at 20%, the removed count)
        let cases: [(&[&str], Option<usize>); 4] = [
            (&[], None),
            (&["s1", "s2", "a0"], None),
            (&["a0", "a1"], Some(2)),
            (&["a0", "a1", "a2"], Some(3)),
        ];
        for (gone, refused) in cases {
            let mut next = previous.clone();
            next.insert_account(account("new", SiteRole::Creator));
            for id in gone {
                next.accounts.remove(id);
            }
            let result = check_snapshot_removal(&previous, &next, 20.0);
            assert_eq!(
                result.err().map(|m| (m.removed, m.active_before)),
                refused.map(|r| (r, 8)),
                "{gone:?}"
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
