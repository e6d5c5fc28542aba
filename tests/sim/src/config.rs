//! Simulator configuration: what to seed, which credentials exist, which faults
//! to inject. The binary's flags map one to one onto these fields.

use std::net::SocketAddr;
use std::time::Duration;

/// A personal access token and the user it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatCred {
    /// Token name.
    pub name: String,
    /// Token secret.
    pub secret: String,
    /// Name of the user signed in by this token (present on every site).
    pub owner: String,
}

/// A connected app (direct trust) able to sign JWTs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectedApp {
    /// Client id: the JWT `iss`.
    pub client_id: String,
    /// Secret id: the JWT header `kid`.
    pub secret_id: String,
    /// Secret value: the HS256 key.
    pub secret: String,
    /// Whether the app is enabled; a disabled app's JWTs get sub-code 10090.
    pub enabled: bool,
}

/// Everything the simulator needs to start. `Default` is one default site
/// (`""`), just the admin user, seed 1, API 3.21, no faults, 240-minute tokens
/// and the PAT `admin-pat`/`admin-secret` owned by `admin`.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; `None` means `127.0.0.1:0`.
    pub addr: Option<SocketAddr>,
    /// Site content URLs (`""` is the default site).
    pub sites: Vec<String>,
    /// Seeded users per site (besides `admin`).
    pub users: usize,
    /// Seeded groups per site (besides `All Users`).
    pub groups: usize,
    /// Group memberships per seeded user (besides `All Users`).
    pub memberships_per_user: usize,
    /// Share of seeded users owning at least one content item.
    pub owners_fraction: f64,
    /// Seed of every random choice (data, ids, faults).
    pub seed: u64,
    /// Latency added to every API request.
    pub latency_ms: u64,
    /// Share of API requests answered 429.
    pub rate_429: f64,
    /// Share of API requests answered 500 or 503.
    pub rate_5xx: f64,
    /// Requests per second above which requests get 429.
    pub max_rps: Option<u32>,
    /// Whether sign-in requests may also be hit by faults.
    pub faults_on_signin: bool,
    /// `Retry-After` seconds carried by some 429s.
    pub retry_after_secs: u64,
    /// Session lifetime.
    pub token_ttl: Duration,
    /// Answer an expired session `401000`, as Tableau Cloud does, instead
    /// of `401002`.
    pub expired_session_401000: bool,
    /// REST API version `serverinfo` reports, the highest accepted.
    pub api_version: String,
    /// Personal access tokens.
    pub pats: Vec<PatCred>,
    /// Passwords by user name.
    pub passwords: Vec<(String, String)>,
    /// Connected apps.
    pub connected_apps: Vec<ConnectedApp>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            addr: None,
            sites: vec![String::new()],
            users: 0,
            groups: 0,
            memberships_per_user: 2,
            owners_fraction: 0.2,
            seed: 1,
            latency_ms: 0,
            rate_429: 0.0,
            rate_5xx: 0.0,
            max_rps: None,
            faults_on_signin: false,
            retry_after_secs: 1,
            token_ttl: Duration::from_secs(240 * 60),
            expired_session_401000: false,
            api_version: "3.21".to_string(),
            pats: vec![PatCred {
                name: "admin-pat".into(),
                secret: "admin-secret".into(),
                owner: "admin".into(),
            }],
            passwords: Vec::new(),
            connected_apps: Vec::new(),
        }
    }
}

impl SimConfig {
    /// Same as `Default`.
    pub fn new() -> Self {
        Self::default()
    }
    /// Address to bind.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = Some(addr);
        self
    }
    /// Site content URLs.
    pub fn sites(mut self, sites: Vec<String>) -> Self {
        self.sites = sites;
        self
    }
    /// Seeded users per site.
    pub fn users(mut self, n: usize) -> Self {
        self.users = n;
        self
    }
    /// Seeded groups per site.
    pub fn groups(mut self, n: usize) -> Self {
        self.groups = n;
        self
    }
    /// Memberships per seeded user.
    pub fn memberships_per_user(mut self, n: usize) -> Self {
        self.memberships_per_user = n;
        self
    }
    /// Share of users owning content.
    pub fn owners_fraction(mut self, f: f64) -> Self {
        self.owners_fraction = f;
        self
    }
    /// Random seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Latency per API request.
    pub fn latency_ms(mut self, ms: u64) -> Self {
        self.latency_ms = ms;
        self
    }
    /// Share of 429 answers.
    pub fn rate_429(mut self, f: f64) -> Self {
        self.rate_429 = f;
        self
    }
    /// Share of 500/503 answers.
    pub fn rate_5xx(mut self, f: f64) -> Self {
        self.rate_5xx = f;
        self
    }
    /// Requests-per-second cap (429 above it).
    pub fn max_rps(mut self, rps: Option<u32>) -> Self {
        self.max_rps = rps;
        self
    }
    /// Let faults hit sign-in too.
    pub fn faults_on_signin(mut self, on: bool) -> Self {
        self.faults_on_signin = on;
        self
    }
    /// `Retry-After` seconds on the 429s that carry one.
    pub fn retry_after_secs(mut self, secs: u64) -> Self {
        self.retry_after_secs = secs;
        self
    }
    /// Session lifetime.
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }
    /// Answer expired sessions `401000` (Tableau Cloud) instead of `401002`.
    pub fn expired_session_401000(mut self, on: bool) -> Self {
        self.expired_session_401000 = on;
        self
    }
    /// API version reported and accepted.
    pub fn api_version(mut self, v: &str) -> Self {
        self.api_version = v.to_string();
        self
    }
    /// Adds a PAT owned by `admin`.
    pub fn pat(self, name: &str, secret: &str) -> Self {
        self.pat_for(name, secret, "admin")
    }
    /// Adds a PAT owned by the named user.
    pub fn pat_for(mut self, name: &str, secret: &str, owner: &str) -> Self {
        self.pats.retain(|p| p.name != name);
        self.pats.push(PatCred {
            name: name.into(),
            secret: secret.into(),
            owner: owner.into(),
        });
        self
    }
    /// Drops every PAT (including the default one).
    pub fn no_pats(mut self) -> Self {
        self.pats.clear();
        self
    }
    /// Sets a user's password (the user must exist on the site signed into).
    pub fn user_password(mut self, name: &str, password: &str) -> Self {
        self.passwords.retain(|(n, _)| n != name);
        self.passwords.push((name.into(), password.into()));
        self
    }
    /// Adds a connected app.
    pub fn connected_app(mut self, client_id: &str, secret_id: &str, secret: &str) -> Self {
        self.connected_apps.push(ConnectedApp {
            client_id: client_id.into(),
            secret_id: secret_id.into(),
            secret: secret.into(),
            enabled: true,
        });
        self
    }
    /// Disables the connected app with `client_id` (added before).
    pub fn disable_connected_app(mut self, client_id: &str) -> Self {
        for app in &mut self.connected_apps {
            if app.client_id == client_id {
                app.enabled = false;
            }
        }
        self
    }
}

/// Parses an API version such as `3.21` into comparable numbers (3.10 > 3.9).
pub fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (a, b) = v.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(parse_version("3.10").unwrap() > parse_version("3.9").unwrap());
        assert_eq!(parse_version("x"), None);
    }
}
