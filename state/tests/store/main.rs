//! Store tests. Those that hold for both engines run on each: on SQLite
//! files in temporary directories, and on PostgreSQL when
//! `TABGOV_TEST_POSTGRES` names a server (each store a database of its
//! own); without it the PostgreSQL runs print that they were skipped.

mod common;

mod accounts;
mod external_ids;
mod feed;
mod file_safety;
mod first_sync;
mod jobs;
mod journal;
mod lock;
mod open;
mod paging;
mod provision;
mod runs;
mod scale;
mod sync;
mod upgrade;
