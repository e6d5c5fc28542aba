//! Files the store creates are readable by their owner only: the store
//! holds every account's name, email and sign-in history.

use std::fs::{File, OpenOptions};
use std::path::Path;

/// Options that create a file with mode 0600 on Unix (the umask can only
/// narrow it further).
pub(crate) fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Opens (creating if missing) the lock file `path` next to the database
/// file `db`, for reading and writing. It gets the database file's
/// permission bits when that exists, as SQLite gives its -wal and -shm
/// files: a store shared with a group on purpose (0660) stays usable by
/// the group. Next to a store not created yet it is owner-only.
pub(crate) fn open_beside(db: &Path, path: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let Ok(db_mode) = std::fs::metadata(db).map(|m| m.permissions().mode() & 0o777) else {
            return lock_options().mode(0o600).open(path);
        };
        let file = lock_options().mode(db_mode).open(path)?;
        // The umask narrows a new file's mode; an older lock file may be
        // 0600. Only its owner can change it, and another user's file that
        // opened is wide enough already.
        if file.metadata()?.permissions().mode() & 0o777 != db_mode {
            let _ = file.set_permissions(std::fs::Permissions::from_mode(db_mode));
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        let _ = db;
        lock_options().open(path)
    }
}

fn lock_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    options
}

/// Opens `path` for writing from its start, creating it owner-only (0600
/// on Unix) when missing: reports and review sheets hold the same personal
/// data as the store. An existing file keeps the mode its owner gave it.
pub fn create_private_file(path: &Path) -> std::io::Result<File> {
    private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

/// Whether an I/O error means "this place cannot be written".
pub(crate) fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}
