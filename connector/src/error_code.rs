//! Tableau's six-digit error codes, typed: the ones tabgov acts on are
//! named values, any other is kept verbatim, so a code Tableau adds later is
//! still shown and journalled exactly as it was sent.

use std::fmt;

/// Declares the known codes once: the variant, the associated constant the
/// call sites use (`ErrorCode::USER_NOT_FOUND`), and the code's text.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $constant:ident = $text:literal;)*) => {
        /// Tableau's error code (`401002`, `409003`, ...); the first three
        /// digits are the HTTP status. The codes tabgov acts on are named;
        /// every other one is [`ErrorCode::Other`], holding Tableau's text.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code tabgov gives no meaning to, exactly as Tableau sent it.
            /// [`ErrorCode::parse`] never puts a known code here.
            Other(String),
        }

        impl ErrorCode {
            $($(#[$doc])* pub const $constant: ErrorCode = ErrorCode::$variant;)*

            /// The code as Tableau writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                    ErrorCode::Other(text) => text,
                }
            }

            /// The code Tableau sent as `text`: a named one when tabgov
            /// knows it, else kept verbatim.
            pub fn parse(text: &str) -> ErrorCode {
                match text {
                    $($text => ErrorCode::$variant,)*
                    other => ErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

codes! {
    /// `400013`: the site role in an update is not one Tableau knows
    /// (unverified against a live server).
    InvalidSiteRole = INVALID_SITE_ROLE = "400013";
    /// `401000`: no session, or (Tableau Cloud) a session that expired.
    SessionExpired = SESSION_EXPIRED = "401000";
    /// `401001`: a failed sign-in (wrong PAT, password or JWT).
    SignInFailed = SIGN_IN_FAILED = "401001";
    /// `401002`: a stale or invalid session token, or a JWT scope that does
    /// not cover the call.
    SessionInvalid = SESSION_INVALID = "401002";
    /// `403000`: the account may not do this (not a site administrator).
    Forbidden = FORBIDDEN = "403000";
    /// `403009`: an account cannot change its own site role (unverified).
    OwnSiteRole = OWN_SITE_ROLE = "403009";
    /// `404000`: the site does not exist.
    SiteNotFound = SITE_NOT_FOUND = "404000";
    /// `404002`: the user does not exist.
    UserNotFound = USER_NOT_FOUND = "404002";
    /// `404012`: the group does not exist.
    GroupNotFound = GROUP_NOT_FOUND = "404012";
    /// `409000`: a name the site already has (Add User to Site: a user of
    /// that name exists).
    NameConflict = NAME_CONFLICT = "409000";
    /// `409003`: the user owns content and was set Unlicensed instead of removed.
    UserOwnsContent = USER_OWNS_CONTENT = "409003";
    /// `409009`: the site already has a group of that name.
    GroupNameConflict = GROUP_NAME_CONFLICT = "409009";
    /// `409011`: the user is already in the group.
    AlreadyMember = ALREADY_MEMBER = "409011";
    /// `409014`: no licence left for the site role asked (unverified).
    NoLicenseCapacity = NO_LICENSE_CAPACITY = "409014";
    /// `429000`: too many requests.
    RateLimited = RATE_LIMITED = "429000";
}

impl ErrorCode {
    /// The code Tableau uses when its body carried none: the HTTP status
    /// followed by `000`.
    pub fn from_status(status: u16) -> ErrorCode {
        ErrorCode::parse(&format!("{status}000"))
    }

    /// The HTTP status the code's first three digits name, when they are
    /// digits (they are in every code Tableau sends).
    pub fn http_status(&self) -> Option<u16> {
        let head = self.as_str().get(..3)?;
        head.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| head.parse().ok())
            .flatten()
    }
}

impl From<&str> for ErrorCode {
    fn from(text: &str) -> ErrorCode {
        ErrorCode::parse(text)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn known_codes_are_named_and_print_as_tableau_sent_them() {
        for (text, code) in [
            ("400013", ErrorCode::INVALID_SITE_ROLE),
            ("401000", ErrorCode::SESSION_EXPIRED),
            ("401001", ErrorCode::SIGN_IN_FAILED),
            ("401002", ErrorCode::SESSION_INVALID),
            ("403000", ErrorCode::FORBIDDEN),
            ("403009", ErrorCode::OWN_SITE_ROLE),
            ("404000", ErrorCode::SITE_NOT_FOUND),
            ("404002", ErrorCode::USER_NOT_FOUND),
            ("404012", ErrorCode::GROUP_NOT_FOUND),
            ("409000", ErrorCode::NAME_CONFLICT),
            ("409003", ErrorCode::USER_OWNS_CONTENT),
            ("409009", ErrorCode::GROUP_NAME_CONFLICT),
            ("409011", ErrorCode::ALREADY_MEMBER),
            ("409014", ErrorCode::NO_LICENSE_CAPACITY),
            ("429000", ErrorCode::RATE_LIMITED),
        ] {
            assert_eq!(ErrorCode::parse(text), code);
            assert_eq!(code.to_string(), text);
            assert!(!matches!(code, ErrorCode::Other(_)), "{text}");
        }
        assert_eq!(ErrorCode::from_status(404), ErrorCode::SITE_NOT_FOUND);
    }

    #[test]
    fn unknown_codes_keep_their_exact_text() {
        for text in ["403004", "500000", "0042", "x1"] {
            let code = ErrorCode::parse(text);
            assert_eq!(code, ErrorCode::Other(text.to_owned()));
            assert_eq!(code.to_string(), text);
        }
        assert_eq!(ErrorCode::parse("403004").http_status(), Some(403));
        assert_eq!(ErrorCode::parse("x1").http_status(), None);
    }
}
