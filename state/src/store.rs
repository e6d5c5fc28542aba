//! The store: one type for both engines, opened from a URL. Its methods
//! (in `reads.rs`, `journal_writer.rs` and `sync_writer.rs`) are the only
//! way in: no pool, connection or SQL leaves this crate.

use std::path::PathBuf;

use sqlx::postgres::PgConnectOptions;

use crate::backend::{on_engine, Pool};
use crate::{Error, Result};

/// The store used when no `--db` is given: a file in the working directory.
pub const DEFAULT_URL: &str = "sqlite://tabgov.db";

/// An open, migrated store.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) location: Location,
}

/// Where the database lives; decides how the site locks are taken.
#[derive(Debug, Clone)]
pub(crate) enum Location {
    /// A database file; locks are files next to it.
    File(PathBuf),
    /// An in-memory database, named uniquely per open; locks are in-process.
    Memory(String),
    /// A PostgreSQL database; locks are its advisory locks, each held by a
    /// connection of its own (opened with these options), so they hold
    /// across machines and end with their holder's connection.
    Postgres(ServerOptions),
}

/// How to open another connection to a PostgreSQL store. Its `Debug` shows
/// where, never the password the options may carry.
#[derive(Clone)]
pub(crate) struct ServerOptions(pub(crate) Box<PgConnectOptions>);

impl std::fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let o = &self.0;
        write!(
            f,
            "postgres://{}@{}:{}/{}",
            o.get_username(),
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or("")
        )
    }
}

/// The database engine a store URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// `sqlite://FILE` or `sqlite::memory:`: a file, nothing to run.
    Sqlite,
    /// `postgres://` or `postgresql://`: a server shared by many processes.
    Postgres,
}

impl EngineKind {
    /// The engine of `url`; anything but a PostgreSQL URL is SQLite's.
    pub fn of(url: &str) -> EngineKind {
        let lower = url.get(..13).unwrap_or(url).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            EngineKind::Postgres
        } else {
            EngineKind::Sqlite
        }
    }
}

impl Store {
    /// Opens (creating a SQLite file if missing) and migrates the store at
    /// `url`: `sqlite://path`, `sqlite::memory:`, or
    /// `postgres://user@host/database` (PostgreSQL 15 or later; give the
    /// password through PGPASSWORD or ~/.pgpass, not the URL). Opening twice
    /// is harmless: applied migrations are skipped.
    pub async fn open(url: &str) -> Result<Store> {
        match EngineKind::of(url) {
            EngineKind::Sqlite => crate::open_sqlite::open(url, false).await,
            EngineKind::Postgres => crate::open_postgres::open(url, false).await,
        }
    }

    /// Creates the store `tabgov demo` runs in, marked as the demo's own
    /// before its migrations run (see [`Store::replaceable_by_demo`]). The
    /// store must be new: one that already has tables is not marked, and
    /// refused.
    pub async fn create_demo(url: &str) -> Result<Store> {
        match EngineKind::of(url) {
            EngineKind::Sqlite => crate::open_sqlite::open(url, true).await,
            EngineKind::Postgres => crate::open_postgres::open(url, true).await,
        }
    }

    /// Opens the store at `url` for a command that only reads. A store that
    /// can be written opens as with [`Store::open`]; a SQLite store whose
    /// file or directory is read-only opens read-only, without locks or
    /// migrations (a store that still needs migrating is refused, saying so).
    pub async fn open_for_reading(url: &str) -> Result<Store> {
        match Store::open(url).await {
            Err(Error::ReadOnly { path, .. }) if path.exists() => {
                crate::open_sqlite::open_read_only(url, path).await
            }
            Err(Error::ReadOnly { path, .. }) => Err(Error::NoStore { path }),
            other => other,
        }
    }

    /// The engine this store runs on.
    pub fn engine(&self) -> EngineKind {
        match self.pool {
            Pool::Sqlite(_) => EngineKind::Sqlite,
            Pool::Postgres(_) => EngineKind::Postgres,
        }
    }

    /// Closes every connection (on SQLite, flushing the WAL into the file).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The steps every open shares once the pool exists: refuse a store a
    /// newer tabgov wrote, mark a new demo store, apply the migrations. The
    /// pool is closed again if any fails.
    pub(crate) async fn prepare(
        pool: Pool,
        location: Location,
        url: &str,
        demo: bool,
    ) -> Result<Store> {
        let shown = crate::redact::redacted(url);
        let prepared = on_engine!(&pool, |db, sql| async {
            sql::schema::refuse_newer(db, &shown).await?;
            if demo {
                sql::demo::mark_new(db, &shown).await?;
            }
            sql::schema::migrate(db)
                .await
                .map_err(|e| match (e, &location) {
                    (sqlx::migrate::MigrateError::Execute(e), Location::File(path)) => {
                        crate::open_sqlite::read_only_or(e, path)
                    }
                    (e, _) => e.into(),
                })
        }
        .await);
        match prepared {
            Ok(()) => Ok(Store { pool, location }),
            Err(e) => {
                pool.close().await;
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_options_never_show_the_password() {
        let options: PgConnectOptions = "postgres://tabgov:hunter2@db.example.com:5433/gov"
            .parse()
            .unwrap();
        let location = Location::Postgres(ServerOptions(Box::new(options)));
        let shown = format!("{location:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("tabgov@db.example.com:5433/gov"), "{shown}");
    }

    #[test]
    fn the_url_names_the_engine() {
        assert_eq!(EngineKind::of("postgres://u@h/db"), EngineKind::Postgres);
        assert_eq!(EngineKind::of("PostgreSQL://u@h/db"), EngineKind::Postgres);
        assert_eq!(EngineKind::of("sqlite://tabgov.db"), EngineKind::Sqlite);
        assert_eq!(EngineKind::of("sqlite::memory:"), EngineKind::Sqlite);
        assert_eq!(EngineKind::of("postgres.db"), EngineKind::Sqlite);
    }
}
