//! Access review: the entitlements a reviewer decides on, and what a revoke does.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Account, Group};

/// What a review row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntitlementKind {
    /// The account itself: revoking it removes the user from the site.
    Account,
    SiteRole,
    License,
    Group,
}

impl EntitlementKind {
    pub const ALL: [EntitlementKind; 4] = [
        EntitlementKind::Account,
        EntitlementKind::SiteRole,
        EntitlementKind::License,
        EntitlementKind::Group,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntitlementKind::Account => "account",
            EntitlementKind::SiteRole => "site_role",
            EntitlementKind::License => "license",
            EntitlementKind::Group => "group",
        }
    }

    /// What revoking this kind of entitlement does in Tableau.
    pub fn revoke_action(self) -> RevokeAction {
        match self {
            EntitlementKind::Account => RevokeAction::Deprovision,
            EntitlementKind::SiteRole | EntitlementKind::License => RevokeAction::Suspend,
            EntitlementKind::Group => RevokeAction::RemoveMembership,
        }
    }
}

impl FromStr for EntitlementKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EntitlementKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown entitlement kind {s:?}: use account, site_role, license or group")
            })
    }
}

impl fmt::Display for EntitlementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Tableau change a revoke decision turns into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevokeAction {
    Suspend,
    RemoveMembership,
    Deprovision,
}

/// One entitlement of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entitlement {
    pub kind: EntitlementKind,
    pub value: String,
    /// `direct`, or `group:NAME` when a grant-licence group gives it.
    pub granted_by: String,
}

/// Every entitlement of an account: the account, its site role, its licence,
/// and each explicit group membership. The site role and licence count as
/// granted by a group when one of the account's grant-licence groups has that
/// role as its minimum.
pub fn entitlements_of(account: &Account, groups: &[&Group]) -> Vec<Entitlement> {
    let granting = groups
        .iter()
        .find(|g| g.relicenses_to() == Some(&account.site_role))
        .map(|g| format!("group:{}", g.name))
        .unwrap_or_else(|| "direct".to_owned());
    let mut out = vec![
        Entitlement {
            kind: EntitlementKind::Account,
            value: account.name.clone(),
            granted_by: "direct".to_owned(),
        },
        Entitlement {
            kind: EntitlementKind::SiteRole,
            value: account.site_role.to_string(),
            granted_by: granting.clone(),
        },
        Entitlement {
            kind: EntitlementKind::License,
            value: account.license().to_string(),
            granted_by: granting,
        },
    ];
    out.extend(groups.iter().map(|g| Entitlement {
        kind: EntitlementKind::Group,
        value: g.name.clone(),
        granted_by: "direct".to_owned(),
    }));
    out
}

/// A reviewer's decision on one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Left blank: not reviewed, nothing happens.
    Undecided,
    Keep,
    Revoke,
}

impl FromStr for Decision {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(Decision::Undecided),
            "keep" | "approve" => Ok(Decision::Keep),
            "revoke" | "remove" => Ok(Decision::Revoke),
            other => Err(format!(
                "unknown decision {other:?}: use keep, revoke or leave it empty"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GrantLicenseMode, SiteRole};

    fn account(role: SiteRole) -> Account {
        Account::for_test("u", "alice", role)
    }

    fn group(name: &str, min: Option<SiteRole>) -> Group {
        Group {
            id: name.into(),
            name: name.into(),
            domain: None,
            grant_license_mode: min.as_ref().map(|_| GrantLicenseMode::OnLogin),
            minimum_site_role: min,
        }
    }

    #[test]
    fn one_row_per_entitlement_with_how_it_is_granted() {
        let sales = group("Sales", None);
        let analysts = group("Analysts", Some(SiteRole::Explorer));
        let rows = entitlements_of(&account(SiteRole::Explorer), &[&sales, &analysts]);
        let flat: Vec<_> = rows
            .iter()
            .map(|e| (e.kind.as_str(), e.value.as_str(), e.granted_by.as_str()))
            .collect();
        assert_eq!(
            flat,
            [
                ("account", "alice", "direct"),
                ("site_role", "Explorer", "group:Analysts"),
                ("license", "Explorer", "group:Analysts"),
                ("group", "Sales", "direct"),
                ("group", "Analysts", "direct"),
            ]
        );
        let direct = entitlements_of(&account(SiteRole::Creator), &[&analysts]);
        assert_eq!(direct[1].granted_by, "direct");
    }

    #[test]
    fn decisions_parse_and_revokes_map_to_actions() {
        let cases = [
            ("", Decision::Undecided),
            ("Keep", Decision::Keep),
            (" revoke ", Decision::Revoke),
        ];
        for (s, d) in cases {
            assert_eq!(s.parse::<Decision>(), Ok(d));
        }
        assert!("maybe".parse::<Decision>().is_err());
        let actions = [
            (EntitlementKind::Account, RevokeAction::Deprovision),
            (EntitlementKind::SiteRole, RevokeAction::Suspend),
            (EntitlementKind::License, RevokeAction::Suspend),
            (EntitlementKind::Group, RevokeAction::RemoveMembership),
        ];
        for (kind, action) in actions {
            assert_eq!(kind.revoke_action(), action);
            assert_eq!(kind.as_str().parse::<EntitlementKind>(), Ok(kind));
        }
    }
}
