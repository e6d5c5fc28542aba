//! How tabgov proves who it is: a personal access token, a username and
//! password, or a connected app's JWT (direct trust). Secrets live in
//! [`Secret`] and are read from the environment or a file, never from a
//! command-line flag.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde::Serialize;

use crate::api::auth::SignInCredential;
use crate::{Error, Result, Secret};

/// Connected-app scopes, least privilege per command: a read-only sync never
/// asks for update or delete. Tableau's `tableau:content:read` covers the
/// listings of workbooks, data sources, projects and views but not flows,
/// which need their own `tableau:flows:read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    UsersRead,
    UsersUpdate,
    UsersDelete,
    GroupsRead,
    GroupsUpdate,
    ContentRead,
    FlowsRead,
    UsersCreate,
    GroupsCreate,
    GroupsDelete,
}

impl Scope {
    /// Tableau's scope string.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::UsersRead => "tableau:users:read",
            Scope::UsersUpdate => "tableau:users:update",
            Scope::UsersDelete => "tableau:users:delete",
            Scope::GroupsRead => "tableau:groups:read",
            Scope::GroupsUpdate => "tableau:groups:update",
            Scope::ContentRead => "tableau:content:read",
            Scope::FlowsRead => "tableau:flows:read",
            Scope::UsersCreate => "tableau:users:create",
            Scope::GroupsCreate => "tableau:groups:create",
            Scope::GroupsDelete => "tableau:groups:delete",
        }
    }

    /// What a sync reads: users, groups and content ownership (flows included).
    pub const SYNC: &'static [Scope] = &[
        Scope::UsersRead,
        Scope::GroupsRead,
        Scope::ContentRead,
        Scope::FlowsRead,
    ];
}

/// One way to sign in.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A personal access token of a site administrator.
    Pat { name: String, secret: Secret },
    /// A username and password (Tableau Server; Cloud with MFA refuses it).
    Password { username: String, password: Secret },
    /// A connected app with direct trust: each sign-in carries a fresh JWT.
    ConnectedApp {
        client_id: String,
        secret_id: String,
        secret: Secret,
        /// The Tableau user the JWT signs in as (`sub`).
        username: String,
    },
}

/// How long a JWT is valid: Tableau refuses more than ten minutes ahead.
const JWT_LIFETIME_SECS: i64 = 300;

impl Credential {
    /// The account this credential signs in as, for messages (never secret).
    pub fn identity(&self) -> String {
        match self {
            Credential::Pat { name, .. } => format!("personal access token '{name}'"),
            Credential::Password { username, .. } => format!("user '{username}'"),
            Credential::ConnectedApp {
                client_id,
                username,
                ..
            } => format!("connected app '{client_id}' as '{username}'"),
        }
    }

    /// Whether a second sign-in ends the first session (Tableau's rule for PATs).
    pub(crate) fn is_single_session(&self) -> bool {
        matches!(self, Credential::Pat { .. })
    }

    /// Whether requests are limited by JWT scopes.
    pub(crate) fn is_scoped(&self) -> bool {
        matches!(self, Credential::ConnectedApp { .. })
    }

    /// Builds the sign-in credential, minting a JWT with `scopes` when needed.
    /// `sign` receives the borrowed form, so the JWT lives only for the call.
    pub(crate) fn with_sign_in<T>(
        &self,
        scopes: &[Scope],
        now: DateTime<Utc>,
        sign: impl FnOnce(&SignInCredential<'_>) -> T,
    ) -> Result<T> {
        Ok(match self {
            Credential::Pat { name, secret } => sign(&SignInCredential::Pat {
                name,
                secret: secret.expose(),
            }),
            Credential::Password { username, password } => sign(&SignInCredential::Password {
                username,
                password: password.expose(),
            }),
            Credential::ConnectedApp { .. } => {
                let jwt = self.jwt(scopes, now, &uuid::Uuid::new_v4().to_string())?;
                sign(&SignInCredential::Jwt {
                    token: jwt.expose(),
                })
            }
        })
    }

    /// The connected-app JWT: header `alg`, `typ`, `kid` (secret id) and
    /// `iss` (client id, which Tableau's direct trust also reads from the
    /// header); claims `iss`, `sub`, `aud = "tableau"`, `jti`, `exp`, `scp`.
    pub fn jwt(&self, scopes: &[Scope], now: DateTime<Utc>, jti: &str) -> Result<Secret> {
        let Credential::ConnectedApp {
            client_id,
            secret_id,
            secret,
            username,
        } = self
        else {
            return Err(Error::Config(
                "only a connected app signs in with a JWT".into(),
            ));
        };
        #[derive(Serialize)]
        struct Header<'a> {
            alg: &'static str,
            typ: &'static str,
            kid: &'a str,
            iss: &'a str,
        }
        #[derive(Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            sub: &'a str,
            aud: &'static str,
            jti: &'a str,
            exp: i64,
            scp: Vec<&'static str>,
        }
        let header = Header {
            alg: "HS256",
            typ: "JWT",
            kid: secret_id,
            iss: client_id,
        };
        let claims = Claims {
            iss: client_id,
            sub: username,
            aud: "tableau",
            jti,
            exp: (now + Duration::seconds(JWT_LIFETIME_SECS)).timestamp(),
            scp: scopes.iter().map(|s| s.as_str()).collect(),
        };
        let message = format!("{}.{}", b64_json(&header)?, b64_json(&claims)?);
        let key = EncodingKey::from_secret(secret.expose().as_bytes());
        let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256)
            .map_err(|e| Error::Config(format!("cannot sign the connected-app JWT: {e}")))?;
        Ok(Secret::new(format!("{message}.{signature}")))
    }
}

