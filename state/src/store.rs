//! Opening the store: connection options, migrations, the pool.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::{Error, Result};

/// The store used when no `--db` is given: a file in the working directory.
pub const DEFAULT_URL: &str = "sqlite://tabgov.db";

/// How long a statement waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open, migrated store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    location: Location,
}

/// Where the database lives; decides how the sync lock is taken.
#[derive(Debug, Clone)]
pub(crate) enum Location {
    /// A database file; locks are files next to it.
    File(PathBuf),
    /// An in-memory database, named uniquely per open; locks are in-process.
    Memory(String),
}

impl Store {
    /// Opens (creating if missing) and migrates the store at `url`:
    /// `sqlite://path` for a file, `sqlite::memory:` for a throw-away store.
    ///
    /// Files use WAL (readers never block the one writer), foreign keys on,
    /// and a 5 s busy timeout so a short concurrent write waits instead of
    /// failing. Opening twice is harmless: applied migrations are skipped.
    pub async fn open(url: &str) -> Result<Store> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let (pool, location, _opening) = if in_memory {
            let name = options.get_filename().display().to_string();
            // One connection that never expires: the database lives as long as it.
            let pool = SqlitePoolOptions::new()
                .min_connections(1)
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await?;
            (pool, Location::Memory(name), None)
        } else {
            let path = options.get_filename().to_path_buf();
            // Held until the migrations ran: two processes creating the same
            // new store at once would otherwise race on switching it to WAL
            // ("database is locked") and on the first migration.
            let opening = lock_opening(&path).await?;
            let options = options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                // The statement journal of each multi-row write in memory,
                // not in a temporary file written and read back.
                .pragma("temp_store", "MEMORY");
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await?;
            (pool, Location::File(path), Some(opening))
        };
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool, location })
    }

    /// The connection pool, for the read functions and for `begin()`.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub(crate) fn location(&self) -> &Location {
        &self.location
    }

    /// Closes every connection (flushing the WAL into the database file).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Waits for, and takes, the lock on `<db>.open.lock` next to the database
/// file; released when the returned file is dropped (or the process exits).
/// The wait happens on a thread of its own, never on the caller's executor,
/// whose other tasks may be the ones that hold the lock.
async fn lock_opening(db: &Path) -> Result<File> {
    let mut name = db.as_os_str().to_owned();
    name.push(".open.lock");
    let path = PathBuf::from(name);
    let (sender, locked) = futures::channel::oneshot::channel();
    let target = path.clone();
    std::thread::spawn(move || {
        let locked = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&target)
            .and_then(|file| file.lock().map(|()| file));
        let _ = sender.send(locked);
    });
    let locked = locked
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("the locking thread stopped")));
    locked.map_err(|source| Error::Lock { path, source })
}
