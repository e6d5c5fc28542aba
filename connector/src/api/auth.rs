//! Server info, sign-in, sign-out and site switching.
//!
//! Sign-in bodies carry secrets, so [`SignInCredential`] never prints them
//! and [`SessionCredentials`] keeps its token in a [`Secret`].

use std::fmt;

use tabgov_mapping::{SiteLuid, UserId};

use super::auth_read::{CredentialsReader, ServerInfoReader};
use super::request::ApiRequest;
use super::stream_one::decode_single;
use super::xml::escape_attr;
use crate::{Result, Secret};

/// What to sign in with. Borrowed, so the caller keeps the only copy of the
/// secret; `Debug` redacts every secret part.
#[derive(Clone, Copy)]
pub enum SignInCredential<'a> {
    /// A personal access token (API 3.6+); one session per token at a time.
    Pat { name: &'a str, secret: &'a str },
    /// A user name and password (Tableau Server; Cloud with MFA refuses it).
    Password {
        username: &'a str,
        password: &'a str,
    },
    /// A connected-app JWT (direct trust, API 3.17+). Sent as `jwt` alone,
    /// as Tableau documents it: `isUat` belongs to Tableau Cloud's unified
    /// access tokens, which tabgov does not use.
    Jwt { token: &'a str },
}

impl fmt::Debug for SignInCredential<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInCredential::Pat { name, .. } => f
                .debug_struct("Pat")
                .field("name", name)
                .field("secret", &"[redacted]")
                .finish(),
            SignInCredential::Password { username, .. } => f
                .debug_struct("Password")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
            SignInCredential::Jwt { .. } => {
                f.debug_struct("Jwt").field("token", &"[redacted]").finish()
            }
        }
    }
}

/// What `GET serverinfo` says: the client picks its API version from
/// `rest_api_version` and never asks for more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// E.g. `2023.3.0`.
    pub product_version: Option<String>,
    /// The `build` attribute of `<productVersion>`.
    pub build: Option<String>,
    /// E.g. `3.21`.
    pub rest_api_version: String,
}

/// A signed-in session: the token for `X-Tableau-Auth` and the site LUID
/// that later paths need (not the content URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCredentials {
    pub token: Secret,
    /// The site's LUID, never empty: every site-scoped path needs it.
    pub site_id: SiteLuid,
    pub site_content_url: String,
    /// The signed-in user's LUID.
    pub user_id: UserId,
}

/// `GET serverinfo` (needs no session).
pub fn server_info() -> ApiRequest {
    ApiRequest::get("serverinfo")
}

/// Decodes `<serverInfo><productVersion build>..</productVersion><restApiVersion>..</restApiVersion></serverInfo>`.
pub fn decode_server_info(body: &[u8]) -> Result<ServerInfo> {
    decode_single(body, "serverInfo", &ServerInfoReader)
}

/// [`decode_server_info`] through the tree, the reference it is tested
/// against.
#[cfg(test)]
pub(super) fn decode_server_info_tree(body: &[u8]) -> Result<ServerInfo> {
    super::tree::decode_single(body, "serverInfo", |el, path| {
        let product = el.child("productVersion");
        let rest = el.required_child(path, "restApiVersion")?;
        super::auth_read::server_info(
            path,
            product.map(|p| (p.text.clone(), p.opt_attr("build"))),
            &rest.text,
        )
    })
}

/// `POST auth/signin` for the site `site_content_url` (`""` is Server's
/// default site). Not retry-safe: with a PAT, a second sign-in ends the
/// first session.
pub fn sign_in(credential: &SignInCredential<'_>, site_content_url: &str) -> ApiRequest {
    let attrs = match credential {
        SignInCredential::Pat { name, secret } => format!(
            "personalAccessTokenName=\"{}\" personalAccessTokenSecret=\"{}\"",
            escape_attr(name),
            escape_attr(secret)
        ),
        SignInCredential::Password { username, password } => format!(
            "name=\"{}\" password=\"{}\"",
            escape_attr(username),
            escape_attr(password)
        ),
        SignInCredential::Jwt { token } => format!("jwt=\"{}\"", escape_attr(token)),
    };
    ApiRequest::post("auth/signin").body(format!(
        "<tsRequest><credentials {attrs}><site contentUrl=\"{}\"/></credentials></tsRequest>",
        escape_attr(site_content_url)
    ))
}

