//! The mark of a store `tabgov demo` created, and the rule for when an
//! existing file may be replaced by a fresh demo store: only a file that
//! holds nothing a user could miss.

use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::Store;

/// The table that marks a store as created by `tabgov demo`. It is no
/// migration: only demo stores have it.
pub(crate) const MARKER: &str = "tabgov_demo_store";

/// Which unmarked stores may still be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnmarkedDemoStores {
    /// Refused: only a store carrying the mark is the demo's.
    Refuse,
    /// Replaced when they hold only loopback `http://` sites and no journal:
    /// stores an earlier tabgov's demo created before it marked them.
    AcceptSimulatedOnly,
}

impl Store {
    /// Whether the file at `path` may be replaced by a fresh demo store:
    /// `Ok` for a file holding no tables at all, or for a demo store
    /// (marked, or unmarked as `unmarked` allows) with no action journal
    /// entries and only loopback `http://` sites; otherwise why not, as the
    /// end of a sentence starting with the file's name. Read without
    /// writing; the file is never migrated.
    pub async fn replaceable_by_demo(
        path: &Path,
        unmarked: UnmarkedDemoStores,
    ) -> std::result::Result<(), String> {
        if std::fs::metadata(path).map(|m| m.len()).unwrap_or(1) == 0 {
            return Ok(());
        }
        let mut conn = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .connect()
            .await
            .map_err(|_| "is not a SQLite database".to_owned())?;
        let verdict = inspect(&mut conn, unmarked).await;
        let _ = conn.close().await;
        verdict
    }
}

async fn inspect(
    conn: &mut SqliteConnection,
    unmarked: UnmarkedDemoStores,
) -> std::result::Result<(), String> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .map_err(|_| "is not a SQLite database".to_owned())?;
    if tables.is_empty() {
        return Ok(());
    }
    let has = |name: &str| tables.iter().any(|t| t == name);
    if !has("sites") {
        return Err("is not a tabgov store".to_owned());
    }
    if !has(MARKER) && unmarked == UnmarkedDemoStores::Refuse {
        return Err("was not created by tabgov demo".to_owned());
    }
    let unreadable = |e: sqlx::Error| format!("cannot be read ({e})");
    if has("action_journal") {
        let journalled: i64 = sqlx::query_scalar("SELECT count(*) FROM action_journal")
            .fetch_one(&mut *conn)
            .await
            .map_err(unreadable)?;
        if journalled > 0 {
            return Err(format!("holds {journalled} action journal entries"));
        }
    }
    let servers: Vec<String> = sqlx::query_scalar("SELECT server FROM sites")
        .fetch_all(&mut *conn)
        .await
        .map_err(unreadable)?;
    if let Some(real) = servers.iter().find(|s| !is_simulated(s)) {
        return Err(format!("holds data synced from {real}"));
    }
    Ok(())
}

/// A server the demo's simulator could have been: plain HTTP on the
/// loopback interface, with a port.
fn is_simulated(server: &str) -> bool {
    ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
        .iter()
        .any(|p| server.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_counts_as_simulated() {
        assert!(is_simulated("http://127.0.0.1:8800"));
        assert!(is_simulated("http://[::1]:4000"));
        assert!(!is_simulated("https://127.0.0.1:8800"));
        assert!(!is_simulated("https://tableau.example.com"));
        assert!(!is_simulated("http://127.0.0.1.example.com"));
    }

    #[tokio::test]
    async fn a_demo_store_is_marked_when_created_and_only_when_new() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let url = format!("sqlite://{}", path.display());
        Store::create_demo(&url).await.unwrap().close().await;
        let refuse = UnmarkedDemoStores::Refuse;
        assert_eq!(Store::replaceable_by_demo(&path, refuse).await, Ok(()));

        let synced = dir.path().join("synced.db");
        let url = format!("sqlite://{}", synced.display());
        Store::open(&url).await.unwrap().close().await;
        let err = Store::create_demo(&url).await.unwrap_err();
        assert!(matches!(err, crate::Error::NotNewDemoStore { .. }), "{err}");
        assert_eq!(
            Store::replaceable_by_demo(&synced, refuse).await,
            Err("was not created by tabgov demo".to_owned())
        );
        let accept = UnmarkedDemoStores::AcceptSimulatedOnly;
        assert_eq!(Store::replaceable_by_demo(&synced, accept).await, Ok(()));
    }
}
