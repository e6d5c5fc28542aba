//! How a command ends badly: one sentence that names the fix, Tableau's
//! code kept, and the exit code of the contract, which is decided by
//! [`tabgov::ExitCode`] and [`Error::exit_code`], not here.

use tabgov::api::connected_app_error::ConnectedAppRefusal;
use tabgov::error::root_cause;
use tabgov::{Error, ErrorCode, ExitCode, TableauError};

/// A command's failure: its exit code and the one sentence to print.
#[derive(Debug)]
pub struct Failure {
    pub code: ExitCode,
    pub message: String,
}

impl Failure {
    /// A failure ending with `code`.
    pub fn new(code: ExitCode, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// Tableau or the store failed ([`ExitCode::Runtime`]).
    pub fn runtime(message: impl Into<String>) -> Failure {
        Failure::new(ExitCode::Runtime, message)
    }

    /// A bad flag, config or input file ([`ExitCode::Usage`]).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(ExitCode::Usage, message)
    }

    /// Refused by a safety rule ([`ExitCode::Refused`]).
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure::new(ExitCode::Refused, message)
    }

    /// Explains a library error met while working on `site` of `server`.
    pub fn from_error(e: Error, server: &str, site: &str) -> Failure {
        Failure::explain(e, server, site, false)
    }

    /// Like [`Failure::from_error`] for signing in; `jwt` when the
    /// credential is a connected app, whose sub-codes (in Tableau's
    /// message) name the fix. Other credentials never read them.
    pub fn from_sign_in_error(e: Error, server: &str, site: &str, jwt: bool) -> Failure {
        Failure::explain(e, server, site, jwt)
    }

    /// The exit code is the error's own ([`Error::exit_code`]); this only
    /// words the sentence.
    fn explain(e: Error, server: &str, site: &str, jwt: bool) -> Failure {
        let code = e.exit_code();
        Failure::new(code, sentence(e, server, site, jwt))
    }
}

/// The one sentence naming the fix for `e`.
fn sentence(e: Error, server: &str, site: &str, jwt: bool) -> String {
    let site_shown = if site.is_empty() {
        "the default site".to_owned()
    } else {
        format!("site '{site}'")
    };
    match e {
        Error::Tableau(t) => explain_tableau(&t, server, &site_shown, jwt),
        Error::Unreachable { url, source } => format!(
            "cannot reach the Tableau server at {url} ({}): check --server, the network and any HTTPS_PROXY setting",
            root_cause(&source)
        ),
        Error::Tls { url, source } => format!(
            "TLS with {url} failed ({}): if the server's certificate comes from a private CA, pass its PEM file with --ca-cert",
            root_cause(&source)
        ),
        Error::Timeout { method, path, attempts } => format!(
            "{method} {path} timed out {attempts} time(s): the server is slow or unreachable; raise --timeout-secs or try later"
        ),
        Error::Config(message) => message,
        Error::Store(tabgov_state::Error::SiteInUse { holder, .. }) => format!(
            "another tabgov sync or action on {site_shown} on {server} is already running{}: wait for it to finish, then run again",
            holder.map(|h| format!(" (process {h})")).unwrap_or_default()
        ),
        Error::Store(tabgov_state::Error::SiteBusy { holder, waited_secs, .. }) => format!(
            "{site_shown} on {server} stayed busy with another tabgov sync or action{} for {waited_secs} s; nothing was changed: run again when it has finished, or raise --lock-wait-secs",
            holder.map(|h| format!(" (process {h})")).unwrap_or_default()
        ),
        other => other.to_string(),
    }
}

/// The common Tableau errors, each as one sentence with the fix.
fn explain_tableau(t: &TableauError, server: &str, site: &str, jwt: bool) -> String {
    let fix = match &t.code {
        ErrorCode::SignInFailed => sign_in_fix(t, jwt),
        ErrorCode::SessionInvalid => "the session or the connected app's scopes do not allow this call; check the connected app's scopes, or sign in again".to_owned(),
        ErrorCode::SiteNotFound => format!(
            "{site} does not exist on {server}: check --site (the content URL in the site's address, \"\" for the default site)"
        ),
        ErrorCode::UserNotFound => "the user is not on the site: check the id, name or email".to_owned(),
        ErrorCode::RateLimited => "Tableau kept rate-limiting after every retry: lower --max-rps or --concurrency, or run later".to_owned(),
        c if c.http_status() == Some(403) => "the account is not allowed to do this: sign in as a site administrator (Site Administrator Creator or Explorer)".to_owned(),
        c if c.http_status().is_some_and(|s| (500..600).contains(&s)) => "the server failed after every retry: try again later, or check the server's health".to_owned(),
        _ => String::new(),
    };
    if fix.is_empty() {
        t.to_string()
    } else {
        format!("{fix} ({t})")
    }
}

