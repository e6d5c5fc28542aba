//! Tableau site roles, kept verbatim so that nothing Tableau sends is lost.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{AccountStatus, License};

/// A Tableau site role.
///
/// Tableau adds roles over time and old servers still return legacy ones, so an
/// unrecognised string is never rejected: it is kept in [`SiteRole::Other`] and
/// printed back exactly as it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SiteRole {
    Creator,
    Explorer,
    ExplorerCanPublish,
    SiteAdministratorCreator,
    SiteAdministratorExplorer,
    Viewer,
    Unlicensed,
    ServerAdministrator,
    SupportUser,
    Guest,
    ReadOnly,
    /// Legacy (before 2018.1).
    Interactor,
    /// Legacy (before 2018.1).
    Publisher,
    /// Legacy (before 2018.1).
    SiteAdministrator,
    /// Legacy (before 2018.1).
    ViewerWithPublish,
    /// Legacy (before 2018.1).
    UnlicensedWithPublish,
    /// Any role this version does not know, verbatim.
    Other(String),
}

/// Every role Tableau documents, with its exact wire string.
const KNOWN: &[(&str, SiteRole)] = &[
    ("Creator", SiteRole::Creator),
    ("Explorer", SiteRole::Explorer),
    ("ExplorerCanPublish", SiteRole::ExplorerCanPublish),
    (
        "SiteAdministratorCreator",
        SiteRole::SiteAdministratorCreator,
    ),
    (
        "SiteAdministratorExplorer",
        SiteRole::SiteAdministratorExplorer,
    ),
    ("Viewer", SiteRole::Viewer),
    ("Unlicensed", SiteRole::Unlicensed),
    ("ServerAdministrator", SiteRole::ServerAdministrator),
    ("SupportUser", SiteRole::SupportUser),
    ("Guest", SiteRole::Guest),
    ("ReadOnly", SiteRole::ReadOnly),
    ("Interactor", SiteRole::Interactor),
    ("Publisher", SiteRole::Publisher),
    ("SiteAdministrator", SiteRole::SiteAdministrator),
    ("ViewerWithPublish", SiteRole::ViewerWithPublish),
    ("UnlicensedWithPublish", SiteRole::UnlicensedWithPublish),
];

impl SiteRole {
    /// Every named (non-`Other`) role, in Tableau's documentation order.
    pub fn known() -> impl Iterator<Item = &'static SiteRole> {
        KNOWN.iter().map(|(_, role)| role)
    }

    /// Parses Tableau's string; never fails (unknown strings become `Other`).
    pub fn parse(s: &str) -> SiteRole {
        KNOWN
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, role)| role.clone())
            .unwrap_or_else(|| SiteRole::Other(s.to_owned()))
    }

    /// Whether a person who wrote `written` (a review sheet, a flag) means
    /// this role: a known role in any letter case, since spreadsheets and
    /// people change it; a role this version does not know by its text, in
    /// any case too. Tableau's own strings are parsed with [`SiteRole::parse`].
    pub fn is_written_as(&self, written: &str) -> bool {
        let written = written.trim();
        match KNOWN
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(written))
        {
            Some((_, role)) => self == role,
            None => matches!(self, SiteRole::Other(s) if s.eq_ignore_ascii_case(written)),
        }
    }

    /// The exact string Tableau uses for this role.
    pub fn as_str(&self) -> &str {
        match self {
            SiteRole::Other(s) => s,
            known => KNOWN
                .iter()
                .find(|(_, role)| role == known)
                .map(|(name, _)| *name)
                .unwrap_or_default(),
        }
    }

    /// The licence this role consumes (DESIGN.md, "The domain").
    pub fn license(&self) -> License {
        match self {
            SiteRole::Viewer | SiteRole::ViewerWithPublish => License::Viewer,
            // A Server administrator holds a Creator licence on Tableau
            // Server; the role itself is kept verbatim.
            SiteRole::Creator
            | SiteRole::SiteAdministratorCreator
            | SiteRole::ServerAdministrator => License::Creator,
            SiteRole::Explorer
            | SiteRole::ExplorerCanPublish
            | SiteRole::SiteAdministratorExplorer => License::Explorer,
            SiteRole::Unlicensed | SiteRole::UnlicensedWithPublish => License::Unlicensed,
            SiteRole::Interactor
            | SiteRole::Publisher
            | SiteRole::SiteAdministrator
            | SiteRole::Guest
            | SiteRole::ReadOnly
            | SiteRole::SupportUser
            | SiteRole::Other(_) => License::Unknown,
        }
    }

    /// The status of an account Tableau still returns with this role.
    pub fn status(&self) -> AccountStatus {
        if self.is_unlicensed() {
            AccountStatus::Suspended
        } else {
            AccountStatus::Active
        }
    }

    /// True for the roles a suspension sets (no licence consumed).
    pub fn is_unlicensed(&self) -> bool {
        matches!(self, SiteRole::Unlicensed | SiteRole::UnlicensedWithPublish)
    }

    /// True for roles that administer a site (the last one must never be removed).
    pub fn is_site_admin(&self) -> bool {
        matches!(
            self,
            SiteRole::SiteAdministratorCreator
                | SiteRole::SiteAdministratorExplorer
                | SiteRole::SiteAdministrator
                | SiteRole::ServerAdministrator
        )
    }
}

