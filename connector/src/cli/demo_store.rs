//! The demo's store: a fresh file, marked as the demo's when it is created.
//! Only a store carrying that mark, and holding no action journal, is ever
//! replaced: a store synced from a real server, even through a tunnel on
//! the loopback interface, never is.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use tabgov_state::Store;

use super::failure::Failure;
use super::store_url::store_url;

/// The demo's store when `--db` is not given.
pub const DEMO_DB: &str = "tabgov-demo.db";

/// The table that marks a store as created by `tabgov demo`.
const MARKER: &str = "tabgov_demo_store";

/// The store URL for `--db` (a URL or a plain path), or the demo default.
pub fn demo_url(db: Option<&str>) -> Result<String, Failure> {
    store_url(db.unwrap_or(DEMO_DB))
}

/// Marks a store the demo just created as the demo's own.
pub async fn mark_demo_store(store: &Store) -> Result<(), Failure> {
    let mark = async {
        sqlx::query(&format!(
            "CREATE TABLE IF NOT EXISTS {MARKER} (created_at TEXT NOT NULL)"
        ))
        .execute(store.pool())
        .await?;
        sqlx::query(&format!("INSERT INTO {MARKER} (created_at) VALUES (?)"))
            .bind(chrono::Utc::now().to_rfc3339())
            .execute(store.pool())
            .await
    };
    mark.await
        .map(drop)
        .map_err(|e| Failure::runtime(format!("cannot mark the demo store: {e}")))
}

/// Removes the database file behind `url` (and its WAL files) when the demo
/// created it and no action was journalled in it, so the demo starts fresh.
/// Returns the removed file. Any other existing file is refused, untouched.
pub async fn replace_demo_store(url: &str) -> Result<Option<PathBuf>, Failure> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(None);
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| Failure::usage(format!("--db {url}: {e}; give a file path")))?;
    let path = options.get_filename().to_path_buf();
    if !path.exists() {
        return Ok(None);
    }
    if let Err(why) = demo_owned(&path).await {
        return Err(Failure::usage(format!(
            "{} {why}: the demo only replaces a store it created itself; pass another --db (or no --db for ./{DEMO_DB})",
            path.display()
        )));
    }
    for file in [
        path.clone(),
        suffixed(&path, "-wal"),
        suffixed(&path, "-shm"),
    ] {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Failure::runtime(format!(
                    "cannot replace {}: {e}",
                    file.display()
                )))
            }
        }
    }
    Ok(Some(path))
}

/// Whether the store at `path` is the demo's own: marked, with an empty
/// journal. Read without writing; the reason when it is not.
async fn demo_owned(path: &Path) -> Result<(), String> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|_| "is not a SQLite database".to_owned())?;
    let verdict = inspect(&mut conn).await;
    let _ = conn.close().await;
    verdict
}

async fn inspect(conn: &mut SqliteConnection) -> Result<(), String> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .map_err(|_| "is not a SQLite database".to_owned())?;
    if !tables.iter().any(|t| t == MARKER) {
        return Err("was not created by tabgov demo".to_owned());
    }
    if tables.iter().any(|t| t == "action_journal") {
        let journalled: i64 = sqlx::query_scalar("SELECT count(*) FROM action_journal")
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| format!("cannot be read ({e})"))?;
        if journalled > 0 {
            return Err(format!("holds {journalled} action journal entries"));
        }
    }
    Ok(())
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_are_both_accepted() {
        assert_eq!(demo_url(None).unwrap(), "sqlite://tabgov-demo.db");
        assert_eq!(demo_url(Some("x/demo.db")).unwrap(), "sqlite://x/demo.db");
        assert_eq!(
            demo_url(Some("sqlite:///tmp/d.db")).unwrap(),
            "sqlite:///tmp/d.db"
        );
        assert_eq!(demo_url(Some("")).unwrap_err().code, 2);
    }

    async fn store_with_site(path: &Path, server: &str) -> Store {
        let store = Store::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        tabgov_state::upsert_site(store.pool(), server, "", None)
            .await
            .unwrap();
        store
    }

    #[tokio::test]
    async fn only_marked_stores_without_a_journal_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        // Synced from loopback (a tunnel looks the same), not the demo's.
        let tunnel = dir.path().join("tunnel.db");
        store_with_site(&tunnel, "http://127.0.0.1:8443")
            .await
            .close()
            .await;
        let url = format!("sqlite://{}", tunnel.display());
        let err = replace_demo_store(&url).await.unwrap_err();
        assert_eq!(err.code, 2);
        assert!(
            err.message.contains("was not created by tabgov demo"),
            "{}",
            err.message
        );
        assert!(tunnel.exists());

        let text = dir.path().join("notes.db");
        std::fs::write(&text, "not a database at all, but some precious notes").unwrap();
        let err = replace_demo_store(&format!("sqlite://{}", text.display()))
            .await
            .unwrap_err();
        assert!(
            err.message.contains("not a SQLite database"),
            "{}",
            err.message
        );
        assert!(text.exists());

        let demo = dir.path().join("demo.db");
        let store = store_with_site(&demo, "http://127.0.0.1:4000").await;
        mark_demo_store(&store).await.unwrap();
        store.close().await;
        let url = format!("sqlite://{}", demo.display());
        assert_eq!(replace_demo_store(&url).await.unwrap(), Some(demo.clone()));
        assert!(!demo.exists());
        assert_eq!(replace_demo_store(&url).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_marked_store_holding_journal_entries_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let demo = dir.path().join("demo.db");
        let store = store_with_site(&demo, "http://127.0.0.1:4000").await;
        mark_demo_store(&store).await.unwrap();
        let mut tx = store.pool().begin().await.unwrap();
        let entry = tabgov_state::NewJournalEntry::new(
            1,
            tabgov_state::JournalAction::Suspend,
            "user-luid",
            chrono::Utc::now(),
        );
        tabgov_state::journal_intent(&mut tx, &entry).await.unwrap();
        tx.commit().await.unwrap();
        store.close().await;
        let err = replace_demo_store(&format!("sqlite://{}", demo.display()))
            .await
            .unwrap_err();
        assert!(
            err.message.contains("1 action journal entries"),
            "{}",
            err.message
        );
        assert!(demo.exists());
    }
}