/// One JWT segment: base64url (no padding) of the JSON.
fn b64_json<T: Serialize>(value: &T) -> Result<String> {
    let json = serde_json::to_vec(value)
        .map_err(|e| Error::Config(format!("cannot encode the connected-app JWT: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// Reads a secret from the environment variable `env` or, when given, the
/// file `file` (trailing newline trimmed). Names the fix when neither has it.
pub fn read_secret(env: &str, file: Option<&std::path::Path>, what: &str) -> Result<Secret> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| Error::UnreadableFile {
            what: format!("the {what} from {}", path.display()),
            source: e,
        })?;
        let value = text.trim_end_matches(['\r', '\n']);
        if value.is_empty() {
            return Err(Error::Config(format!(
                "the {what} file {} is empty",
                path.display()
            )));
        }
        return Ok(Secret::new(value));
    }
    match std::env::var(env) {
        Ok(v) if !v.is_empty() => Ok(Secret::new(v)),
        _ => Err(Error::Config(format!(
            "the {what} is missing: set {env} (or give a secret file); secrets are never taken on the command line"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};

    fn app() -> Credential {
        Credential::ConnectedApp {
            client_id: "client-1".into(),
            secret_id: "kid-1".into(),
            secret: Secret::new("s3cret-value"),
            username: "admin".into(),
        }
    }

    #[test]
    fn jwt_carries_the_claims_tableau_checks() {
        let now = Utc::now();
        let token = app().jwt(Scope::SYNC, now, "jti-1").unwrap();
        let header = decode_header(token.expose()).unwrap();
        assert_eq!(header.kid.as_deref(), Some("kid-1"));
        let mut v = Validation::new(Algorithm::HS256);
        v.set_audience(&["tableau"]);
        let data = decode::<serde_json::Value>(
            token.expose(),
            &DecodingKey::from_secret(b"s3cret-value"),
            &v,
        )
        .unwrap();
        let c = data.claims;
        assert_eq!(c["iss"], "client-1");
        assert_eq!(c["sub"], "admin");
        assert_eq!(c["jti"], "jti-1");
        assert_eq!(
            c["scp"],
            serde_json::json!([
                "tableau:users:read",
                "tableau:groups:read",
                "tableau:content:read",
                "tableau:flows:read"
            ])
        );
        let exp = c["exp"].as_i64().unwrap();
        assert!(exp > now.timestamp() && exp <= now.timestamp() + 600);
        let raw_header = token.expose().split('.').next().unwrap();
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(raw_header).unwrap()).unwrap();
        assert_eq!(header["iss"], "client-1");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let pat = Credential::Pat {
            name: "admin-pat".into(),
            secret: Secret::new("pat-secret-value"),
        };
        for c in [pat, app()] {
            let shown = format!("{c:?}");
            assert!(!shown.contains("secret-value"), "{shown}");
        }
    }

    #[test]
    fn missing_secret_names_the_variable() {
        let err = read_secret("TABGOV_TEST_UNSET_VARIABLE", None, "PAT secret").unwrap_err();
        assert!(err.to_string().contains("TABGOV_TEST_UNSET_VARIABLE"));
    }
}
