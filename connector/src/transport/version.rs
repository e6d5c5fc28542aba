//! REST API version negotiation: the highest version both sides speak.

use crate::api::auth::ServerInfo;

/// The newest version whose behaviour tabgov knows (ts-api 3.29).
pub const CLIENT_MAX: (u32, u32) = (3, 29);
/// The oldest it can work with: Remove User's `mapAssetsTo` and the
/// `<import>` element every group carries both arrive with 3.9 (Tableau
/// Server 2020.3); PAT sign-in (3.6) and groups of a user (3.7) are older.
pub const CLIENT_MIN: (u32, u32) = (3, 9);
/// The Tableau Server release that speaks [`CLIENT_MIN`].
const CLIENT_MIN_RELEASE: &str = "Tableau Server 2020.3";
/// The version serverinfo is asked at: the oldest that has it, so that any
/// server answers.
pub(crate) const PROBE: &str = "2.4";

/// Parses `3.21` into `(3, 21)`.
pub fn parse(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Prints `(3, 21)` as `3.21`.
pub fn format(v: (u32, u32)) -> String {
    format!("{}.{}", v.0, v.1)
}

/// The version to use against the server `info` describes, or the one
/// sentence saying why none fits.
pub(crate) fn negotiate(info: &ServerInfo) -> Result<String, String> {
    let server = info.rest_api_version.as_str();
    let Some(server_v) = parse(server) else {
        return Err(format!("the server reported REST API version '{server}', which is not of the form 3.21; set --api-version"));
    };
    if server_v < CLIENT_MIN {
        let product = info
            .product_version
            .as_deref()
            .map(|p| format!(" (Tableau {p})"))
            .unwrap_or_default();
        return Err(format!(
            "the server speaks REST API {server}{product}; tabgov needs {} ({CLIENT_MIN_RELEASE}) or later: upgrade the server",
            format(CLIENT_MIN)
        ));
    }
    Ok(format(server_v.min(CLIENT_MAX)))
}

/// Checks a version given with `--api-version`: well formed and not older
/// than [`CLIENT_MIN`]. Returns it as given.
pub fn forced(v: &str) -> Result<String, String> {
    let Some(parsed) = parse(v) else {
        return Err(format!(
            "--api-version '{v}' is not a REST API version of the form 3.21; give one, or leave it out to use the server's"
        ));
    };
    if parsed < CLIENT_MIN {
        return Err(format!(
            "--api-version {v} is older than tabgov supports: give {} ({CLIENT_MIN_RELEASE}) or later, or leave it out to use the server's",
            format(CLIENT_MIN)
        ));
    }
    Ok(v.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(rest: &str, product: Option<&str>) -> ServerInfo {
        ServerInfo {
            product_version: product.map(str::to_owned),
            build: None,
            rest_api_version: rest.into(),
        }
    }

    #[test]
    fn picks_the_highest_version_both_speak() {
        for (server, expected) in [
            ("3.21", "3.21"),
            ("3.9", "3.9"),
            ("3.10", "3.10"),
            ("3.29", "3.29"),
            ("3.35", "3.29"),
            ("4.0", "3.29"),
        ] {
            assert_eq!(
                negotiate(&info(server, None)).unwrap(),
                expected,
                "{server}"
            );
        }
        assert!(negotiate(&info("three", None))
            .unwrap_err()
            .contains("--api-version"));
    }

    #[test]
    fn a_server_older_than_3_9_is_named_with_the_minimum() {
        let e = negotiate(&info("3.8", Some("2020.2.0"))).unwrap_err();
        assert!(e.contains("REST API 3.8 (Tableau 2020.2.0)"), "{e}");
        assert!(e.contains("needs 3.9 (Tableau Server 2020.3)"), "{e}");
        let e = negotiate(&info("3.7", None)).unwrap_err();
        assert!(e.contains("REST API 3.7;") && e.contains("3.9"), "{e}");
    }

    #[test]
    fn a_forced_version_must_be_well_formed_and_recent_enough() {
        assert_eq!(forced("3.9").unwrap(), "3.9");
        assert_eq!(forced(" 3.21 ").unwrap(), "3.21");
        assert_eq!(forced("3.35").unwrap(), "3.35");
        for old in ["3.8", "3.7", "2.4"] {
            let e = forced(old).unwrap_err();
            assert!(
                e.contains(&format!("--api-version {old}")) && e.contains("3.9"),
                "{e}"
            );
        }
        for bad in ["three", "3", "3.x", "", "3.9.1"] {
            let e = forced(bad).unwrap_err();
            assert!(e.contains("not a REST API version"), "{bad}: {e}");
        }
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
