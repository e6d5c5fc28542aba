//! How a command ends badly: one sentence that names the fix, Tableau's
//! code kept, and the exit code of the contract (1 runtime, 2 usage or
//! config, 3 refused by a safety rule).

use tabgov::{Error, ErrorCode, TableauError};

/// A command's failure: its exit code and the one sentence to print.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Exit 1: Tableau or the store failed.
    pub fn runtime(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }

    /// Exit 2: a bad flag, config or input file.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// Exit 3: refused by a safety rule.
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure {
            code: 3,
            message: message.into(),
        }
    }

    /// Explains a library error met while working on `site` of `server`.
    pub fn from_error(e: Error, server: &str, site: &str) -> Failure {
        let site_shown = if site.is_empty() {
            "the default site".to_owned()
        } else {
            format!("site '{site}'")
        };
        match e {
            Error::Tableau(t) => Failure::runtime(explain_tableau(&t, server, &site_shown)),
            Error::Unreachable { url, message } => Failure::runtime(format!(
                "cannot reach the Tableau server at {url} ({message}): check --server, the network and any HTTPS_PROXY setting"
            )),
            Error::Tls { url, message } => Failure::runtime(format!(
                "TLS with {url} failed ({message}): if the server's certificate comes from a private CA, pass its PEM file with --ca-cert"
            )),
            Error::Timeout { method, path, attempts } => Failure::runtime(format!(
                "{method} {path} timed out {attempts} time(s): the server is slow or unreachable; raise --timeout-secs or try later"
            )),
            Error::Config(message) => Failure::usage(message),
            Error::Store(tabgov_state::Error::SyncInProgress { holder, .. }) => Failure::runtime(format!(
                "another tabgov sync or action on {site_shown} on {server} is already running{}: wait for it to finish, then run again",
                holder.map(|h| format!(" (process {h})")).unwrap_or_default()
            )),
            Error::Store(tabgov_state::Error::SiteBusy { holder, waited_secs, .. }) => Failure::runtime(format!(
                "{site_shown} on {server} stayed busy with another tabgov sync or action{} for {waited_secs} s; nothing was changed: run again when it has finished, or raise --lock-wait-secs",
                holder.map(|h| format!(" (process {h})")).unwrap_or_default()
            )),
            Error::Refused(message) => Failure::refused(message),
            other => Failure::runtime(other.to_string()),
        }
    }
}

/// The common Tableau errors, each as one sentence with the fix.
fn explain_tableau(t: &TableauError, server: &str, site: &str) -> String {
    let code = t.code.as_str();
    let fix = match code {
        ErrorCode::SIGN_IN_FAILED => sign_in_fix(&t.detail),
        ErrorCode::SESSION_INVALID => "the session or the connected app's scopes do not allow this call; check the connected app's scopes, or sign in again".to_owned(),
        ErrorCode::SITE_NOT_FOUND => format!(
            "{site} does not exist on {server}: check --site (the content URL in the site's address, \"\" for the default site)"
        ),
        ErrorCode::USER_NOT_FOUND => "the user is not on the site: check the id, name or email".to_owned(),
        ErrorCode::RATE_LIMITED => "Tableau kept rate-limiting after every retry: lower --max-rps or --concurrency, or run later".to_owned(),
        c if c.starts_with("403") => "the account is not allowed to do this: sign in as a site administrator (Site Administrator Creator or Explorer)".to_owned(),
        c if c.starts_with("5") => "the server failed after every retry: try again later, or check the server's health".to_owned(),
        _ => String::new(),
    };
    if fix.is_empty() {
        t.to_string()
    } else {
        format!("{fix} ({t})")
    }
}

/// A failed sign-in, with the connected-app sub-code read from the detail.
fn sign_in_fix(detail: &str) -> String {
    let sub = ["10084", "10085", "10096", "16"]
        .into_iter()
        .find(|c| detail.contains(&format!("code {c}")) || detail.contains(&format!("code: {c}")));
    match sub {
        Some("16") => "sign-in failed: the connected app's --jwt-username is not a user of the site".to_owned(),
        Some("10084") => "sign-in failed: Tableau could not verify the JWT; check TABGOV_JWT_SECRET matches --jwt-secret-id and the server clock".to_owned(),
        Some("10085") => "sign-in failed: no connected-app secret matches --jwt-client-id and --jwt-secret-id; check both on the connected app".to_owned(),
        Some("10096") => "sign-in failed: the JWT expires too far ahead; check this machine's clock".to_owned(),
        _ => "sign-in failed: the credential is wrong, expired or revoked, or the site does not exist; check the token name and TABGOV_PAT_SECRET (or the password) and --site, or create a new personal access token".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tableau(status: u16, code: &str, detail: &str) -> Error {
        Error::Tableau(TableauError {
            status,
            code: ErrorCode(code.into()),
            summary: "Summary".into(),
            detail: detail.into(),
        })
    }

    #[test]
    fn common_errors_name_their_fix_and_keep_the_code() {
        let cases = [
            (
                tableau(401, "401001", "bad token"),
                1,
                "TABGOV_PAT_SECRET",
                "401001",
            ),
            (
                tableau(401, "401001", "connected app error code 10085: no"),
                1,
                "--jwt-secret-id",
                "401001",
            ),
            (
                tableau(401, "401001", "connected app error code 16: user"),
                1,
                "--jwt-username",
                "401001",
            ),
            (
                tableau(401, "401001", "connected app error code 10096: exp"),
                1,
                "clock",
                "401001",
            ),
            (
                tableau(404, "404000", "Site 'x' not found"),
                1,
                "check --site",
                "404000",
            ),
            (
                tableau(403, "403004", "nope"),
                1,
                "site administrator",
                "403004",
            ),
            (
                tableau(429, "429000", "slow down"),
                1,
                "--max-rps",
                "429000",
            ),
        ];
        for (error, code, fix, kept) in cases {
            let f = Failure::from_error(error, "https://t", "finance");
            assert_eq!(f.code, code);
            assert!(f.message.contains(fix), "{}", f.message);
            assert!(f.message.contains(kept), "{}", f.message);
        }
    }

    #[test]
    fn exit_codes_follow_the_contract() {
        assert_eq!(
            Failure::from_error(Error::Config("x".into()), "s", "").code,
            2
        );
        assert_eq!(
            Failure::from_error(Error::Refused("x".into()), "s", "").code,
            3
        );
        let unreachable = Error::Unreachable {
            url: "http://127.0.0.1:9".into(),
            message: "Connection refused".into(),
        };
        let f = Failure::from_error(unreachable, "s", "");
        assert_eq!(f.code, 1);
        assert!(f.message.contains("check --server"));
    }
}
