//! A store examined without changing it: its schema version against this
//! build's migrations, SQLite's own integrity and foreign-key checks, and
//! how much it holds. `tabgov store check` prints it; nothing is created,
//! migrated or written, so it is safe on a store another process uses.

use std::str::FromStr;

use serde::Serialize;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::backend::{postgres, sqlite};
use crate::redact::redacted;
use crate::store::EngineKind;
use crate::{Error, Result, Store};

/// What a store holds and how sound it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreReport {
    /// The store as named (`sqlite://...`).
    pub location: String,
    /// The newest migration the store holds; `None` for an empty database.
    pub version: Option<i64>,
    /// The newest migration this tabgov knows.
    pub latest: i64,
    /// Migrations this tabgov would apply (`tabgov store migrate`).
    pub pending: Vec<i64>,
    /// SQLite found nothing wrong: no integrity finding, no broken reference.
    pub sound: bool,
    /// SQLite's `integrity_check` findings; empty when the file is sound.
    pub integrity: Vec<String>,
    /// Rows whose foreign key points at no row (`foreign_key_check`).
    pub foreign_key_violations: u64,
    pub sites: u64,
    pub accounts: u64,
    pub journal_entries: u64,
}

impl Store {
    /// Examines the store at `url` read-only (see the module docs). A store
    /// from a newer tabgov is [`Error::NewerStore`]; a missing file is
    /// [`Error::NoStore`].
    pub async fn inspect(url: &str) -> Result<StoreReport> {
        if EngineKind::of(url) == EngineKind::Postgres {
            return Store::inspect_postgres(url).await;
        }
        let options = SqliteConnectOptions::from_str(url)?;
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let path = options.get_filename().to_path_buf();
        if !in_memory && !path.exists() {
            return Err(Error::NoStore { path });
        }
        let options = options.read_only(!in_memory).create_if_missing(in_memory);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let report = sqlite::sql::inspect::examine(&pool, url).await;
        pool.close().await;
        report
    }

    /// [`Store::inspect`] of a PostgreSQL store. The server enforces the
    /// schema's keys and checks itself, so there is no integrity scan to run.
    async fn inspect_postgres(url: &str) -> Result<StoreReport> {
        let options = crate::open_postgres::connect_options(url)?;
        crate::open_postgres::probe(url, &options).await?;
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| crate::open_postgres::unreachable(url, e.to_string()))?;
        let report = postgres::sql::inspect::examine(&pool, &redacted(url)).await;
        pool.close().await;
        report
    }
}
