//! Connected-app (direct trust) JWT verification, answering with the
//! sub-codes of Tableau's connected-app troubleshooting table, and the
//! scopes each content listing needs.

use crate::config::ConnectedApp;
use crate::state::Kind;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// Longest time a JWT may be valid for.
pub const MAX_EXP_AHEAD_SECS: i64 = 600;

/// A connected-app sign-in failure, as Tableau numbers and names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubCode {
    /// 5: `sub` names no user of the site.
    UserNotFound,
    /// 16: login failed, e.g. `exp` more than ten minutes ahead.
    LoginFailed,
    /// 10083: the header has no `kid` or no `iss`.
    BadJwt,
    /// 10084: the token cannot be read, `aud` is not `tableau`, or it expired.
    JwtParseError,
    /// 10089: no connected app has the client id in `iss`.
    AppNotFound,
    /// 10090: the connected app is disabled.
    AppDisabled,
    /// 127: the app has no secret with the `kid`, or the token was not
    /// signed with that secret's value.
    SecretNotFound,
}

impl SubCode {
    /// Tableau's number.
    pub fn code(self) -> u32 {
        match self {
            SubCode::UserNotFound => 5,
            SubCode::LoginFailed => 16,
            SubCode::BadJwt => 10083,
            SubCode::JwtParseError => 10084,
            SubCode::AppNotFound => 10089,
            SubCode::AppDisabled => 10090,
            SubCode::SecretNotFound => 127,
        }
    }

    /// Tableau's summary name.
    pub fn name(self) -> &'static str {
        match self {
            SubCode::UserNotFound => "SYSTEM_USER_NOT_FOUND",
            SubCode::LoginFailed => "LOGIN_FAILED",
            SubCode::BadJwt => "BAD_JWT",
            SubCode::JwtParseError => "JWT_PARSE_ERROR",
            SubCode::AppNotFound => "CONNECTED_APP_NOT_FOUND",
            SubCode::AppDisabled => "CONNECTED_APP_DISABLED",
            SubCode::SecretNotFound => "CONNECTED_APP_SECRET_NOT_FOUND",
        }
    }
}

/// What a verified token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The user name to sign in.
    pub sub: String,
    /// Scopes from `scp`.
    pub scopes: Vec<String>,
}

/// A refused token: connected-app sub-code and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Which failure.
    pub code: SubCode,
    /// Why.
    pub reason: String,
}

impl Refused {
    /// The sign-in error detail: `connected app error code N (NAME): reason`.
    pub fn detail(&self) -> String {
        format!(
            "connected app error code {} ({}): {}",
            self.code.code(),
            self.code.name(),
            self.reason
        )
    }
}

fn refuse(code: SubCode, reason: impl Into<String>) -> Refused {
    Refused {
        code,
        reason: reason.into(),
    }
}

#[derive(Debug, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    exp: i64,
    #[serde(default)]
    scp: Option<serde_json::Value>,
}

/// The header fields direct trust reads: `kid` (secret id) and `iss`
/// (client id), both required.
#[derive(Debug, Deserialize)]
struct TrustHeader {
    kid: Option<String>,
    iss: Option<String>,
}

fn header(token: &str) -> Result<TrustHeader, Refused> {
    let segment = token.split('.').next().unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD.decode(segment).map_err(|e| {
        refuse(
            SubCode::JwtParseError,
            format!("the JWT header is not base64url ({e})"),
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        refuse(
            SubCode::JwtParseError,
            format!("the JWT header is not JSON ({e})"),
        )
    })
}

/// Verifies, in Tableau's order: a readable header with `kid` and `iss`, an
/// enabled app with that client id holding a secret with that id, the
/// signature, `aud`, `exp` (not past, at most ten minutes ahead) and the
/// claims' `iss`. Whether `sub` exists is the caller's check (code 5).
pub fn verify(token: &str, apps: &[ConnectedApp], now: i64) -> Result<Verified, Refused> {
    let header = header(token)?;
    let (Some(kid), Some(iss)) = (header.kid, header.iss) else {
        return Err(refuse(
            SubCode::BadJwt,
            "the JWT header needs 'kid' (the secret id) and 'iss' (the client id)",
        ));
    };
    let app = apps.iter().find(|a| a.client_id == iss).ok_or_else(|| {
        refuse(
            SubCode::AppNotFound,
            format!("no connected app has client id '{iss}'"),
        )
    })?;
    if !app.enabled {
        return Err(refuse(
            SubCode::AppDisabled,
            format!("the connected app '{iss}' is disabled"),
        ));
    }
    if app.secret_id != kid {
        return Err(refuse(
            SubCode::SecretNotFound,
            format!("the connected app '{iss}' has no secret with id '{kid}'"),
        ));
    }
    let mut v = Validation::new(Algorithm::HS256);
    v.set_audience(&["tableau"]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = 5;
    let data = decode::<Claims>(token, &DecodingKey::from_secret(app.secret.as_bytes()), &v)
        .map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::InvalidSignature => refuse(
                    SubCode::SecretNotFound,
                    format!("the JWT was not signed with the value of secret '{kid}'"),
                ),
                K::InvalidAudience => {
                    refuse(SubCode::JwtParseError, "the JWT audience must be 'tableau'")
                }
                K::ExpiredSignature => refuse(
                    SubCode::JwtParseError,
                    "the JWT has expired; check the clock",
                ),
                K::InvalidAlgorithm => {
                    refuse(SubCode::JwtParseError, "the JWT must be signed with HS256")
                }
                _ => refuse(
                    SubCode::JwtParseError,
                    format!("the JWT could not be read ({e})"),
                ),
            }
        })?;
    let c = data.claims;
    if c.iss != app.client_id {
        return Err(refuse(
            SubCode::AppNotFound,
            format!("the claim iss '{}' is not the client id '{iss}'", c.iss),
        ));
    }
    if c.exp - now > MAX_EXP_AHEAD_SECS + 1 {
        return Err(refuse(
            SubCode::LoginFailed,
            format!(
                "the JWT expires {}s ahead; at most {MAX_EXP_AHEAD_SECS}s is allowed",
                c.exp - now
            ),
        ));
    }
    let scopes = match c.scp {
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|s| s.as_str().map(String::from))
            .collect(),
        Some(serde_json::Value::String(s)) => s.split_whitespace().map(String::from).collect(),
        _ => Vec::new(),
    };
    Ok(Verified { sub: c.sub, scopes })
}

