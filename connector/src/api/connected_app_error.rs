//! Why Tableau refused a connected app's JWT: the sub-code of Tableau's
//! connected-app troubleshooting table, read from a failed sign-in.
//!
//! Tableau answers every refused sign-in with `401001` and no structured
//! sub-code: its `<error>` element has only the `code` attribute (always
//! `401001`), a `<summary>` and a `<detail>` (see the recorded
//! `auth_sign_in_error.xml`; the JSON form has the same three fields). The
//! connected-app sub-code, when Tableau gives one, is only in the text: a
//! number after the word "code" in the detail or summary (`... error code
//! 16 ...`), or Tableau's name for it (`LOGIN_FAILED`). So it is parsed
//! here, in [`ConnectedAppRefusal::from_error`] and nowhere else, into the
//! typed sub-code; callers match on the enum, never on the text. It is read
//! token by token, so `code 16` is never mistaken for `code 160`, and the
//! six-digit `401001` itself is skipped.

use crate::{ErrorCode, TableauError};

/// A connected-app sign-in failure Tableau names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectedAppRefusal {
    /// 5 (SYSTEM_USER_NOT_FOUND): `sub` is not a user of the site.
    UserNotFound,
    /// 16 (LOGIN_FAILED): a claim was refused, typically `exp` more than
    /// ten minutes ahead, or `sub` naming an unknown user.
    LoginFailed,
    /// 10083 (BAD_JWT): the header lacks `kid` (secret id) or `iss` (client id).
    BadJwtHeader,
    /// 10084 (JWT_PARSE_ERROR): `aud` is not `tableau`, `aud` or `sub` is
    /// missing, or the clocks disagree.
    JwtParseError,
    /// 10089 or 126 (CONNECTED_APP_NOT_FOUND): no connected app has the
    /// client id.
    AppNotFound,
    /// 10090 (CONNECTED_APP_DISABLED): the connected app is disabled.
    AppDisabled,
    /// 127 (CONNECTED_APP_SECRET_NOT_FOUND) or 10085
    /// (COULD_NOT_FETCH_JWT_KEYS): no secret matches the secret id and value.
    SecretNotFound,
}

impl ConnectedAppRefusal {
    /// The refusal Tableau numbers `code`.
    pub fn from_code(code: u32) -> Option<ConnectedAppRefusal> {
        Some(match code {
            5 => ConnectedAppRefusal::UserNotFound,
            16 => ConnectedAppRefusal::LoginFailed,
            10083 => ConnectedAppRefusal::BadJwtHeader,
            10084 => ConnectedAppRefusal::JwtParseError,
            10089 | 126 => ConnectedAppRefusal::AppNotFound,
            10090 => ConnectedAppRefusal::AppDisabled,
            127 | 10085 => ConnectedAppRefusal::SecretNotFound,
            _ => return None,
        })
    }

    /// The refusal Tableau names `name` (its troubleshooting table's summary).
    pub fn from_name(name: &str) -> Option<ConnectedAppRefusal> {
        Some(match name {
            "SYSTEM_USER_NOT_FOUND" => ConnectedAppRefusal::UserNotFound,
            "LOGIN_FAILED" => ConnectedAppRefusal::LoginFailed,
            "BAD_JWT" => ConnectedAppRefusal::BadJwtHeader,
            "JWT_PARSE_ERROR" => ConnectedAppRefusal::JwtParseError,
            "CONNECTED_APP_NOT_FOUND" => ConnectedAppRefusal::AppNotFound,
            "CONNECTED_APP_DISABLED" => ConnectedAppRefusal::AppDisabled,
            "CONNECTED_APP_SECRET_NOT_FOUND" | "COULD_NOT_FETCH_JWT_KEYS" => {
                ConnectedAppRefusal::SecretNotFound
            }
            _ => return None,
        })
    }

    /// The refusal a failed sign-in (`401001`) names, if it names one.
    pub fn from_error(error: &TableauError) -> Option<ConnectedAppRefusal> {
        if !error.is(ErrorCode::SIGN_IN_FAILED) {
            return None;
        }
        from_text(&error.detail).or_else(|| from_text(&error.summary))
    }
}

