//! The tabgov store: sites, sync runs, accounts, groups, memberships, owned
//! content, the change feed and the action journal, on SQLite (a file, the
//! default) or PostgreSQL (a server shared by many processes), through sqlx.
//!
//! One [`Store`] type, opened from a URL, is the only way in: its read
//! methods, one writer for syncs ([`SyncWriter`]) and one for the action
//! journal ([`Store::journal_intent`], [`Store::journal_close`]). No pool,
//! connection or SQL leaves the crate. Queries are checked at run time (no
//! database at build time), written once for both engines (`backend`), and
//! each engine's migrations are embedded.

mod account_record;
mod accounts;
mod advisory_lock;
mod backend;
mod copy;
mod counts;
mod demo_store;
mod error;
mod external_ids;
mod feed;
mod groups;
mod ids;
mod inspect;
mod job_queue;
mod jobs;
mod journal;
mod journal_writer;
mod lock;
mod open_postgres;
mod open_sqlite;
mod owned;
mod private_file;
mod reads;
mod redact;
mod run;
mod schema;
mod site;
mod snapshot;
mod store;
mod stored_text;
mod sync_writer;
#[cfg(feature = "testing")]
pub mod testing;
mod time;

pub use account_record::AccountRecord;
pub use accounts::{AccountCursor, AccountFilter};
pub use copy::CopyReport;
pub use counts::{ApplySummary, RunTraffic, SyncCounts};
pub use demo_store::UnmarkedDemoStores;
pub use error::{Error, Result};
pub use external_ids::ScimKind;
pub use feed::{ChangeFilter, ChangeRecord};
pub use groups::{GroupCursor, GroupRecord};
pub use ids::{JobId, JournalId, RunId, SiteKey};
pub use inspect::StoreReport;
pub use jobs::{JobRecord, JobState, NewJob, Submitted};
pub use journal::{
    IntentTarget, JournalAction, JournalEntry, JournalFilter, JournalState, NewJournalEntry,
};
pub use journal_writer::{Closing, StoreChange};
pub use lock::HeldSiteLock;
pub use open_sqlite::sqlite_file;
pub use private_file::create_private_file;
pub use redact::redacted;
pub use run::{LatestRuns, RunOutcome, RunRecord, RunStatus};
pub use site::SiteRecord;
pub use store::{EngineKind, Store, DEFAULT_URL};
pub use sync_writer::{Difference, SyncWriter};
