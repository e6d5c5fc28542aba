//! Opening a SQLite store: connection options, the owner-only file, the
//! lock that serialises creating it; for readers, also a store that cannot
//! be written.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::backend::{sqlite::sql, Pool};
use crate::private_file::{is_read_only, open_beside, private_options};
use crate::schema::SchemaState;
use crate::store::Location;
use crate::{Error, Result, Store};

/// How long a statement waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if missing) and migrates the SQLite store at `url`:
/// `sqlite://path` for a file, `sqlite::memory:` for a throw-away store.
///
/// Files use WAL (readers never block the one writer), foreign keys on,
/// and a 5 s busy timeout so a short concurrent write waits instead of
/// failing. Opening twice is harmless: applied migrations are skipped.
pub(crate) async fn open(url: &str, demo: bool) -> Result<Store> {
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
        let read_only = |needs_upgrade| Error::ReadOnly {
            path: path.clone(),
            needs_upgrade,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(Error::NoDirectory {
                    dir: dir.to_path_buf(),
                });
            }
        }
        // Held until the migrations ran: two processes creating the same
        // new store at once would otherwise race on switching it to WAL
        // ("database is locked") and on the first migration.
        let opening = lock_opening(&path).await.map_err(|e| match e {
            Error::Lock { source, .. } if is_read_only(&source) => read_only(false),
            other => other,
        })?;
        create_private(&path).map_err(|e| {
            if is_read_only(&e) {
                read_only(false)
            } else {
                Error::CreateFile {
                    path: path.clone(),
                    source: e,
                }
            }
        })?;
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            // The statement journal of each multi-row write in memory,
            // not in a temporary file written and read back.
            .pragma("temp_store", "MEMORY");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| read_only_or(e, &path))?;
        (pool, Location::File(path), Some(opening))
    };
    let opened = Store::prepare(Pool::Sqlite(pool), location, url, demo).await;
    drop(_opening);
    opened
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
    let db = db.to_path_buf();
    std::thread::spawn(move || {
        let locked = open_beside(&db, &target).and_then(|file| file.lock().map(|()| file));
        let _ = sender.send(locked);
    });
    let locked = locked
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("the locking thread stopped")));
    locked.map_err(|source| Error::Lock { path, source })
}

/// SQLite's own word that the file or its directory cannot be written
/// (SQLITE_READONLY, or SQLITE_CANTOPEN for the -wal and -shm files next
/// to a file that exists) as [`Error::ReadOnly`]; anything else as it is.
pub(crate) fn read_only_or(e: sqlx::Error, path: &Path) -> Error {
    let primary = match &e {
        sqlx::Error::Database(d) => d
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .map(|c| c & 0xff),
        _ => None,
    };
    match primary {
        Some(8) | Some(14) if path.exists() => Error::ReadOnly {
            path: path.to_path_buf(),
            needs_upgrade: false,
        },
        _ => e.into(),
    }
}

/// Creates the database file, owner-only, before SQLite does (SQLite gives
/// its -wal and -shm files the database file's mode). An existing file is
/// left as it is, but must be writable.
fn create_private(path: &Path) -> std::io::Result<()> {
    match private_options().write(true).create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            OpenOptions::new().write(true).open(path).map(drop)
        }
        Err(e) => Err(e),
    }
}

/// A store that cannot be written, opened read-only. In a read-only
/// directory SQLite cannot create the WAL index a WAL database needs, so
/// the file is then read as immutable, but only when there is no
/// write-ahead log with changes in it: another user allowed to write there
/// may be writing it, and an immutable read would miss or tear them.
pub(crate) async fn open_read_only(url: &str, path: PathBuf) -> Result<Store> {
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .read_only(true)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let pool = match readable_pool(options.clone()).await {
        Ok(pool) => pool,
        Err(e) => {
            let mut wal = path.as_os_str().to_owned();
            wal.push("-wal");
            match std::fs::metadata(PathBuf::from(wal)) {
                Ok(m) if m.len() > 0 => return Err(Error::WalInReadOnlyDirectory { path }),
                Ok(_) => readable_pool(options.immutable(true)).await?,
                Err(n) if n.kind() == std::io::ErrorKind::NotFound => {
                    readable_pool(options.immutable(true)).await?
                }
                Err(_) => return Err(e),
            }
        }
    };
    let state = match sql::schema::refuse_newer(&pool, url).await {
        Ok(state) => state,
        Err(e) => {
            pool.close().await;
            return Err(e);
        }
    };
    if state != (SchemaState::Known { pending: false }) {
        pool.close().await;
        return Err(Error::ReadOnly {
            path,
            needs_upgrade: true,
        });
    }
    Ok(Store {
        pool: Pool::Sqlite(pool),
        location: Location::File(path),
    })
}

/// A pool on `options` that has read the schema once (a WAL database that
/// cannot be opened fails only on its first read).
async fn readable_pool(options: SqliteConnectOptions) -> Result<SqlitePool> {
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await?;
    match sqlx::query("SELECT count(*) FROM sqlite_master")
        .fetch_one(&pool)
        .await
    {
        Ok(_) => Ok(pool),
        Err(e) => {
            pool.close().await;
            Err(e.into())
        }
    }
}

/// The database file a SQLite store URL names; `None` for an in-memory
/// store. A PostgreSQL URL, which names no file, is an error.
pub fn sqlite_file(url: &str) -> Result<Option<PathBuf>> {
    let not_a_file = |reason: String| Error::BadStoreUrl {
        url: crate::redact::redacted(url),
        reason,
    };
    if crate::store::EngineKind::of(url) == crate::store::EngineKind::Postgres {
        return Err(not_a_file("a PostgreSQL store is no file".to_owned()));
    }
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(None);
    }
    let options = SqliteConnectOptions::from_str(url).map_err(|e| not_a_file(e.to_string()))?;
    Ok(Some(options.get_filename().to_path_buf()))
}
