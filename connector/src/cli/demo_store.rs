//! The demo's store: a fresh file, replacing an earlier demo's, never a
//! store holding data from a real server.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::failure::Failure;

/// The demo's store when `--db` is not given.
pub const DEMO_DB: &str = "tabgov-demo.db";

/// The store URL for `--db` (a URL or a plain path), or the demo default.
pub fn demo_url(db: Option<&str>) -> String {
    let db = db.unwrap_or(DEMO_DB);
    if db.starts_with("sqlite:") {
        db.to_owned()
    } else {
        format!("sqlite://{db}")
    }
}

/// Removes the database file behind `url` (and its WAL files) when it holds
/// nothing but simulated sites, so the demo starts fresh. Returns the
/// removed file. A store with a site of any other server is refused: the
/// demo never destroys real data.
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
    let servers = servers_in(&path).await.map_err(|why| {
        Failure::usage(format!(
            "{} exists and {why}: the demo only replaces its own stores; pass another --db",
            path.display()
        ))
    })?;
    if let Some(real) = servers.iter().find(|s| !is_simulated(s)) {
        return Err(Failure::usage(format!(
            "{} holds data synced from {real}: the demo only replaces its own stores; pass another --db",
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

/// The servers of every site in the store at `path`, read without writing.
async fn servers_in(path: &Path) -> Result<Vec<String>, String> {
    if std::fs::metadata(path).map(|m| m.len()).unwrap_or(1) == 0 {
        return Ok(Vec::new());
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|_| "is not a SQLite database".to_owned())?;
    let servers: Result<Vec<String>, _> = sqlx::query_scalar("SELECT server FROM sites")
        .fetch_all(&mut conn)
        .await;
    let _ = conn.close().await;
    servers.map_err(|_| "is not a tabgov store".to_owned())
}

/// A simulator the demo started: plain HTTP on the loopback interface.
fn is_simulated(server: &str) -> bool {
    ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
        .iter()
        .any(|p| server.starts_with(p))
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
        assert_eq!(demo_url(None), "sqlite://tabgov-demo.db");
        assert_eq!(demo_url(Some("x/demo.db")), "sqlite://x/demo.db");
        assert_eq!(demo_url(Some("sqlite:///tmp/d.db")), "sqlite:///tmp/d.db");
    }

    #[test]
    fn only_loopback_http_counts_as_simulated() {
        assert!(is_simulated("http://127.0.0.1:8800"));
        assert!(!is_simulated("https://tableau.example.com"));
        assert!(!is_simulated("http://127.0.0.1.example.com"));
    }

    #[tokio::test]
    async fn a_real_store_is_never_replaced_and_other_files_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.db");
        let url = format!("sqlite://{}", real.display());
        let store = tabgov_state::Store::open(&url).await.unwrap();
        tabgov_state::upsert_site(store.pool(), "https://tableau.example.com", "", None)
            .await
            .unwrap();
        store.close().await;
        let err = replace_demo_store(&url).await.unwrap_err();
        assert_eq!(err.code, 2);
        assert!(
            err.message.contains("https://tableau.example.com"),
            "{}",
            err.message
        );
        assert!(real.exists());

        let text = dir.path().join("notes.db");
        std::fs::write(&text, "not a database at all, but some precious notes").unwrap();
        let err = replace_demo_store(&format!("sqlite://{}", text.display()))
            .await
            .unwrap_err();
        assert!(
            err.message.contains("not a SQLite database")
                || err.message.contains("not a tabgov store"),
            "{}",
            err.message
        );
        assert!(text.exists());

        let demo = dir.path().join("demo.db");
        let url = format!("sqlite://{}", demo.display());
        let store = tabgov_state::Store::open(&url).await.unwrap();
        tabgov_state::upsert_site(store.pool(), "http://127.0.0.1:4000", "", None)
            .await
            .unwrap();
        store.close().await;
        assert_eq!(replace_demo_store(&url).await.unwrap(), Some(demo.clone()));
        assert!(!demo.exists());
        assert_eq!(replace_demo_store(&url).await.unwrap(), None);
    }
}
