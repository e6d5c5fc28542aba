//! The tabgov store: sites, sync runs, accounts, groups, memberships, owned
//! content, the change feed and the action journal, on SQLite through sqlx.
//!
//! Queries are checked at run time (no database at build time) and the
//! migrations are embedded. Write helpers take a transaction and never
//! commit: the caller decides what commits together, so one sync writes its
//! snapshot, change feed and run record atomically.

mod account_record;
mod accounts;
mod apply;
mod counts;
mod demo_store;
mod error;
mod feed;
mod first_sync;
mod groups;
mod ids;
mod inspect;
mod journal;
mod lock;
mod mutate;
mod owned;
mod private_file;
mod run;
mod schema;
mod site;
mod snapshot;
mod store;
mod time;
mod version;

pub use account_record::AccountRecord;
pub use accounts::{account, count_site_accounts, find_accounts, list_accounts, AccountFilter};
pub use apply::{apply_sync, ApplySummary};
pub use counts::{RunTraffic, SyncCounts};
pub use demo_store::UnmarkedDemoStores;
pub use error::{Error, Result};
pub use feed::{list_changes, ChangeFilter, ChangeRecord};
pub use first_sync::{
    bulk_cache, clear_unpublished, is_published, restore_cache, write_groups,
    write_joined_accounts, write_memberships, write_owned_items,
};
pub use groups::{group_names, list_groups, GroupRecord};
pub use ids::{JournalId, RunId, SiteKey};
pub use inspect::StoreReport;
pub use journal::{
    journal_complete, journal_intent, journal_last_suspend, journal_list, journal_open_intent,
    JournalAction, JournalEntry, JournalFilter, JournalState, NewJournalEntry,
};
pub use lock::SiteLockFile;
pub use mutate::{
    add_membership, mark_deprovisioned, remove_membership, transfer_owned_content,
    update_account_role,
};
pub use private_file::create_private_file;
pub use run::{begin_run, fail_run, finish_run, list_runs, run, RunOutcome, RunRecord, RunStatus};
pub use site::{find_site, forget_unused_site, list_sites, site, upsert_site, SiteRecord};
pub use snapshot::load_snapshot;
pub use store::{Store, DEFAULT_URL};
pub use version::{begin_write, StoreVersion};
