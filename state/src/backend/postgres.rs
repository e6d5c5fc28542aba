//! The store's queries on PostgreSQL.

/// The engine `sql/` is compiled for here.
pub(crate) type Engine = sqlx::Postgres;

/// How `sql/` branches where PostgreSQL's SQL differs.
pub(crate) const DIALECT: super::Dialect = super::Dialect::Postgres;

/// The migrations of this engine, embedded in the build.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

// Deliberately the same file as the other engine's `sql`: each engine
// compiles the one copy of the statements with its own types.
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
pub(crate) mod sql;
