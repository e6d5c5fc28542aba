//! The one error type of the store.

use std::path::PathBuf;

use crate::{JobId, JournalId, RunId};
use crate::{JobState, JournalState, RunStatus, SiteKey};

/// Everything the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database refused or failed a statement.
    #[error("store error: {0}")]
    Database(#[from] sqlx::Error),

    /// The embedded migrations could not be applied (e.g. a newer tabgov
    /// already migrated this database).
    #[error("store migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    /// The store URL could not be read.
    #[error("the store URL {url} is not valid ({reason}): give --db as sqlite://FILE or postgres://USER@HOST/DATABASE")]
    BadStoreUrl { url: String, reason: String },

    /// `tabgov store copy` writes only into a store that holds nothing yet.
    #[error("the target store already holds {sites} sites and {journal} journal entries: copy into a new, empty database; nothing was copied")]
    CopyTargetNotEmpty { sites: u64, journal: u64 },

    /// The PostgreSQL server did not accept a connection.
    #[error("cannot connect to the store {url} ({reason}): check that the server runs, the URL in --db or TABGOV_DB, and the password in PGPASSWORD or ~/.pgpass")]
    Unreachable { url: String, reason: String },

    /// The PostgreSQL server is older than the store's schema needs.
    #[error("the store {url} runs PostgreSQL {version} (server_version_num); tabgov needs PostgreSQL 15 or later: upgrade the server or use another")]
    PostgresTooOld { url: String, version: String },

    /// Another sync or action on the same site holds the lock; a sync
    /// listing while an action changes accounts would undo the action.
    #[error(
        "another tabgov sync or action on site {site} is already running{}; wait for it to finish",
        holder.as_deref().map(|h| format!(" (process {h})")).unwrap_or_default()
    )]
    SiteInUse {
        site: SiteKey,
        /// The holder's process id, when it could be read from the lock file.
        holder: Option<String>,
    },

    /// The store holds a migration this build does not know: a newer
    /// tabgov wrote it. Nothing was changed.
    #[error(
        "the store {location} was written by a newer tabgov (store version {version}; this tabgov knows up to {known}): upgrade tabgov to use it; the store was left unchanged"
    )]
    NewerStore {
        location: String,
        version: i64,
        known: i64,
    },

    /// The store file or its directory cannot be written, and the command
    /// writes (or the store needs its migrations applied first).
    #[error(
        "the store {} cannot be written (the file or its directory is read-only){}",
        path.display(),
        if *needs_upgrade {
            ", and it needs upgrading to this tabgov's format first: make it writable once and run this again"
        } else {
            ", and this command writes to it: run it where the store is writable (commands that only read, such as tabgov accounts, work as they are)"
        }
    )]
    ReadOnly { path: PathBuf, needs_upgrade: bool },

    /// The directory named for the store does not exist: a mistyped --db,
    /// which creating the store there could not fix.
    #[error("the directory {} for the store does not exist: create it or check --db", dir.display())]
    NoDirectory { dir: PathBuf },

    /// A command that only reads found no store file, in a directory where
    /// none can be created.
    #[error("no store at {}: run tabgov sync first or check --db", path.display())]
    NoStore { path: PathBuf },

    /// A read-only directory holds the store and a non-empty write-ahead
    /// log: another process may be writing it, and without the WAL index
    /// (which cannot be created there) it cannot be read consistently.
    #[error(
        "the store {} cannot be read from its read-only directory while its write-ahead log {}-wal holds changes (another tabgov may be writing it): run the command where the directory is writable, or once the writer has finished",
        path.display(),
        path.display()
    )]
    WalInReadOnlyDirectory { path: PathBuf },

    /// The demo's new store already had tables when it was created: some
    /// other process wrote the file meanwhile. It was not marked.
    #[error(
        "the demo's store {location} was written by something else while the demo created it: run the demo again"
    )]
    NotNewDemoStore { location: String },

    /// The database file could not be created (a missing directory, say).
    #[error("cannot create the store file {path}: {source}")]
    CreateFile {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The site's lock was still held after waiting `waited_secs` for it.
    #[error(
        "site {site} stayed busy with another tabgov sync or action{} for {waited_secs} s; nothing was changed: run again when it has finished",
        holder.as_deref().map(|h| format!(" (process {h})")).unwrap_or_default()
    )]
    SiteBusy {
        site: SiteKey,
        holder: Option<String>,
        waited_secs: u64,
    },

    /// A lock file next to the database could not be opened or locked.
    #[error("cannot use the lock file {path}: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },

    /// A run can only be finished or failed once, while it is `running`.
    #[error("sync run {run_id} is not running (it is {status:?})")]
    RunNotRunning {
        run_id: RunId,
        status: Option<RunStatus>,
    },

    /// `fail_run` takes `failed` or `refused`; `finish_run` records success.
    #[error("a run cannot end as {0:?} this way: use failed or refused")]
    InvalidRunEnd(RunStatus),

    /// Only an open intent can be completed, and only with a final state.
    #[error("journal entry {id} cannot move to {state:?}: it is not an open intent")]
    JournalNotOpen { id: JournalId, state: JournalState },

    /// An idempotency key came back with a different request than the one
    /// it was first used for: a client bug, or two clients sharing keys.
    #[error("the idempotency key {key:?} was already used for a different request; nothing was queued: use a new key for a new request")]
    IdempotencyKeyReused { key: String },

    /// Only a running job can be finished, and only once.
    #[error("job {id} is not running (it is {})", state.map(|s| s.as_str()).unwrap_or("unknown"))]
    JobNotRunning { id: JobId, state: Option<JobState> },

    /// A job ends as succeeded, failed or interrupted.
    #[error("a job cannot end as {0}: use succeeded, failed or interrupted")]
    InvalidJobEnd(JobState),

    /// More than one site has this content URL; name the server too.
    #[error("site {content_url:?} exists on several servers; name the server")]
    AmbiguousSite { content_url: String },

    /// A change or journal detail could not be written or read as JSON.
    #[error("store JSON error: {0}")]
    Json(#[from] serde_json::Error),

    /// A stored value could not be read back (hand-edited or corrupted store).
    #[error("stored {what} is unreadable: {value:?}")]
    Corrupt { what: &'static str, value: String },
}

impl Error {
    /// Whether SQLite's write lock was held by another connection for
    /// longer than the busy timeout ("database is locked"): trying again
    /// later can succeed.
    pub fn is_busy(&self) -> bool {
        const SQLITE_BUSY: i64 = 5;
        match self {
            Error::Database(sqlx::Error::Database(db)) => db
                .code()
                .and_then(|c| c.parse::<i64>().ok())
                // Extended codes keep the primary code in the low byte.
                .is_some_and(|c| c & 0xff == SQLITE_BUSY),
            _ => false,
        }
    }
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