/// Decodes `<credentials token><site id contentUrl/><user id/></credentials>`
/// (sign-in and switch-site answers).
pub fn decode_sign_in(body: &[u8]) -> Result<SessionCredentials> {
    decode_single(body, "credentials", &CredentialsReader)
}

/// [`decode_sign_in`] through the tree, the reference it is tested against.
#[cfg(test)]
pub(super) fn decode_sign_in_tree(body: &[u8]) -> Result<SessionCredentials> {
    super::tree::decode_single(body, "credentials", |el, path| {
        let site = el.required_child(path, "site")?;
        let user = el.required_child(path, "user")?;
        let token = el.required(path, "token")?;
        let (site_id, site_content_url) = super::auth_read::site_of(site, &format!("{path}/site"))?;
        Ok(SessionCredentials {
            token: Secret::new(token),
            site_id,
            site_content_url,
            user_id: user.required(&format!("{path}/user"), "id")?.into(),
        })
    })
}

/// The site LUID of a sign-in answer; an empty one would make every later
/// path `sites//...`, so it is refused here, where it arrives.
pub(super) fn site_luid(id: &str, path: &str) -> Result<SiteLuid> {
    if id.trim().is_empty() {
        return Err(crate::Error::decode(path, "the site id is empty"));
    }
    Ok(SiteLuid::new(id))
}

/// `POST auth/signout` (no body). Not retried: a repeat after a lost answer
/// would fail with `401002` for a session that did end.
pub fn sign_out() -> ApiRequest {
    ApiRequest::post("auth/signout")
}

