//! A Tableau user as tabgov sees it on one site.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AccountStatus, License, SiteRole, UserId};

/// One user of one site, as the last complete listing returned it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Tableau's user LUID.
    pub id: UserId,
    /// The sign-in name (`name` on the wire).
    pub name: String,
    /// Only returned with `fields=_all_`; absent on some identity stores.
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub site_role: SiteRole,
    /// `None` means the user never signed in interactively.
    pub last_login: Option<DateTime<Utc>>,
    pub auth_setting: Option<String>,
    /// Identity-store domain (`local` for local users).
    pub domain: Option<String>,
    /// Where and how the user signs in, and their language settings (boxed:
    /// mostly absent, and an account is moved around a lot).
    #[serde(flatten)]
    pub identity: Box<SignInIdentity>,
}

/// What Tableau reports about a user's identity provider and language.
/// Empty attributes are kept as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInIdentity {
    /// The identity-provider configuration the user signs in with (Tableau
    /// Cloud, API 3.24 and later; `authSetting` may then be empty).
    pub idp_configuration_id: Option<String>,
    /// The user's id at the external identity provider.
    pub external_auth_user_id: Option<String>,
    pub language: Option<String>,
    pub locale: Option<String>,
}

impl Account {
    /// The licence the account's site role consumes.
    pub fn license(&self) -> License {
        self.site_role.license()
    }

    /// The status of an account Tableau still returns.
    pub fn status(&self) -> AccountStatus {
        self.site_role.status()
    }

    /// True when `query` names this account by id, sign-in name or email
    /// (name and email compared case-insensitively, as Tableau does).
    pub fn matches(&self, query: &str) -> bool {
        self.id == query
            || self.name.eq_ignore_ascii_case(query)
            || self
                .email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(query))
    }

    /// An account for tests and examples: an id, a sign-in name and a site
    /// role, nothing else set (no email, never signed in, no domain). The
    /// one way tests across the workspace build an account, so a new field
    /// is added here once; set more with struct update syntax:
    ///
    /// ```
    /// use tabgov_mapping::{Account, SiteRole};
    ///
    /// let alice = Account {
    ///     email: Some("alice@example.com".into()),
    ///     ..Account::for_test("u1", "alice", SiteRole::Creator)
    /// };
    /// assert!(alice.matches("Alice@Example.com"));
    /// assert_eq!(alice.last_login, None);
    /// ```
    pub fn for_test(
        id: impl Into<UserId>,
        name: impl Into<String>,
        site_role: SiteRole,
    ) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            email: None,
            full_name: None,
            site_role,
            last_login: None,
            auth_setting: None,
            domain: None,
            identity: Box::default(),
        }
    }

    /// Whole days since the last interactive sign-in, `None` if never.
    pub fn days_inactive(&self, now: DateTime<Utc>) -> Option<i64> {
        self.last_login.map(|t| (now - t).num_days().max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> Account {
        Account {
            email: Some("Alice@Example.com".into()),
            full_name: Some("Alice Cook".into()),
            last_login: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            domain: Some("local".into()),
            ..Account::for_test("dd2239f6", "alice", SiteRole::Creator)
        }
    }

    #[test]
    fn matches_by_id_name_or_email() {
        let a = alice();
        for query in ["dd2239f6", "alice", "ALICE", "alice@example.com"] {
            assert!(a.matches(query), "{query}");
        }
        for query in ["dd2239", "bob", "example.com"] {
            assert!(!a.matches(query), "{query}");
        }
    }

    #[test]
    fn days_inactive_counts_whole_days_and_none_for_never() {
        let a = alice();
        let now = "2026-01-31T12:00:00Z".parse().unwrap();
        assert_eq!(a.days_inactive(now), Some(30));
        let never = Account {
            last_login: None,
            ..a
        };
        assert_eq!(never.days_inactive(now), None);
    }
}
