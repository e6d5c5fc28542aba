//! Store tests against real SQLite files in temporary directories.

mod accounts;
mod common;
mod file_safety;
mod first_sync;
mod journal;
mod lock;
mod open;
mod scale;
mod sync;
mod version;