/// `POST auth/switchSite` to `site_content_url`; answers new credentials
/// (decode with [`decode_sign_in`]).
pub fn switch_site(site_content_url: &str) -> ApiRequest {
    ApiRequest::post("auth/switchSite").body(format!(
        "<tsRequest><site contentUrl=\"{}\"/></tsRequest>",
        escape_attr(site_content_url)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Method;
    use crate::api::tree::parse;

    fn credentials_of(req: &ApiRequest) -> Vec<(String, String)> {
        let body = req.body.as_deref().unwrap_or_default();
        let doc = parse(body.as_bytes()).unwrap();
        assert_eq!(doc.name, "tsRequest");
        let cred = doc.child("credentials").unwrap();
        assert_eq!(
            cred.child("site").and_then(|s| s.attr("contentUrl")),
            Some("my&site")
        );
        cred.attrs.clone()
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn sign_in_bodies_escape_and_round_trip() {
        let secret = "s\"&<>'x";
        let pat = sign_in(
            &SignInCredential::Pat {
                name: "n&1",
                secret,
            },
            "my&site",
        );
        assert_eq!(
            (pat.method, pat.path.as_str()),
            (Method::Post, "auth/signin")
        );
        assert!(!pat.retry_safe);
        assert!(pat.query.is_empty());
        let body = pat.body.clone().unwrap_or_default();
        assert!(body.contains("personalAccessTokenSecret=\"s&quot;&amp;&lt;&gt;&apos;x\""));
        assert_eq!(
            credentials_of(&pat),
            vec![
                pair("personalAccessTokenName", "n&1"),
                pair("personalAccessTokenSecret", secret)
            ]
        );
        let pw = sign_in(
            &SignInCredential::Password {
                username: "u",
                password: "p<w",
            },
            "my&site",
        );
        assert_eq!(
            credentials_of(&pw),
            vec![pair("name", "u"), pair("password", "p<w")]
        );
        let jwt = sign_in(&SignInCredential::Jwt { token: "a.b.c" }, "my&site");
        assert_eq!(credentials_of(&jwt), vec![pair("jwt", "a.b.c")]);
    }

    #[test]
    fn debug_redacts_secrets() {
        for cred in [
            SignInCredential::Pat {
                name: "pat-name",
                secret: "hunter2",
            },
            SignInCredential::Password {
                username: "bob",
                password: "hunter2",
            },
            SignInCredential::Jwt { token: "hunter2" },
        ] {
            let shown = format!("{cred:?}");
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
        let session = SessionCredentials {
            token: Secret::new("hunter2"),
            site_id: SiteLuid::new("s"),
            site_content_url: "c".into(),
            user_id: "u".into(),
        };
        assert!(!format!("{session:?}").contains("hunter2"));
    }

    #[test]
    fn a_sign_in_without_a_site_id_is_refused() {
        let answer = |id: &str| {
            format!(
                r#"<tsResponse><credentials token="t"><site id="{id}" contentUrl=""/><user id="u"/></credentials></tsResponse>"#
            )
        };
        let ok = decode_sign_in(answer("site-luid").as_bytes()).unwrap();
        assert_eq!(ok.site_id, SiteLuid::new("site-luid"));
        for empty in ["", " "] {
            let e = decode_sign_in(answer(empty).as_bytes()).unwrap_err();
            assert!(e.to_string().contains("the site id is empty"), "{e}");
        }
    }

    #[test]
    fn other_requests() {
        let info = server_info();
        assert_eq!(
            (info.method, info.path.as_str()),
            (Method::Get, "serverinfo")
        );
        let out = sign_out();
        assert_eq!(
            (out.method, out.path.as_str(), out.body.as_deref()),
            (Method::Post, "auth/signout", None)
        );
        let switch = switch_site("a\"b");
        assert_eq!(
            (switch.method, switch.path.as_str()),
            (Method::Post, "auth/switchSite")
        );
        assert_eq!(
            switch.body.as_deref(),
            Some("<tsRequest><site contentUrl=\"a&quot;b\"/></tsRequest>")
        );
        assert!(!switch.retry_safe);
    }

    #[test]
    fn sign_in_needs_every_part() {
        let ok = r#"<tsResponse><credentials token="t"><site id="s" contentUrl=""/><user id="u"/></credentials></tsResponse>"#;
        let creds = decode_sign_in(ok.as_bytes()).unwrap();
        assert_eq!(creds.token.expose(), "t");
        assert_eq!(creds.site_content_url, "");
        for (body, path, what) in [
            (
                ok.replace(" token=\"t\"", ""),
                "tsResponse/credentials",
                "token",
            ),
            (
                ok.replace("id=\"s\" ", ""),
                "tsResponse/credentials/site",
                "id",
            ),
            (
                ok.replace(" contentUrl=\"\"", ""),
                "tsResponse/credentials/site",
                "contentUrl",
            ),
            (
                ok.replace("<user id=\"u\"/>", "<user/>"),
                "tsResponse/credentials/user",
                "id",
            ),
        ] {
            let e = decode_sign_in(body.as_bytes()).unwrap_err().to_string();
            assert!(
                e.contains(path) && e.contains(&format!("missing attribute {what}")),
                "{e}"
            );
        }
        let no_user = ok.replace("<user id=\"u\"/>", "");
        assert!(decode_sign_in(no_user.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("missing element user"));
    }

    #[test]
    fn server_info_needs_the_api_version() {
        let minimal = decode_server_info(
            b"<tsResponse><serverInfo><restApiVersion> 3.21 </restApiVersion></serverInfo></tsResponse>",
        )
        .unwrap();
        assert_eq!(
            minimal,
            ServerInfo {
                product_version: None,
                build: None,
                rest_api_version: "3.21".into()
            }
        );
        for bad in [
            "<tsResponse><serverInfo/></tsResponse>",
            "<tsResponse><serverInfo><restApiVersion/></serverInfo></tsResponse>",
            "<tsResponse/>",
        ] {
            assert!(decode_server_info(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
