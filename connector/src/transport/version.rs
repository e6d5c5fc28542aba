//! REST API version negotiation: the highest version both sides speak.

/// The newest version whose behaviour tabgov knows (ts-api 3.29).
pub const CLIENT_MAX: (u32, u32) = (3, 29);
/// The oldest it can work with: PAT sign-in (3.6), groups of a user (3.7).
pub const CLIENT_MIN: (u32, u32) = (3, 7);
/// The version serverinfo is asked at: the oldest that has it, so that any
/// server answers.
pub const PROBE: &str = "2.4";

/// Parses `3.21` into `(3, 21)`.
pub fn parse(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Prints `(3, 21)` as `3.21`.
pub fn format(v: (u32, u32)) -> String {
    format!("{}.{}", v.0, v.1)
}

/// The version to use against a server that speaks `server` at most, or why
/// none fits.
pub fn negotiate(server: &str) -> Result<String, String> {
    let Some(server_v) = parse(server) else {
        return Err(format!("the server reported REST API version '{server}', which is not of the form 3.21; set --api-version"));
    };
    if server_v < CLIENT_MIN {
        return Err(format!(
            "the server speaks REST API {server}; tabgov needs {} or later (Tableau Server 2020.1+)",
            format(CLIENT_MIN)
        ));
    }
    Ok(format(server_v.min(CLIENT_MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_highest_version_both_speak() {
        for (server, expected) in [
            ("3.21", "3.21"),
            ("3.7", "3.7"),
            ("3.29", "3.29"),
            ("3.35", "3.29"),
            ("4.0", "3.29"),
        ] {
            assert_eq!(negotiate(server).unwrap(), expected, "{server}");
        }
        assert!(negotiate("3.6").unwrap_err().contains("3.7"));
        assert!(negotiate("three").unwrap_err().contains("--api-version"));
    }

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse("3.21"), Some((3, 21)));
        assert_eq!(parse(" 2.4 "), Some((2, 4)));
        assert_eq!(parse("3"), None);
        assert_eq!(format((3, 9)), "3.9");
        assert!(parse("3.9") < parse("3.21"));
    }
}
