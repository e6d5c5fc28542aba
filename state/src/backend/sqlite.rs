//! The store's queries on SQLite.

/// The engine `sql/` is compiled for here.
pub(crate) type Engine = sqlx::Sqlite;

/// How `sql/` branches where SQLite's SQL differs.
pub(crate) const DIALECT: super::Dialect = super::Dialect::Sqlite;

/// The migrations of this engine, embedded in the build.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

// Deliberately the same file as the other engine's `sql`: each engine
// compiles the one copy of the statements with its own types.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
pub(crate) mod sql;
