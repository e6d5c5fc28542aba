//! The demo's store: a fresh file, marked as the demo's when it is created.
//! Only a demo store holding no action journal and no site of a real
//! server is ever replaced (the rule is [`Store::replaceable_by_demo`]).

use std::path::{Path, PathBuf};

use tabgov_state::{Store, UnmarkedDemoStores};

use super::failure::Failure;
use super::store_url::store_url;

/// The demo's store when `--db` is not given.
pub const DEMO_DB: &str = "tabgov-demo.db";

/// The store URL for `--db` (a URL or a plain path), or the demo default.
pub fn demo_url(db: Option<&str>) -> Result<String, Failure> {
    store_url(db.unwrap_or(DEMO_DB))
}

/// Removes the database file behind `db` (`--db`, or the default when
/// `None`) and its WAL files when the demo may replace it, so the demo
/// starts fresh. Returns the removed file. Any other existing file is
/// refused, untouched. At the default path an unmarked store holding only
/// simulated sites and no journal is replaced too: earlier releases
/// created their demo stores unmarked there.
pub async fn replace_demo_store(db: Option<&str>) -> Result<Option<PathBuf>, Failure> {
    let url = demo_url(db)?;
    let path = match tabgov_state::sqlite_file(&url) {
        Ok(Some(path)) => path,
        Ok(None) => return Ok(None),
        Err(e) => {
            return Err(Failure::usage(format!(
                "{e}; the demo runs on a file: give --db a file path"
            )))
        }
    };
    if !path.exists() {
        return Ok(None);
    }
    let unmarked = match db {
        None => UnmarkedDemoStores::AcceptSimulatedOnly,
        Some(_) => UnmarkedDemoStores::Refuse,
    };
    if let Err(why) = Store::replaceable_by_demo(&path, unmarked).await {
        let instead = match db {
            None => "move it away, or pass --db with a new file for the demo".to_owned(),
            Some(_) => format!("pass another --db (or no --db for ./{DEMO_DB})"),
        };
        return Err(Failure::usage(format!(
            "{} {why}: the demo only replaces a store it created itself; {instead}",
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
        assert_eq!(
            demo_url(Some("")).unwrap_err().code,
            tabgov::ExitCode::Usage
        );
    }

    async fn store_with_site(path: &Path, server: &str, demo: bool) -> Store {
        let url = format!("sqlite://{}", path.display());
        let store = if demo {
            Store::create_demo(&url).await.unwrap()
        } else {
            Store::open(&url).await.unwrap()
        };
        store.upsert_site(server, "", None).await.unwrap();
        store
    }

    fn db(path: &Path) -> Option<&str> {
        path.to_str()
    }

    #[tokio::test]
    async fn only_marked_stores_without_a_journal_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        // Synced from loopback (a tunnel looks the same), not the demo's.
        let tunnel = dir.path().join("tunnel.db");
        store_with_site(&tunnel, "http://127.0.0.1:8443", false)
            .await
            .close()
            .await;
        let err = replace_demo_store(db(&tunnel)).await.unwrap_err();
        assert_eq!(err.code, tabgov::ExitCode::Usage);
        assert!(
            err.message.contains("was not created by tabgov demo")
                && err.message.contains("pass another --db"),
            "{}",
            err.message
        );
        assert!(tunnel.exists());

        let text = dir.path().join("notes.db");
        std::fs::write(&text, "not a database at all, but some precious notes").unwrap();
        let err = replace_demo_store(db(&text)).await.unwrap_err();
        assert!(
            err.message.contains("not a SQLite database"),
            "{}",
            err.message
        );
        assert!(text.exists());

        let demo = dir.path().join("demo.db");
        store_with_site(&demo, "http://127.0.0.1:4000", true)
            .await
            .close()
            .await;
        assert_eq!(
            replace_demo_store(db(&demo)).await.unwrap(),
            Some(demo.clone())
        );
        assert!(!demo.exists());
        assert_eq!(replace_demo_store(db(&demo)).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_marked_store_a_real_server_was_synced_into_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let demo = dir.path().join("demo.db");
        let store = store_with_site(&demo, "http://127.0.0.1:4000", true).await;
        store
            .upsert_site("https://tableau.example.com", "", None)
            .await
            .unwrap();
        store.close().await;
        let err = replace_demo_store(db(&demo)).await.unwrap_err();
        assert!(
            err.message
                .contains("holds data synced from https://tableau.example.com"),
            "{}",
            err.message
        );
        assert!(demo.exists());
    }

    #[tokio::test]
    async fn a_marked_store_holding_journal_entries_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let demo = dir.path().join("demo.db");
        let store = store_with_site(&demo, "http://127.0.0.1:4000", true).await;
        let entry = tabgov_state::NewJournalEntry::new(
            tabgov_state::SiteKey(1),
            tabgov_state::JournalAction::Suspend,
            &"user-luid".into(),
            chrono::Utc::now(),
        );
        store.journal_intent(&entry).await.unwrap();
        store.close().await;
        let err = replace_demo_store(db(&demo)).await.unwrap_err();
        assert!(
            err.message.contains("1 action journal entries"),
            "{}",
            err.message
        );
        assert!(demo.exists());
    }
}