/// Whether `granted` covers `needed` (`tableau:users:*` covers `tableau:users:read`).
pub fn scope_allows(granted: &[String], needed: &str) -> bool {
    granted.iter().any(|g| {
        g == needed
            || g.strip_suffix('*')
                .is_some_and(|prefix| needed.starts_with(prefix))
    })
}

/// The scope reading a content listing needs: `tableau:content:read` covers
/// workbooks, data sources, projects and views; flows have their own. Custom
/// views and data alerts are taken as content (their real scope is not
/// documented).
pub(crate) fn read_scope(kind: Kind) -> &'static str {
    match kind {
        Kind::Flow => "tableau:flows:read",
        Kind::Workbook
        | Kind::Datasource
        | Kind::Project
        | Kind::View
        | Kind::CustomView
        | Kind::DataAlert => "tableau:content:read",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{encode, EncodingKey, Header};

    fn apps(enabled: bool) -> Vec<ConnectedApp> {
        vec![ConnectedApp {
            client_id: "cid".into(),
            secret_id: "sid".into(),
            secret: "s3cret".into(),
            enabled,
        }]
    }

    /// A token whose header carries `kid` and `iss` as direct trust requires.
    fn token(kid: &str, iss: &str, key: &str, claims: serde_json::Value) -> String {
        let header = serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": kid, "iss": iss});
        let message = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let key = EncodingKey::from_secret(key.as_bytes());
        let signature =
            jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).unwrap();
        format!("{message}.{signature}")
    }

    fn claims(now: i64) -> serde_json::Value {
        serde_json::json!({"iss":"cid","sub":"admin","aud":"tableau","exp":now+300,"jti":"x","scp":["tableau:users:read"]})
    }

    fn code(token: &str, enabled: bool, now: i64) -> u32 {
        verify(token, &apps(enabled), now).unwrap_err().code.code()
    }

    #[test]
    fn accepts_a_good_token_and_its_scopes() {
        let now = chrono::Utc::now().timestamp();
        let ok = verify(
            &token("sid", "cid", "s3cret", claims(now)),
            &apps(true),
            now,
        )
        .unwrap();
        assert_eq!(ok.sub, "admin");
        assert!(scope_allows(&ok.scopes, "tableau:users:read"));
        assert!(!scope_allows(&ok.scopes, "tableau:users:delete"));
        assert!(scope_allows(
            &["tableau:users:*".to_string()],
            "tableau:users:delete"
        ));
    }

    #[test]
    fn refusals_carry_tableau_sub_codes() {
        let now = chrono::Utc::now().timestamp();
        let good = |c| token("sid", "cid", "s3cret", c);
        assert_eq!(code("garbage", true, now), 10084);
        let mut c = claims(now);
        c["aud"] = "other".into();
        assert_eq!(code(&good(c), true, now), 10084);
        let mut c = claims(now);
        c["exp"] = (now - 120).into();
        assert_eq!(code(&good(c), true, now), 10084);
        // A header without iss (what a plain JWT library writes) is BAD_JWT.
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some("sid".into());
        let no_iss = encode(&h, &claims(now), &EncodingKey::from_secret(b"s3cret")).unwrap();
        assert_eq!(code(&no_iss, true, now), 10083);
        assert_eq!(
            code(&token("sid", "other", "s3cret", claims(now)), true, now),
            10089
        );
        assert_eq!(code(&good(claims(now)), false, now), 10090);
        assert_eq!(
            code(&token("nope", "cid", "s3cret", claims(now)), true, now),
            127
        );
        assert_eq!(
            code(&token("sid", "cid", "wrong", claims(now)), true, now),
            127
        );
        let mut c = claims(now);
        c["exp"] = (now + 3600).into();
        assert_eq!(code(&good(c), true, now), 16);
        let mut c = claims(now);
        c["iss"] = "other".into();
        assert_eq!(code(&good(c), true, now), 10089);
    }

    #[test]
    fn flows_need_their_own_read_scope() {
        let content_only = vec!["tableau:content:read".to_string()];
        assert!(scope_allows(&content_only, read_scope(Kind::Workbook)));
        assert!(scope_allows(&content_only, read_scope(Kind::Project)));
        assert!(!scope_allows(&content_only, read_scope(Kind::Flow)));
        let flows = vec!["tableau:flows:read".to_string()];
        assert!(scope_allows(&flows, read_scope(Kind::Flow)));
    }
}
