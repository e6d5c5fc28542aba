//! Bearer tokens of the service's callers. Only SHA-256 hashes are kept
//! (the file can be read by operators without handing out access), and a
//! presented token is compared against every hash in constant time, so
//! neither the answer nor its timing says which tokens exist.

use std::fmt;

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What a token may do. `act` includes `read`: a caller that offboards
/// needs to follow its jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// GET the API: sites, accounts, groups, changes, reports, journal, jobs.
    Read,
    /// Read, offboard and trigger syncs.
    Act,
    /// The SCIM 2.0 endpoints, and nothing else.
    Scim,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Act => "act",
            Scope::Scim => "scim",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        match text {
            "read" => Some(Scope::Read),
            "act" => Some(Scope::Act),
            "scim" => Some(Scope::Scim),
            _ => None,
        }
    }

    /// Whether a token of this scope may call an endpoint needing `needed`.
    pub fn covers(self, needed: Scope) -> bool {
        self == needed || (self == Scope::Act && needed == Scope::Read)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One caller: a name for logs and the journal, a scope, a hash.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenEntry {
    pub name: String,
    pub scope: Scope,
    hash: [u8; 32],
}

impl fmt::Debug for TokenEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEntry")
            .field("name", &self.name)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// Every accepted token.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    entries: Vec<TokenEntry>,
}

impl Tokens {
    /// Reads token lines: `NAME SCOPE sha256:HEX`, `#` comments and blank
    /// lines skipped. `origin` names the file or variable in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Tokens, String> {
        let mut entries: Vec<TokenEntry> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |what: &str| format!("{origin} line {}: {what}", n + 1);
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [name, scope, hash] = fields[..] else {
                return Err(at(
                    "expected `NAME SCOPE sha256:HEX` (make one with `tabgov token new`)",
                ));
            };
            let scope = Scope::parse(scope)
                .ok_or_else(|| at(&format!("unknown scope {scope:?}: use read, act or scim")))?;
            let hash = hash
                .strip_prefix("sha256:")
                .and_then(|h| hex::decode(h).ok())
                .and_then(|h| <[u8; 32]>::try_from(h).ok())
                .ok_or_else(|| {
                    at("the hash must be sha256: and 64 hex digits, never the token itself")
                })?;
            if entries.iter().any(|e| e.name == name) {
                return Err(at(&format!("the name {name:?} is used twice")));
            }
            entries.push(TokenEntry {
                name: name.to_owned(),
                scope,
                hash,
            });
        }
        Ok(Tokens { entries })
    }

    /// Adds the entries of `other` (the file's and the variable's lines).
    pub fn extend(&mut self, other: Tokens) -> Result<(), String> {
        for e in other.entries {
            if self.entries.iter().any(|x| x.name == e.name) {
                return Err(format!("the token name {:?} is used twice", e.name));
            }
            self.entries.push(e);
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The caller presenting `token`, if any. Every entry is compared,
    /// whatever matched, so the time taken says nothing.
    pub fn find(&self, token: &str) -> Option<&TokenEntry> {
        let presented = hash_token(token);
        let mut found = None;
        for entry in &self.entries {
            if bool::from(entry.hash.ct_eq(&presented)) {
                found = Some(entry);
            }
        }
        found
    }
}

fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A new random token (256 bits, URL-safe) and the line that admits it.
pub fn new_token(name: &str, scope: Scope) -> (String, String) {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!(
        "tgv_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let line = format!("{name} {scope} sha256:{}", hex::encode(hash_token(&token)));
    (token, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_is_admitted_by_its_line_only() {
        let (token, line) = new_token("okta", Scope::Act);
        let tokens = Tokens::parse(&format!("# callers\n\n{line}\n"), "tokens").unwrap();
        let entry = tokens.find(&token).unwrap();
        assert_eq!((entry.name.as_str(), entry.scope), ("okta", Scope::Act));
        assert!(tokens.find("tgv_guess").is_none());
        assert!(tokens.find("").is_none());
        assert!(!line.contains(&token), "the line never holds the token");
        assert!(!format!("{tokens:?}").contains("sha256"));
    }

    #[test]
    fn act_covers_read_and_nothing_covers_scim_but_scim() {
        let table = [
            (Scope::Read, Scope::Read, true),
            (Scope::Read, Scope::Act, false),
            (Scope::Act, Scope::Read, true),
            (Scope::Act, Scope::Act, true),
            (Scope::Act, Scope::Scim, false),
            (Scope::Scim, Scope::Read, false),
            (Scope::Scim, Scope::Scim, true),
        ];
        for (has, needed, ok) in table {
            assert_eq!(has.covers(needed), ok, "{has} covers {needed}");
        }
    }

    #[test]
    fn bad_lines_name_their_line_and_the_fix() {
        let cases = [
            ("a read", "line 1: expected"),
            ("a write sha256:00", "unknown scope \"write\""),
            ("a read hunter2", "never the token itself"),
            ("a read sha256:abcd", "64 hex digits"),
        ];
        for (text, expected) in cases {
            let err = Tokens::parse(text, "tokens.txt").unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
            assert!(err.starts_with("tokens.txt line 1"), "{err}");
        }
        let (_, line) = new_token("a", Scope::Read);
        let twice = format!("{line}\n{line}");
        assert!(Tokens::parse(&twice, "t")
            .unwrap_err()
            .contains("line 2: the name \"a\" is used twice"));
    }
}