/// The first sub-code in `text`: a number right after a word ending in
/// "code" (`code 16`, `code: 16`, `errorCode=16`), or a name of the table.
fn from_text(text: &str) -> Option<ConnectedAppRefusal> {
    let tokens: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect();
    tokens.iter().enumerate().find_map(|(i, token)| {
        let after_code = i > 0 && tokens[i - 1].to_ascii_lowercase().ends_with("code");
        let by_number = after_code
            .then(|| token.parse::<u32>().ok())
            .flatten()
            .and_then(ConnectedAppRefusal::from_code);
        by_number.or_else(|| ConnectedAppRefusal::from_name(token))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConnectedAppRefusal as R;

    fn sign_in_error(summary: &str, detail: &str) -> TableauError {
        TableauError {
            status: 401,
            code: ErrorCode::SIGN_IN_FAILED,
            summary: summary.into(),
            detail: detail.into(),
        }
    }

    fn read(detail: &str) -> Option<R> {
        R::from_error(&sign_in_error("Signin Error", detail))
    }

    /// One test per sub-code of Tableau's table: its number, in the form
    /// Tableau writes it, maps to its refusal.
    macro_rules! sub_code_tests {
        ($($name:ident: $code:literal => $refusal:expr;)*) => {$(
            #[test]
            fn $name() {
                let detail = format!(
                    "Error signing in to Tableau Server: connected app error code {}: x",
                    $code
                );
                assert_eq!(read(&detail), Some($refusal));
                assert_eq!(R::from_code($code), Some($refusal));
            }
        )*};
    }

    sub_code_tests! {
        sub_code_5_user_not_found: 5 => R::UserNotFound;
        sub_code_16_login_failed: 16 => R::LoginFailed;
        sub_code_10083_bad_jwt_header: 10083 => R::BadJwtHeader;
        sub_code_10084_jwt_parse_error: 10084 => R::JwtParseError;
        sub_code_10089_app_not_found: 10089 => R::AppNotFound;
        sub_code_126_app_not_found: 126 => R::AppNotFound;
        sub_code_10090_app_disabled: 10090 => R::AppDisabled;
        sub_code_127_secret_not_found: 127 => R::SecretNotFound;
        sub_code_10085_secret_not_found: 10085 => R::SecretNotFound;
    }

    #[test]
    fn the_recorded_sign_in_error_names_no_sub_code() {
        // Tableau's recorded answer: code 401001, summary and detail only.
        assert_eq!(
            R::from_error(&sign_in_error(
                "Signin Error",
                "Error signing in to Tableau Server"
            )),
            None
        );
    }

    #[test]
    fn the_code_is_read_in_the_forms_it_is_written() {
        for detail in [
            "connected app error code 16 (LOGIN_FAILED): the JWT expires 660s ahead",
            "Error code: 16",
            "errorCode=16",
            "failed (code 16)",
            "LOGIN_FAILED",
        ] {
            assert_eq!(read(detail), Some(R::LoginFailed), "{detail}");
        }
        assert_eq!(
            R::from_error(&sign_in_error("CONNECTED_APP_DISABLED", "Error signing in")),
            Some(R::AppDisabled)
        );
    }

    #[test]
    fn numbers_that_are_not_sub_codes_are_not_read_as_one() {
        for detail in [
            "Error signing in to Tableau Server",
            "connected app error code 160: x",
            "error code 401001",
            "user 16 could not sign in",
            "code 99999",
            "",
        ] {
            assert_eq!(read(detail), None, "{detail}");
        }
        // A sub-code after an unrelated number is still found.
        assert_eq!(read("error code 401001, code 127"), Some(R::SecretNotFound));
    }

    #[test]
    fn only_a_failed_sign_in_carries_a_sub_code() {
        let mut other = sign_in_error("Unauthorized", "connected app error code 16: x");
        other.code = ErrorCode::SESSION_INVALID;
        assert_eq!(R::from_error(&other), None);
    }
}
