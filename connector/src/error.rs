//! The one error type of the connector library. Tableau's own error code is
//! kept typed, so the command line can turn the common ones into a sentence
//! that names the fix.

use std::fmt;

use crate::ExitCode;

pub use crate::error_code::ErrorCode;

/// An error answer from Tableau, as its body described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableauError {
    /// HTTP status.
    pub status: u16,
    /// Tableau's code; when the body carried none, the HTTP status followed
    /// by `000` (Tableau's own convention).
    pub code: ErrorCode,
    pub summary: String,
    pub detail: String,
}

impl TableauError {
    /// Whether Tableau's code is `code`.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code
    }
}

impl fmt::Display for TableauError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tableau error {} (HTTP {})", self.code, self.status)?;
        if !self.summary.is_empty() {
            write!(f, ": {}", self.summary)?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// Everything the connector library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Tableau answered with an error body.
    #[error("{0}")]
    Tableau(TableauError),

    /// A response body that is not what Tableau sends (truncated, malformed,
    /// or missing a required attribute at `path`).
    #[error("cannot read Tableau's response at {path}: {message}")]
    Decode { path: String, message: String },

    /// No TCP connection (refused, DNS, unreachable network). The message
    /// shown is the innermost cause ("Connection refused"); the whole
    /// chain stays reachable through `source()`.
    #[error("cannot reach the Tableau server at {url}: {}", root_cause(.source))]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    /// The TLS handshake failed (certificate not trusted, name mismatch, a
    /// server that does not speak TLS), as told by a rustls error in the
    /// source chain.
    #[error("TLS with {url} failed: {}", root_cause(.source))]
    Tls {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    /// A request took longer than the configured timeout, on every attempt.
    #[error("{method} {path} timed out after {attempts} attempt(s)")]
    Timeout {
        method: String,
        path: String,
        attempts: u32,
    },

    /// Other HTTP-level failures (connection reset mid-body, protocol errors).
    #[error("{method} {path} failed after {attempts} attempt(s): {}", root_cause(.source))]
    Http {
        method: String,
        path: String,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },

    /// A file tabgov was pointed at (a secret file, a CA bundle) cannot be
    /// read; `what` names it and where it came from.
    #[error("cannot read {what}: {source}")]
    UnreadableFile {
        what: String,
        #[source]
        source: std::io::Error,
    },

    /// A listing whose pages did not add up to what Tableau announced.
    #[error("the listing of {what} is incomplete: Tableau announced {expected} items, {received} arrived")]
    IncompleteListing {
        what: String,
        expected: u64,
        received: u64,
    },

    /// A listing whose total moved between pages: the site changed while it
    /// was read, so the pages may overlap or miss items.
    #[error("the {what} changed while being listed (Tableau announced {first}, then {later}); run again")]
    ListingChanged {
        what: String,
        first: u64,
        later: u64,
    },

    /// A broken internal invariant: a bug in tabgov, not a user error.
    #[error("internal error: {0}; please report it")]
    Internal(String),

    /// The session was ended by someone else (another sign-in with the same
    /// PAT) right after a fresh sign-in.
    #[error("the session was ended again right after signing in: another client is using the same personal access token ({name}); give each client its own token")]
    SessionStolen { name: String },

    /// The configuration or a flag is unusable.
    #[error("{0}")]
    Config(String),

    /// The store failed.
    #[error(transparent)]
    Store(#[from] tabgov_state::Error),

    /// A sync refused by the mass-removal guard: more of the site's active
    /// accounts would vanish at once than `--max-removal-percent` allows,
    /// which is far likelier a partial listing or a wrong site than real
    /// leavers. Nothing was changed.
    #[error("sync refused: {0}; nothing was changed. If the removals are real, rerun with --allow-mass-removal (or raise --max-removal-percent)")]
    MassRemovalRefused(tabgov_mapping::MassRemoval),

    /// An action batch larger than `--max-actions` without `--yes`: a
    /// mistaken file or filter must not suspend or remove half a site.
    /// Nothing was changed.
    #[error("{0}")]
    BatchNotConfirmed(tabgov_mapping::BatchTooLarge),

    /// Provisioning: Tableau already has a user or group of that name
    /// (Tableau's 409, or found before asking). Nothing was added: a
    /// uniqueness conflict for the caller.
    #[error("{what} already exists on the site")]
    AlreadyExists { what: String },

    /// Provisioning: the user or group named is not on the site.
    #[error("{what} is not on the site")]
    NotFound { what: String },

    /// Provisioning: a safety rule refused the change (the account tabgov
    /// signs in with, the last site administrator, "All Users"). Nothing
    /// was changed.
    #[error("{0}")]
    Refused(String),

    /// Provisioning: the group is synchronised from a directory, so it is
    /// managed there; tabgov deletes local groups only. Nothing was changed.
    #[error(
        "refused: group '{name}' is synchronised from the directory '{domain}'; delete it there"
    )]
    DirectoryGroup { name: String, domain: String },

    /// Provisioning in a dry run: what would be done. Nothing was changed.
    #[error("dry run: {0}")]
    Planned(String),

    /// Provisioning: Tableau accepted the call but does not show the
    /// change, or showed only part of it; the journal entry says which.
    #[error("{0}")]
    NotDone(String),
}

impl Error {
    /// Tableau's error, if this is one.
    pub fn tableau(&self) -> Option<&TableauError> {
        match self {
            Error::Tableau(e) => Some(e),
            _ => None,
        }
    }

    /// Whether Tableau answered with `code`.
    pub fn is_tableau(&self, code: ErrorCode) -> bool {
        self.tableau().is_some_and(|e| e.is(code))
    }

    /// The exit code this error ends a command with: the one place that
    /// decides it for library errors (the command line only adds the
    /// sentence). A bad flag, config or file is usage; a safety rule's
    /// refusal is refused; everything else failed at run time.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Config(_) | Error::UnreadableFile { .. } => ExitCode::Usage,
            Error::MassRemovalRefused(_)
            | Error::BatchNotConfirmed(_)
            | Error::AlreadyExists { .. }
            | Error::Refused(_)
            | Error::DirectoryGroup { .. } => ExitCode::Refused,
            Error::Planned(_) => ExitCode::Success,
            Error::Tableau(_)
            | Error::Decode { .. }
            | Error::Unreachable { .. }
            | Error::Tls { .. }
            | Error::Timeout { .. }
            | Error::Http { .. }
            | Error::IncompleteListing { .. }
            | Error::ListingChanged { .. }
            | Error::Internal(_)
            | Error::SessionStolen { .. }
            | Error::Store(_)
            | Error::NotFound { .. }
            | Error::NotDone(_) => ExitCode::Runtime,
        }
    }

    /// A decoding error at `path`.
    pub fn decode(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Decode {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The innermost message of `e`'s source chain, the useful one for a
/// network failure ("Connection refused", "invalid peer certificate:
/// UnknownIssuer"); `e`'s own message when it has no source.
pub fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

/// The connector's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
