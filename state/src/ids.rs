//! The store's own keys, one type each, so a run id cannot be passed where
//! a journal entry or a site is meant. Stored as SQLite integers
//! (`sqlx(transparent)`); printed as the bare number.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! store_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The number as stored.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

store_key!(
    /// A site (`sites.id`), used by every other table.
    SiteKey
);
store_key!(
    /// A sync run (`sync_runs.id`): the change feed's events belong to one.
    RunId
);
store_key!(
    /// An action journal entry (`action_journal.id`).
    JournalId
);
store_key!(
    /// An offboarding job accepted by the service (`jobs.id`).
    JobId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_print_and_serialise_as_bare_numbers() {
        assert_eq!(RunId(7).to_string(), "7");
        assert_eq!(serde_json::to_string(&JournalId(12)).unwrap(), "12");
        assert_eq!(SiteKey(3).get(), 3);
    }
}
