//! Sessions: tokens with a lifetime, one live session per PAT.

use rand::{distr::Alphanumeric, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Index of the site signed into.
    pub site: usize,
    /// Signed-in user's LUID.
    pub user_id: String,
    /// Signed-in user's name (kept for switchSite).
    pub user_name: String,
    /// When the token stops working.
    pub expires: Instant,
    /// The PAT used, if any (one session per PAT).
    pub pat: Option<String>,
    /// JWT scopes; `None` means unrestricted (PAT or password).
    pub scopes: Option<Vec<String>>,
}

/// Why a token opens no session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The token's session outlived its lifetime.
    Expired,
    /// Never issued, signed out, or ended by another sign-in with its PAT.
    Unknown,
}

/// Every live session.
#[derive(Debug)]
pub struct Sessions {
    by_token: HashMap<String, Session>,
    by_pat: HashMap<String, String>,
    rng: ChaCha8Rng,
}

impl Sessions {
    /// An empty table whose tokens derive from `seed`.
    pub fn new(seed: u64) -> Self {
        Sessions {
            by_token: HashMap::new(),
            by_pat: HashMap::new(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x0070_C311),
        }
    }

    /// Opens a session; a PAT's earlier session ends.
    pub fn open(&mut self, s: Session, ttl: Duration) -> String {
        let token: String = (&mut self.rng)
            .sample_iter(&Alphanumeric)
            .take(32)
            .map(char::from)
            .collect();
        if let Some(p) = &s.pat {
            if let Some(old) = self.by_pat.insert(p.clone(), token.clone()) {
                self.by_token.remove(&old);
            }
        }
        let mut s = s;
        s.expires = Instant::now() + ttl;
        self.by_token.insert(token.clone(), s);
        token
    }

    /// The live session of a token. An expired one stays known as expired
    /// until its PAT signs in again or it is signed out.
    pub fn get(&mut self, token: &str) -> Result<Session, Ended> {
        let s = self.by_token.get(token).ok_or(Ended::Unknown)?;
        if s.expires <= Instant::now() {
            return Err(Ended::Expired);
        }
        Ok(s.clone())
    }

    /// Ends a session.
    pub fn close(&mut self, token: &str) {
        if let Some(s) = self.by_token.remove(token) {
            if let Some(p) = s.pat {
                if self.by_pat.get(&p).map(String::as_str) == Some(token) {
                    self.by_pat.remove(&p);
                }
            }
        }
    }

    /// Ends every session of a user (the user was removed).
    pub fn close_user(&mut self, site: usize, user_id: &str) {
        let gone: Vec<String> = self
            .by_token
            .iter()
            .filter(|(_, s)| s.site == site && s.user_id == user_id)
            .map(|(t, _)| t.clone())
            .collect();
        for t in gone {
            self.close(&t);
        }
    }
}
