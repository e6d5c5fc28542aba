//! The change feed: what happened to accounts between two complete syncs.

use serde::{Deserialize, Serialize};

use crate::{Account, GroupId, License, SiteRole, UserId};

/// One change to one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub user_id: UserId,
    /// The account's sign-in name (the new one for a rename).
    pub user_name: String,
    pub kind: ChangeKind,
}

impl Change {
    /// A change of `kind` to `account`, named as it is now.
    pub fn of(account: &Account, kind: ChangeKind) -> Change {
        Change {
            user_id: account.id.clone(),
            user_name: account.name.clone(),
            kind,
        }
    }

    /// `account` appeared on the site with its current role.
    pub fn joined(account: &Account) -> Change {
        Change::of(
            account,
            ChangeKind::Joined {
                site_role: account.site_role.clone(),
            },
        )
    }
}

/// What changed.
///
/// A site-role move is reported once, by its most significant effect:
/// `Suspended` (to an Unlicensed role) before `Reactivated` (from one) before
/// `LicenseChanged` before a plain `SiteRoleChanged`. A joiner's initial
/// groups and a leaver's last groups are part of `Joined`/`Left`, not
/// separate group events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    Joined {
        site_role: SiteRole,
    },
    /// The account is no longer returned: Deprovisioned.
    Left {
        site_role: SiteRole,
    },
    Suspended {
        from: SiteRole,
        to: SiteRole,
    },
    Reactivated {
        from: SiteRole,
        to: SiteRole,
    },
    LicenseChanged {
        from: SiteRole,
        to: SiteRole,
        from_license: License,
        to_license: License,
    },
    SiteRoleChanged {
        from: SiteRole,
        to: SiteRole,
    },
    GroupAdded {
        group_id: GroupId,
        group_name: String,
    },
    GroupRemoved {
        group_id: GroupId,
        group_name: String,
    },
    EmailChanged {
        from: Option<String>,
        to: Option<String>,
    },
    NameChanged {
        from: String,
        to: String,
    },
    FullNameChanged {
        from: Option<String>,
        to: Option<String>,
    },
}

