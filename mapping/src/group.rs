//! Groups and memberships: the entitlements an account gets through a group.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{GroupId, SiteRole};

/// The name of the group every user of a site is implicitly in.
pub const ALL_USERS: &str = "All Users";

/// The domain of groups created in Tableau itself.
pub const LOCAL_DOMAIN: &str = "local";

/// True when a group of `domain` is synchronised from a directory (Active
/// Directory, LDAP, an identity provider): any domain but `local`.
/// Memberships removed in Tableau come back at the next directory sync.
pub fn is_directory_domain(domain: Option<&str>) -> bool {
    domain.is_some_and(|d| !d.is_empty() && d != LOCAL_DOMAIN)
}

/// When Tableau applies a group's minimum site role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GrantLicenseMode {
    /// Raised when the user next signs in interactively.
    OnLogin,
    /// Raised when the group is next synchronised from Active Directory.
    OnSync,
    /// A mode this version does not know, verbatim.
    Other(String),
}

impl GrantLicenseMode {
    pub fn parse(s: &str) -> GrantLicenseMode {
        match s {
            "onLogin" => GrantLicenseMode::OnLogin,
            "onSync" => GrantLicenseMode::OnSync,
            other => GrantLicenseMode::Other(other.to_owned()),
        }
    }

    /// Tableau's wire string.
    pub fn as_str(&self) -> &str {
        match self {
            GrantLicenseMode::OnLogin => "onLogin",
            GrantLicenseMode::OnSync => "onSync",
            GrantLicenseMode::Other(s) => s,
        }
    }
}

impl fmt::Display for GrantLicenseMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A group of one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Tableau's group LUID.
    pub id: GroupId,
    pub name: String,
    pub domain: Option<String>,
    /// The role Tableau grants members (grant licence on sign-in or on sync).
    pub minimum_site_role: Option<SiteRole>,
    pub grant_license_mode: Option<GrantLicenseMode>,
}

impl Group {
    /// True for the implicit group every user belongs to.
    pub fn is_all_users(&self) -> bool {
        self.name == ALL_USERS
    }

    /// True when the group is synchronised from a directory: a membership
    /// removed in Tableau comes back at the next sync.
    pub fn is_directory_synced(&self) -> bool {
        is_directory_domain(self.domain.as_deref())
    }

    /// The licensed role this group would give an Unlicensed member back,
    /// which is what makes a suspension "not stick".
    pub fn relicenses_to(&self) -> Option<&SiteRole> {
        self.minimum_site_role
            .as_ref()
            .filter(|role| !role.is_unlicensed())
            .filter(|_| self.grant_license_mode.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(role: Option<SiteRole>, mode: Option<GrantLicenseMode>) -> Group {
        Group {
            id: "g".into(),
            name: "Analysts".into(),
            domain: Some("local".into()),
            minimum_site_role: role,
            grant_license_mode: mode,
        }
    }

    #[test]
    fn grant_license_groups_relicense_to_their_minimum_role() {
        let cases = [
            (
                Some(SiteRole::Explorer),
                Some(GrantLicenseMode::OnLogin),
                Some(SiteRole::Explorer),
            ),
            (
                Some(SiteRole::Viewer),
                Some(GrantLicenseMode::OnSync),
                Some(SiteRole::Viewer),
            ),
            (
                Some(SiteRole::Unlicensed),
                Some(GrantLicenseMode::OnLogin),
                None,
            ),
            (Some(SiteRole::Creator), None, None),
            (None, None, None),
        ];
        for (role, mode, expected) in cases {
            let g = group(role, mode);
            assert_eq!(g.relicenses_to(), expected.as_ref(), "{g:?}");
        }
    }

    #[test]
    fn only_groups_of_a_directory_are_synced() {
        for (domain, synced) in [
            (Some("local"), false),
            (None, false),
            (Some(""), false),
            (Some("example.com"), true),
            (Some("EXAMPLE"), true),
        ] {
            let g = Group {
                domain: domain.map(Into::into),
                ..group(None, None)
            };
            assert_eq!(g.is_directory_synced(), synced, "{domain:?}");
        }
    }

    #[test]
    fn grant_license_mode_round_trips() {
        for s in ["onLogin", "onSync", "onSomethingElse"] {
            assert_eq!(GrantLicenseMode::parse(s).as_str(), s);
        }
    }
}
