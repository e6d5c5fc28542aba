//! A store examined without changing it: its schema version against this
//! build's migrations, SQLite's own integrity and foreign-key checks, and
//! how much it holds. `tabgov store check` prints it; nothing is created,
//! migrated or written, so it is safe on a store another process uses.

use std::str::FromStr;

use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

use crate::schema::{applied_versions, known_versions, refuse_newer};
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
        let report = examine(&pool, url).await;
        pool.close().await;
        report
    }
}

async fn examine(pool: &SqlitePool, url: &str) -> Result<StoreReport> {
    refuse_newer(pool, url).await?;
    let applied = applied_versions(pool).await?;
    let known = known_versions();
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await?;
    let violations: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(pool)
            .await?;
    let migrated = !applied.is_empty();
    let integrity: Vec<String> = integrity.into_iter().filter(|l| l != "ok").collect();
    Ok(StoreReport {
        location: url.to_owned(),
        sound: integrity.is_empty() && violations.is_empty(),
        version: applied.last().copied(),
        latest: known.last().copied().unwrap_or(0),
        pending: known
            .iter()
            .filter(|v| !applied.contains(v))
            .copied()
            .collect(),
        integrity,
        foreign_key_violations: violations.len() as u64,
        sites: rows(pool, migrated, "sites").await?,
        accounts: rows(pool, migrated, "accounts").await?,
        journal_entries: rows(pool, migrated, "action_journal").await?,
    })
}

/// Rows of `table`; none before the first migration made it.
async fn rows(pool: &SqlitePool, migrated: bool, table: &str) -> Result<u64> {
    if !migrated {
        return Ok(0);
    }
    let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await?;
    Ok(n as u64)
}
