//! Connected-app (direct trust) JWT verification, answering with Tableau's
//! connected-app sub-codes: 10084 unparseable/bad signature/bad audience,
//! 10085 unknown `kid` or `iss`, 10096 expiry too far ahead.

use crate::config::ConnectedApp;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// Longest time a JWT may be valid for.
pub const MAX_EXP_AHEAD_SECS: i64 = 600;

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
    /// Connected-app error code (16, 10084, 10085, 10096).
    pub code: u32,
    /// Why.
    pub reason: String,
}

fn refuse(code: u32, reason: impl Into<String>) -> Refused {
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

/// Verifies signature, `kid`, `iss`, `aud`, `exp` (not past, at most ten
/// minutes ahead). Whether `sub` exists is the caller's check (code 16).
pub fn verify(token: &str, apps: &[ConnectedApp], now: i64) -> Result<Verified, Refused> {
    let header = decode_header(token)
        .map_err(|e| refuse(10084, format!("the JWT could not be parsed ({e})")))?;
    let kid = header
        .kid
        .ok_or_else(|| refuse(10085, "the JWT header has no kid (secret id)"))?;
    let app = apps
        .iter()
        .find(|a| a.secret_id == kid)
        .ok_or_else(|| refuse(10085, format!("no connected-app secret with id '{kid}'")))?;
    let mut v = Validation::new(Algorithm::HS256);
    v.set_audience(&["tableau"]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = 5;
    let data = decode::<Claims>(token, &DecodingKey::from_secret(app.secret.as_bytes()), &v)
        .map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::InvalidSignature => refuse(10084, "the JWT signature is invalid"),
                K::InvalidAudience => refuse(10084, "the JWT audience must be 'tableau'"),
                K::ExpiredSignature => refuse(10084, "the JWT has expired"),
                K::InvalidAlgorithm => refuse(10084, "the JWT must be signed with HS256"),
                _ => refuse(10084, format!("the JWT could not be verified ({e})")),
            }
        })?;
    let c = data.claims;
    if c.iss != app.client_id {
        return Err(refuse(
            10085,
            format!("issuer '{}' is not the client id of secret '{kid}'", c.iss),
        ));
    }
    if c.exp - now > MAX_EXP_AHEAD_SECS + 1 {
        return Err(refuse(
            10096,
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

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{encode, EncodingKey, Header};

    fn app() -> Vec<ConnectedApp> {
        vec![ConnectedApp {
            client_id: "cid".into(),
            secret_id: "sid".into(),
            secret: "s3cret".into(),
        }]
    }

    fn token(kid: &str, key: &str, claims: serde_json::Value) -> String {
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some(kid.into());
        encode(&h, &claims, &EncodingKey::from_secret(key.as_bytes())).unwrap()
    }

    fn claims(now: i64) -> serde_json::Value {
        serde_json::json!({"iss":"cid","sub":"admin","aud":"tableau","exp":now+300,"jti":"x","scp":["tableau:users:read"]})
    }

    #[test]
    fn accepts_and_refuses() {
        let now = chrono::Utc::now().timestamp();
        let ok = verify(&token("sid", "s3cret", claims(now)), &app(), now).unwrap();
        assert_eq!(ok.sub, "admin");
        assert!(scope_allows(&ok.scopes, "tableau:users:read"));
        assert!(!scope_allows(&ok.scopes, "tableau:users:delete"));
        assert!(scope_allows(
            &["tableau:users:*".to_string()],
            "tableau:users:delete"
        ));
        assert_eq!(
            verify(&token("sid", "wrong", claims(now)), &app(), now)
                .unwrap_err()
                .code,
            10084
        );
        assert_eq!(
            verify(&token("nope", "s3cret", claims(now)), &app(), now)
                .unwrap_err()
                .code,
            10085
        );
        let mut c = claims(now);
        c["aud"] = "other".into();
        assert_eq!(
            verify(&token("sid", "s3cret", c), &app(), now)
                .unwrap_err()
                .code,
            10084
        );
        let mut c = claims(now);
        c["exp"] = (now + 3600).into();
        assert_eq!(
            verify(&token("sid", "s3cret", c), &app(), now)
                .unwrap_err()
                .code,
            10096
        );
        let mut c = claims(now);
        c["iss"] = "other".into();
        assert_eq!(
            verify(&token("sid", "s3cret", c), &app(), now)
                .unwrap_err()
                .code,
            10085
        );
        assert_eq!(verify("garbage", &app(), now).unwrap_err().code, 10084);
    }
}