impl FromStr for SiteRole {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(SiteRole::parse(s))
    }
}

impl fmt::Display for SiteRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SiteRole {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SiteRole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(SiteRole::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test per row of DESIGN.md's tables: every site role string in
    /// TABLEAU.md, plus strings Tableau might send that no table names.
    macro_rules! role_rows {
        ($($test:ident: $wire:literal => $license:ident, $status:ident;)*) => {
            const TABLE: &[(&str, License, AccountStatus)] =
                &[$(($wire, License::$license, AccountStatus::$status)),*];
            $(
                #[test]
                fn $test() {
                    let role = SiteRole::parse($wire);
                    assert_eq!(role.license(), License::$license, "licence of {:?}", $wire);
                    assert_eq!(role.status(), AccountStatus::$status, "status of {:?}", $wire);
                    assert_eq!(role.to_string(), $wire);
                }
            )*
        };
    }

    role_rows! {
        viewer: "Viewer" => Viewer, Active;
        viewer_with_publish: "ViewerWithPublish" => Viewer, Active;
        creator: "Creator" => Creator, Active;
        site_administrator_creator: "SiteAdministratorCreator" => Creator, Active;
        explorer: "Explorer" => Explorer, Active;
        explorer_can_publish: "ExplorerCanPublish" => Explorer, Active;
        site_administrator_explorer: "SiteAdministratorExplorer" => Explorer, Active;
        unlicensed: "Unlicensed" => Unlicensed, Suspended;
        unlicensed_with_publish: "UnlicensedWithPublish" => Unlicensed, Suspended;
        interactor: "Interactor" => Unknown, Active;
        publisher: "Publisher" => Unknown, Active;
        site_administrator: "SiteAdministrator" => Unknown, Active;
        server_administrator: "ServerAdministrator" => Creator, Active;
        guest: "Guest" => Unknown, Active;
        read_only: "ReadOnly" => Unknown, Active;
        support_user: "SupportUser" => Unknown, Active;
        something_new: "SomethingNew" => Unknown, Active;
        empty_string: "" => Unknown, Active;
        wrong_case: "viewer" => Unknown, Active;
    }

    #[test]
    fn every_documented_role_has_a_row() {
        for role in SiteRole::known() {
            assert!(
                TABLE.iter().any(|(wire, _, _)| *wire == role.as_str()),
                "{role}"
            );
        }
    }

    #[test]
    fn every_string_round_trips_verbatim() {
        for (wire, _, _) in TABLE {
            assert_eq!(SiteRole::parse(wire).to_string(), *wire);
        }
        for role in SiteRole::known() {
            assert_eq!(&SiteRole::parse(role.as_str()), role);
        }
    }

    #[test]
    fn every_documented_role_is_known() {
        assert_eq!(SiteRole::known().count(), 16);
        for role in SiteRole::known() {
            assert!(!matches!(role, SiteRole::Other(_)));
        }
    }

    #[test]
    fn unknown_role_is_kept_verbatim_and_unknown() {
        let role = SiteRole::parse("SomethingNew");
        assert_eq!(role, SiteRole::Other("SomethingNew".into()));
        assert_eq!(role.license(), License::Unknown);
        assert_eq!(role.to_string(), "SomethingNew");
    }

    #[test]
    fn parsing_is_case_sensitive_like_tableau() {
        assert_eq!(
            SiteRole::parse("creator"),
            SiteRole::Other("creator".into())
        );
    }

    #[test]
    fn a_written_role_is_matched_in_any_case_and_never_across_roles() {
        assert!(SiteRole::Creator.is_written_as("Creator"));
        assert!(SiteRole::Creator.is_written_as("creator"));
        assert!(SiteRole::SiteAdministratorCreator.is_written_as(" siteadministratorcreator "));
        assert!(!SiteRole::Creator.is_written_as("SiteAdministratorCreator"));
        assert!(!SiteRole::Viewer.is_written_as("ViewerWithPublish"));
        let brand_new = SiteRole::parse("BrandNew");
        assert!(brand_new.is_written_as("brandnew"));
        assert!(!brand_new.is_written_as("Creator"));
        assert!(!SiteRole::Creator.is_written_as("BrandNew"));
    }
}
