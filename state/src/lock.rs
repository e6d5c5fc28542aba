//! One sync or action per site at a time, even across processes: a sync
//! that listed while an action changed an account would write the old
//! state back over the action.

use std::collections::BTreeSet;
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use crate::store::Location;
use crate::{Error, Result, SiteKey, Store};

/// In-memory stores held by this process: (database name, site).
static HELD: Mutex<BTreeSet<(String, SiteKey)>> = Mutex::new(BTreeSet::new());

/// Proof that this process is the only one syncing or acting on a site;
/// released on drop.
///
/// On PostgreSQL it is a session advisory lock, held by a connection of
/// its own: it holds across machines, and the server drops it when that
/// connection ends, a killed holder's included (see `advisory_lock.rs`).
///
/// For a database file the lock is an OS file lock on
/// `<db>.sync-<site>.lock` next to it (the name predates actions taking
/// it; kept so a running older tabgov and this one share it). The operating system drops the lock
/// when the holder exits for any reason, SIGKILL included, so a killed sync
/// never blocks the next one. The file itself stays (deleting a lock file
/// races with a new holder) and holds the last holder's process id.
#[derive(Debug)]
pub struct HeldSiteLock {
    site: SiteKey,
    held: Held,
}

#[derive(Debug)]
enum Held {
    /// Kept open only for its lock: closing the file releases it.
    File {
        _file: File,
    },
    Memory(String),
    /// Held by this connection's session: closing it releases the lock.
    Advisory {
        _conn: sqlx::PgConnection,
    },
}

impl HeldSiteLock {
    /// Takes the lock for `site` or fails at once with
    /// [`Error::SiteInUse`]; it never waits (callers that wait poll it).
    pub async fn acquire(store: &Store, site: SiteKey) -> Result<HeldSiteLock> {
        let held = match &store.location {
            Location::Postgres(options) => Held::Advisory {
                _conn: crate::advisory_lock::try_lock(&options.0, site).await?,
            },
            Location::File(db) => Held::File {
                _file: lock_file(db, site)?,
            },
            Location::Memory(name) => {
                let key = (name.clone(), site);
                let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
                if !held.insert(key) {
                    return Err(Error::SiteInUse { site, holder: None });
                }
                Held::Memory(name.clone())
            }
        };
        Ok(HeldSiteLock { site, held })
    }

    /// The site this lock is for.
    pub fn site(&self) -> SiteKey {
        self.site
    }
}

impl Drop for HeldSiteLock {
    fn drop(&mut self) {
        // A file lock is released when the File closes.
        if let Held::Memory(name) = &self.held {
            let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
            held.remove(&(name.clone(), self.site));
        }
    }
}

fn lock_path(db: &std::path::Path, site: SiteKey) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(format!(".sync-{site}.lock"));
    PathBuf::from(name)
}

fn lock_file(db: &std::path::Path, site: SiteKey) -> Result<File> {
    let path = lock_path(db, site);
    let io = |source| Error::Lock {
        path: path.clone(),
        source,
    };
    let mut file = crate::private_file::open_beside(db, &path).map_err(io)?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0).map_err(io)?;
            file.seek(SeekFrom::Start(0)).map_err(io)?;
            write!(file, "{}", std::process::id()).map_err(io)?;
            file.flush().map_err(io)?;
            Ok(file)
        }
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let holder = file
                .read_to_string(&mut holder)
                .ok()
                .map(|_| holder.trim().to_owned())
                .filter(|h| !h.is_empty());
            Err(Error::SiteInUse { site, holder })
        }
        Err(TryLockError::Error(e)) => Err(io(e)),
    }
}
