//! Telling whether anyone else wrote to the store since a given moment.

use sqlx::SqliteConnection;

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