/// A failed sign-in: for a connected app, the fix its sub-code names when
/// Tableau gave one, else what to check for each kind of credential.
fn sign_in_fix(t: &TableauError, jwt: bool) -> String {
    let refusal = jwt.then(|| ConnectedAppRefusal::from_error(t)).flatten();
    let Some(refusal) = refusal else {
        return "sign-in failed: the credential is wrong, expired or revoked, or the site does not exist; check the token name and TABGOV_PAT_SECRET (or the password) and --site, or create a new personal access token (for a connected app: that it is enabled, --jwt-client-id, --jwt-secret-id, TABGOV_JWT_SECRET and --jwt-username)".to_owned();
    };
    let fix = match refusal {
        ConnectedAppRefusal::UserNotFound => "the connected app's --jwt-username is not a user of the site; give the user's name exactly (it is case-sensitive; on Tableau Cloud it is the email)",
        ConnectedAppRefusal::LoginFailed => "Tableau refused the JWT's claims; check this machine's clock (the JWT may be valid at most 10 minutes ahead) and --jwt-username",
        ConnectedAppRefusal::BadJwtHeader => "the JWT header lacks the secret id (kid) or the client id (iss); give --jwt-secret-id and --jwt-client-id",
        ConnectedAppRefusal::JwtParseError => "Tableau could not read the JWT (audience, subject or time); check that this machine's clock agrees with the server's",
        ConnectedAppRefusal::AppNotFound => "no connected app has the client id given with --jwt-client-id; copy the client id from the connected app's page",
        ConnectedAppRefusal::AppDisabled => "the connected app is disabled; enable it in Tableau's connected apps settings",
        ConnectedAppRefusal::SecretNotFound => "no secret of the connected app matches --jwt-secret-id and TABGOV_JWT_SECRET; copy the secret id and value from the connected app (or generate a new secret)",
    };
    format!("sign-in failed: {fix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tableau(status: u16, code: &str, detail: &str) -> Error {
        Error::Tableau(TableauError {
            status,
            code: ErrorCode::parse(code),
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
                tableau(
                    401,
                    "401001",
                    "connected app error code 5 (SYSTEM_USER_NOT_FOUND): x",
                ),
                1,
                "--jwt-username is not a user",
                "401001",
            ),
            (
                tableau(
                    401,
                    "401001",
                    "connected app error code 16 (LOGIN_FAILED): exp",
                ),
                1,
                "10 minutes ahead",
                "401001",
            ),
            (
                tableau(401, "401001", "connected app error code 10083 (BAD_JWT): x"),
                1,
                "lacks the secret id (kid) or the client id (iss)",
                "401001",
            ),
            (
                tableau(401, "401001", "connected app error code 10084: aud"),
                1,
                "could not read the JWT",
                "401001",
            ),
            (
                tableau(401, "401001", "connected app error code 10089: x"),
                1,
                "no connected app has the client id",
                "401001",
            ),
            (
                tableau(401, "401001", "Error code: 126"),
                1,
                "no connected app has the client id",
                "401001",
            ),
            (
                tableau(
                    401,
                    "401001",
                    "connected app error code 10090 (CONNECTED_APP_DISABLED)",
                ),
                1,
                "the connected app is disabled",
                "401001",
            ),
            (
                tableau(401, "401001", "connected app error code 127: x"),
                1,
                "no secret of the connected app matches --jwt-secret-id and TABGOV_JWT_SECRET",
                "401001",
            ),
            (
                tableau(401, "401001", "Error signing in to Tableau Server"),
                1,
                "--jwt-client-id",
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
            let f = Failure::from_sign_in_error(error, "https://t", "finance", true);
            assert_eq!(f.code.code(), code);
            assert!(f.message.contains(fix), "{}", f.message);
            assert!(f.message.contains(kept), "{}", f.message);
        }
    }

    #[test]
    fn connected_app_sub_codes_are_read_only_for_a_jwt_sign_in() {
        let detail = "Error code 5 (SYSTEM_USER_NOT_FOUND)";
        for f in [
            Failure::from_error(tableau(401, "401001", detail), "https://t", "finance"),
            Failure::from_sign_in_error(tableau(401, "401001", detail), "https://t", "", false),
        ] {
            assert!(f.message.contains("TABGOV_PAT_SECRET"), "{}", f.message);
            assert!(!f.message.contains("is not a user"), "{}", f.message);
            assert!(f.message.contains("401001"), "{}", f.message);
        }
    }

    #[tokio::test]
    async fn exit_codes_follow_the_contract() {
        assert_eq!(
            Failure::from_error(Error::Config("x".into()), "s", "").code,
            ExitCode::Usage
        );
        let unreadable = Error::UnreadableFile {
            what: "the PAT secret from /nowhere".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(
            Failure::from_error(unreadable, "s", "").code,
            ExitCode::Usage
        );
        assert_eq!(
            Failure::from_error(
                Error::BatchNotConfirmed(tabgov_mapping::BatchTooLarge {
                    changes: 60,
                    max_actions: 50
                }),
                "s",
                ""
            )
            .code,
            ExitCode::Refused
        );
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let unreachable = Error::Unreachable {
            source: reqwest::get(&url).await.unwrap_err(),
            url,
        };
        let f = Failure::from_error(unreachable, "s", "");
        assert_eq!(f.code, ExitCode::Runtime);
        assert!(f.message.contains("check --server"), "{}", f.message);
        assert!(f.message.contains("refused"), "{}", f.message);
    }
}
