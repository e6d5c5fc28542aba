//! The numbers of a sync run, each declared once: what the site held and
//! how it moved ([`SyncCounts`]), and what was sent to Tableau
//! ([`RunTraffic`]). The run record, the sync's summary ([`ApplySummary`]) and the
//! outcome a run ends with hold these rather than copies of their fields.

use serde::Serialize;

use crate::{Error, Result};

/// The site after a sync and how it moved since the previous one; stored
/// with the run, printed by `tabgov sync`. Serialises flat.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncCounts {
    /// Accounts, groups and memberships on the site after the sync.
    pub users: u64,
    pub groups: u64,
    pub memberships: u64,
    /// Accounts that appeared and that vanished.
    pub joined: u64,
    pub left: u64,
    /// Accounts still on the site whose row changed.
    pub changed: u64,
}

/// What a run sent to Tableau, from the client's counters: recorded for a
/// failed run too (one that failed after thousands of requests says so).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunTraffic {
    /// Listing pages fetched.
    pub pages: u64,
    /// Requests sent, retries included.
    pub requests: u64,
    pub retries: u64,
}

/// What a sync saw and wrote: the run's counts (stored with the
/// run) and, beside them, the rows it wrote. Serialises flat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplySummary {
    /// The site after the sync and how it moved.
    #[serde(flatten)]
    pub counts: SyncCounts,
    /// Rows actually written, to prove a quiet re-sync wrote nothing.
    pub accounts_written: u64,
    pub groups_written: u64,
    pub memberships_added: u64,
    pub memberships_removed: u64,
    pub owned_written: u64,
    pub owned_removed: u64,
    pub events: u64,
}

/// A stored counter as a count; a negative one is a corrupt store.
pub(crate) fn count(what: &'static str, value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| Error::Corrupt {
        what,
        value: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use crate::ApplySummary;

    use super::*;

    #[test]
    fn a_summary_prints_its_counts_flat_and_first() {
        let summary = ApplySummary {
            counts: SyncCounts {
                users: 3,
                joined: 1,
                ..SyncCounts::default()
            },
            events: 1,
            ..ApplySummary::default()
        };
        assert_eq!(
            serde_json::to_string(&summary).unwrap(),
            r#"{"users":3,"groups":0,"memberships":0,"joined":1,"left":0,"changed":0,"accounts_written":0,"groups_written":0,"memberships_added":0,"memberships_removed":0,"owned_written":0,"owned_removed":0,"events":1}"#
        );
    }
}
