//! Telling whether anyone else wrote to the store since a given moment, and
//! transactions that cannot be overtaken by another writer.

use sqlx::{Connection, Sqlite, SqliteConnection, Transaction};

use crate::Result;

/// What SQLite's `PRAGMA data_version` said on one connection: it changes
/// when another connection commits. Read something outside a transaction,
/// then compare inside one: equal versions mean what was read is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreVersion(i64);

impl StoreVersion {
    /// The version as `conn` sees it now.
    pub async fn read(conn: &mut SqliteConnection) -> Result<StoreVersion> {
        let version: i64 = sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(&mut *conn)
            .await?;
        Ok(StoreVersion(version))
    }
}

/// Starts a transaction that takes SQLite's write lock at once
/// (`BEGIN IMMEDIATE`), waiting out other writers for the busy timeout.
/// A deferred transaction that reads before it writes cannot wait: if
/// another connection commits in between, its first write fails at once
/// ("database is locked"). Use this for every read-then-write transaction.
pub async fn begin_write(conn: &mut SqliteConnection) -> Result<Transaction<'_, Sqlite>> {
    Ok(conn.begin_with("BEGIN IMMEDIATE").await?)
}
