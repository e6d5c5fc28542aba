//! A Tableau user as tabgov sees it on one site.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AccountStatus, License, SiteRole};

/// One user of one site, as the last complete listing returned it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Tableau's user LUID.
    pub id: String,
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

    /// Whole days since the last interactive sign-in, `None` if never.
    pub fn days_inactive(&self, now: DateTime<Utc>) -> Option<i64> {
        self.last_login.map(|t| (now - t).num_days().max(0))
    }
}

/// A bare account for tests: the id is also the name, nothing optional set.
#[cfg(test)]
pub(crate) fn bare_account(id: &str, role: SiteRole) -> Account {
    Account {
        id: id.into(),
        name: id.into(),
        email: None,
        full_name: None,
        site_role: role,
        last_login: None,
        auth_setting: None,
        domain: None,
        identity: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> Account {
        Account {
            id: "dd2239f6".into(),
            name: "alice".into(),
            email: Some("Alice@Example.com".into()),
            full_name: Some("Alice Cook".into()),
            site_role: SiteRole::Creator,
            last_login: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            auth_setting: None,
            domain: Some("local".into()),
            identity: Default::default(),
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
