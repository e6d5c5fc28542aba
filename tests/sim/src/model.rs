//! Public snapshots of simulator state handed to tests, and site-role facts.

use chrono::{DateTime, Utc};

/// A user as the simulator holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimUser {
    /// LUID.
    pub id: String,
    /// User name (unique on the site).
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Display name.
    pub full_name: Option<String>,
    /// Site role, verbatim.
    pub site_role: String,
    /// Last interactive sign-in; `None` if never.
    pub last_login: Option<DateTime<Utc>>,
    /// Authentication setting (`ServerDefault`, `SAML`, ...).
    pub auth_setting: String,
    /// Domain name (`local` for local users).
    pub domain: String,
    /// Identity provider, external id, language and locale.
    pub identity: SimIdentity,
}

/// What Tableau reports about a user's identity provider and language;
/// each attribute is written only when set, except `externalAuthUserId`,
/// which Tableau writes empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimIdentity {
    /// `idpConfigurationId` (Tableau Cloud, API 3.24 and later).
    pub idp_configuration_id: Option<String>,
    /// `externalAuthUserId`.
    pub external_auth_user_id: Option<String>,
    /// `language`, e.g. `en`.
    pub language: Option<String>,
    /// `locale`, e.g. `en_US`.
    pub locale: Option<String>,
}

/// A group as the simulator holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimGroup {
    /// LUID.
    pub id: String,
    /// Group name.
    pub name: String,
    /// Domain name (`local`).
    pub domain: String,
    /// Minimum site role (grant licence).
    pub minimum_site_role: Option<String>,
    /// `onLogin` or `onSync` when the group grants a licence.
    pub grant_license_mode: Option<String>,
}

/// A content item (workbook, datasource, flow, project, view, custom view
/// or data alert).
#[derive(Debug, Clone, PartialEq)]
pub struct SimContent {
    /// LUID.
    pub id: String,
    /// `workbook`, `datasource`, `flow`, `project`, `view`, `customView` or
    /// `dataAlert`.
    pub kind: String,
    /// Item name.
    pub name: String,
    /// Owner's user LUID.
    pub owner_id: String,
}

/// Site roles an update may set (legacy roles are kept on read but not assignable).
pub const ASSIGNABLE_ROLES: &[&str] = &[
    "Creator",
    "Explorer",
    "ExplorerCanPublish",
    "SiteAdministratorCreator",
    "SiteAdministratorExplorer",
    "Viewer",
    "Unlicensed",
    "ServerAdministrator",
    "Guest",
    "ReadOnly",
];

/// Licence rank of a role, to pick the highest grant-licence role.
pub fn role_rank(role: &str) -> u8 {
    match role {
        "Creator" | "SiteAdministratorCreator" | "ServerAdministrator" => 3,
        "Explorer" | "ExplorerCanPublish" | "SiteAdministratorExplorer" => 2,
        "Viewer" => 1,
        _ => 0,
    }
}
