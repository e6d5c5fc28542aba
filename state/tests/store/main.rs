//! Store tests against real SQLite files in temporary directories.

mod accounts;
mod common;
mod initial;
mod journal;
mod lock;
mod open;
mod scale;
mod sync;
mod version;