impl ChangeKind {
    /// Stable snake_case name, used in the store and in output.
    pub fn name(&self) -> &'static str {
        match self {
            ChangeKind::Joined { .. } => "joined",
            ChangeKind::Left { .. } => "left",
            ChangeKind::Suspended { .. } => "suspended",
            ChangeKind::Reactivated { .. } => "reactivated",
            ChangeKind::LicenseChanged { .. } => "license_changed",
            ChangeKind::SiteRoleChanged { .. } => "site_role_changed",
            ChangeKind::GroupAdded { .. } => "group_added",
            ChangeKind::GroupRemoved { .. } => "group_removed",
            ChangeKind::EmailChanged { .. } => "email_changed",
            ChangeKind::NameChanged { .. } => "name_changed",
            ChangeKind::FullNameChanged { .. } => "full_name_changed",
        }
    }

    /// Rank in the feed's order within one account.
    pub(crate) fn rank(&self) -> u8 {
        match self {
            ChangeKind::Joined { .. } => 0,
            ChangeKind::Left { .. } => 1,
            ChangeKind::Suspended { .. } => 2,
            ChangeKind::Reactivated { .. } => 3,
            ChangeKind::LicenseChanged { .. } => 4,
            ChangeKind::SiteRoleChanged { .. } => 5,
            ChangeKind::NameChanged { .. } => 6,
            ChangeKind::EmailChanged { .. } => 7,
            ChangeKind::FullNameChanged { .. } => 8,
            ChangeKind::GroupAdded { .. } => 9,
            ChangeKind::GroupRemoved { .. } => 10,
        }
    }

    /// The value before the change, as text (for tables and CSV).
    pub fn from_value(&self) -> Option<String> {
        match self {
            ChangeKind::Joined { .. } | ChangeKind::GroupAdded { .. } => None,
            ChangeKind::Left { site_role } => Some(site_role.to_string()),
            ChangeKind::Suspended { from, .. }
            | ChangeKind::Reactivated { from, .. }
            | ChangeKind::LicenseChanged { from, .. }
            | ChangeKind::SiteRoleChanged { from, .. } => Some(from.to_string()),
            ChangeKind::GroupRemoved { group_name, .. } => Some(group_name.clone()),
            ChangeKind::EmailChanged { from, .. } | ChangeKind::FullNameChanged { from, .. } => {
                from.clone()
            }
            ChangeKind::NameChanged { from, .. } => Some(from.clone()),
        }
    }

    /// The value after the change, as text (for tables and CSV).
    pub fn to_value(&self) -> Option<String> {
        match self {
            ChangeKind::Joined { site_role } => Some(site_role.to_string()),
            ChangeKind::Left { .. } | ChangeKind::GroupRemoved { .. } => None,
            ChangeKind::Suspended { to, .. }
            | ChangeKind::Reactivated { to, .. }
            | ChangeKind::LicenseChanged { to, .. }
            | ChangeKind::SiteRoleChanged { to, .. } => Some(to.to_string()),
            ChangeKind::GroupAdded { group_name, .. } => Some(group_name.clone()),
            ChangeKind::EmailChanged { to, .. } | ChangeKind::FullNameChanged { to, .. } => {
                to.clone()
            }
            ChangeKind::NameChanged { to, .. } => Some(to.clone()),
        }
    }

    /// The group concerned, for group events.
    pub fn group_id(&self) -> Option<&GroupId> {
        match self {
            ChangeKind::GroupAdded { group_id, .. } | ChangeKind::GroupRemoved { group_id, .. } => {
                Some(group_id)
            }
            _ => None,
        }
    }

    /// Classifies a site-role move by its most significant effect.
    pub fn for_role_move(from: &SiteRole, to: &SiteRole) -> Option<ChangeKind> {
        if from == to {
            return None;
        }
        let (from, to) = (from.clone(), to.clone());
        Some(if to.is_unlicensed() && !from.is_unlicensed() {
            ChangeKind::Suspended { from, to }
        } else if from.is_unlicensed() && !to.is_unlicensed() {
            ChangeKind::Reactivated { from, to }
        } else if from.license() != to.license() {
            ChangeKind::LicenseChanged {
                from_license: from.license(),
                to_license: to.license(),
                from,
                to,
            }
        } else {
            ChangeKind::SiteRoleChanged { from, to }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_moves_are_classified_by_most_significant_effect() {
        use SiteRole::*;
        let cases = [
            (Creator, Unlicensed, Some("suspended")),
            (Viewer, UnlicensedWithPublish, Some("suspended")),
            (Unlicensed, Viewer, Some("reactivated")),
            (UnlicensedWithPublish, Creator, Some("reactivated")),
            (Viewer, Creator, Some("license_changed")),
            (Explorer, Interactor, Some("license_changed")),
            (Explorer, ExplorerCanPublish, Some("site_role_changed")),
            (Creator, SiteAdministratorCreator, Some("site_role_changed")),
            (Unlicensed, UnlicensedWithPublish, Some("site_role_changed")),
            (Interactor, Publisher, Some("site_role_changed")),
            (Viewer, Viewer, None),
        ];
        for (from, to, expected) in cases {
            let got = ChangeKind::for_role_move(&from, &to).map(|k| k.name());
            assert_eq!(got, expected, "{from} -> {to}");
        }
    }

    #[test]
    fn values_read_as_before_and_after() {
        let k = ChangeKind::for_role_move(&SiteRole::Creator, &SiteRole::Unlicensed).unwrap();
        assert_eq!(k.from_value().as_deref(), Some("Creator"));
        assert_eq!(k.to_value().as_deref(), Some("Unlicensed"));
        let g = ChangeKind::GroupAdded {
            group_id: "g1".into(),
            group_name: "Sales".into(),
        };
        assert_eq!((g.from_value(), g.to_value()), (None, Some("Sales".into())));
        assert_eq!(g.group_id().map(GroupId::as_str), Some("g1"));
    }
}
