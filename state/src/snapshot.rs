//! Reading back the current snapshot of a site, to diff the next sync against.

use std::borrow::Cow;

use serde::Deserialize;
use sqlx::FromRow;
use tabgov_mapping::{Account, GrantLicenseMode, Group, SignInIdentity, SiteRole};

use crate::{time, Error, Result};

/// An `accounts` row, read from a JSON array of these columns in this
/// order.
#[derive(Deserialize)]
pub(crate) struct AccountRow {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub site_role: String,
    pub last_login: Option<String>,
    pub auth_setting: Option<String>,
    pub domain: Option<String>,
    pub idp_configuration_id: Option<String>,
    pub external_auth_user_id: Option<String>,
    pub language: Option<String>,
    pub locale: Option<String>,
    /// The row's key, which memberships refer to it by.
    pub account_key: i64,
}

impl TryFrom<AccountRow> for Account {
    type Error = Error;

    fn try_from(r: AccountRow) -> Result<Account> {
        Ok(Account {
            last_login: time::from_opt("accounts.last_login", r.last_login.as_deref())?,
            site_role: SiteRole::parse(&r.site_role),
            id: r.id.into(),
            name: r.name,
            email: r.email,
            full_name: r.full_name,
            auth_setting: r.auth_setting,
            domain: r.domain,
            identity: Box::new(SignInIdentity {
                idp_configuration_id: r.idp_configuration_id,
                external_auth_user_id: r.external_auth_user_id,
                language: r.language,
                locale: r.locale,
            }),
        })
    }
}

#[derive(FromRow)]
pub(crate) struct GroupRow {
    pub id: String,
    pub name: String,
    pub domain: Option<String>,
    pub minimum_site_role: Option<String>,
    pub grant_license_mode: Option<String>,
}

impl From<GroupRow> for Group {
    fn from(r: GroupRow) -> Group {
        Group {
            id: r.id.into(),
            name: r.name,
            domain: r.domain,
            minimum_site_role: r.minimum_site_role.as_deref().map(SiteRole::parse),
            grant_license_mode: r.grant_license_mode.as_deref().map(GrantLicenseMode::parse),
        }
    }
}

/// A string of a JSON array the database built, borrowed from the array unless it
/// has escapes to undo (serde gives `Cow` fields owned strings otherwise).
#[derive(Deserialize)]
pub(crate) struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Reads a JSON array that SQLite built; an empty aggregate is `[]` (or NULL).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    json: Option<&str>,
) -> Result<Vec<T>> {
    match json {
        None => Ok(Vec::new()),
        Some(text) => serde_json::from_str(text).map_err(|e| Error::Corrupt {
            what: table,
            value: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_borrows_unless_there_is_an_escape() {
        let json = r#"["4f1c", "a\"b"]"#;
        let texts: Vec<Text> = serde_json::from_str(json).unwrap();
        assert!(matches!(texts[0].0, Cow::Borrowed("4f1c")));
        assert!(matches!(&texts[1].0, Cow::Owned(s) if s == "a\"b"));
    }
}
