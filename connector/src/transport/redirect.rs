//! Which redirects a request may follow. The client follows none by
//! itself (reqwest's default would turn a POST into a GET and carry
//! `X-Tableau-Auth` to any host): a request, its body (a sign-in carries a
//! PAT secret, password or JWT) and its token are only ever re-sent to the
//! origin they were meant for, or from http to https on the same host
//! (Tableau Cloud answers plain http with a 301 to https).

use url::Url;

/// Redirects followed for one request at most.
pub const MAX_HOPS: u32 = 5;

/// Whether `status` is a redirect this client judges (301, 302, 307, 308).
/// Tableau sends no 303; any other 3xx is reported as the server's answer.
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 307 | 308)
}

/// The URL to re-send to, when `location` (the header's value, absolute or
/// relative to `from`) stays on `from`'s origin or moves it from http to
/// https on the same host; otherwise the sentence to fail with.
pub fn follow(from: &Url, location: Option<&str>) -> Result<Url, String> {
    let Some(location) = location else {
        return Err(format!(
            "the server redirected {} without a Location; check --server",
            shown(from)
        ));
    };
    let to = from.join(location).map_err(|_| {
        format!(
            "the server redirected {} to '{location}', which is not a URL; check --server",
            shown(from)
        )
    })?;
    if same_origin(from, &to) || upgrade_to_https(from, &to) {
        return Ok(to);
    }
    Err(format!(
        "the server redirected {} to {}, another origin{}: tabgov sends credentials and tokens only to --server, so it follows no such redirect; if that address is the Tableau server, give it as --server",
        shown(from),
        shown(&to),
        if from.scheme() == "https" && to.scheme() != "https" {
            " and from https to plain http"
        } else {
            ""
        }
    ))
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// http to https on the same host, to the default https port or the same
/// port number: what a server forcing TLS answers.
fn upgrade_to_https(from: &Url, to: &Url) -> bool {
    from.scheme() == "http"
        && to.scheme() == "https"
        && from.host_str() == to.host_str()
        && (to.port_or_known_default() == Some(443)
            || to.port_or_known_default() == from.port_or_known_default())
}

/// A URL without its query: filters may carry names, and no URL here
/// carries credentials, but the query adds nothing to the message.
fn shown(u: &Url) -> String {
    let mut u = u.clone();
    u.set_query(None);
    u.set_fragment(None);
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    #[test]
    fn same_origin_and_https_upgrade_are_followed() {
        let cases = [
            (
                "https://t.example.com/api/3.21/auth/signin",
                "/api/3.21/auth/signin",
                "https://t.example.com/api/3.21/auth/signin",
            ),
            (
                "https://t.example.com/api/3.21/x",
                "https://t.example.com:443/api/3.21/y",
                "https://t.example.com/api/3.21/y",
            ),
            (
                "http://t.example.com/api/3.21/auth/signin",
                "https://t.example.com/api/3.21/auth/signin",
                "https://t.example.com/api/3.21/auth/signin",
            ),
            (
                "http://127.0.0.1:8080/a",
                "https://127.0.0.1:8080/a",
                "https://127.0.0.1:8080/a",
            ),
        ];
        for (f, loc, expected) in cases {
            assert_eq!(
                follow(&from(f), Some(loc)).unwrap().as_str(),
                expected,
                "{f} -> {loc}"
            );
        }
    }

    #[test]
    fn other_origins_and_downgrades_are_refused_naming_the_location() {
        let cases = [
            ("https://t.example.com/a", "https://evil.example.net/a"),
            ("https://t.example.com/a", "http://t.example.com/a"),
            ("https://t.example.com/a", "https://t.example.com:8443/a"),
            ("http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a"),
            ("http://t.example.com/a", "https://other.example.com/a"),
            ("http://t.example.com/a", "https://t.example.com:8443/a"),
            ("https://t.example.com/a", "//evil.example.net/a"),
        ];
        for (f, loc) in cases {
            let err = follow(&from(f), Some(loc)).unwrap_err();
            let target = from(f).join(loc).unwrap();
            assert!(err.contains(target.as_str()), "{err}");
            assert!(err.contains("--server"), "{err}");
        }
        let down = follow(
            &from("https://t.example.com/a"),
            Some("http://t.example.com/a"),
        );
        assert!(down.unwrap_err().contains("from https to plain http"));
    }

    #[test]
    fn a_missing_or_broken_location_is_refused() {
        let f = from("https://t.example.com/a");
        assert!(follow(&f, None).unwrap_err().contains("without a Location"));
        assert!(follow(&f, Some("http://[::1"))
            .unwrap_err()
            .contains("not a URL"));
    }

    #[test]
    fn only_the_redirects_that_repeat_a_request_are_judged() {
        for (status, judged) in [
            (301, true),
            (302, true),
            (307, true),
            (308, true),
            (303, false),
            (304, false),
            (200, false),
        ] {
            assert_eq!(is_redirect(status), judged, "{status}");
        }
    }
}
