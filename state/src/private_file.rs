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
