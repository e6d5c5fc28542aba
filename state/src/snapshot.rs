//! Reading back the current snapshot of a site, to diff the next sync against.

use std::borrow::Cow;

use futures::TryStreamExt;
use serde::Deserialize;
use sqlx::{FromRow, SqliteConnection};
use tabgov_mapping::{
    Account, Accounts, GrantLicenseMode, Group, GroupId, Memberships, OwnedItem, SignInIdentity,
    SiteRole, SiteSnapshot,
};

use crate::owned::stored_items;
use crate::{time, Error, Result, SiteKey};

/// Accounts read per statement; see [`load_snapshot`].
const ACCOUNTS_PER_BATCH: i64 = 2000;

/// An `accounts` row; also read from a JSON array of the same columns in
/// the same order.
#[derive(FromRow, Deserialize)]
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

/// The site as the last successful sync left it: accounts not deprovisioned,
/// groups not removed, explicit memberships, and owned content counted per
/// owner and kind.
///
/// Accounts and memberships come from SQLite as JSON arrays (a batch of
/// accounts, the members of a group) rather than a row each: the driver's
/// cost per row, not SQLite, dominated a 100k-user re-sync (about 3 s for
/// 100k accounts and 400k memberships one row at a time). The maps are
/// then built in bulk from sorted vectors. Pass `&mut *tx` to read inside
/// the sync transaction, or a pooled connection.
pub async fn load_snapshot(conn: &mut SqliteConnection, site: SiteKey) -> Result<SiteSnapshot> {
    let mut snap = SiteSnapshot {
        accounts: Accounts::from_vec(load_accounts(conn, site).await?),
        ..SiteSnapshot::default()
    };
    {
        let mut rows = sqlx::query_as::<_, GroupRow>(
            "SELECT id, name, domain, minimum_site_role, grant_license_mode \
             FROM groups WHERE site_id = ? AND removed_at IS NULL",
        )
        .bind(site)
        .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            snap.insert_group(Group::from(row));
        }
    }
    snap.memberships = Memberships::with_users(snap.accounts.keys());
    load_memberships(conn, site, &mut snap).await?;
    snap.owned = OwnedItem::count_by_owner(&stored_items(conn, site).await?);
    Ok(snap)
}

/// Accounts not deprovisioned, in batches of [`ACCOUNTS_PER_BATCH`] by id,
/// each batch one JSON array of rows.
async fn load_accounts(conn: &mut SqliteConnection, site: SiteKey) -> Result<Vec<Account>> {
    let mut accounts = Vec::new();
    let mut after = String::new();
    loop {
        let batch: Option<String> = sqlx::query_scalar(
            "SELECT json_group_array(json_array(id, name, email, full_name, site_role, \
             last_login, auth_setting, domain, idp_configuration_id, external_auth_user_id, \
             language, locale)) FROM (SELECT * FROM accounts \
             WHERE site_id = ? AND deprovisioned_at IS NULL AND id > ? ORDER BY id LIMIT ?)",
        )
        .bind(site)
        .bind(&after)
        .bind(ACCOUNTS_PER_BATCH)
        .fetch_one(&mut *conn)
        .await?;
        let rows: Vec<AccountRow> = from_json("accounts", batch.as_deref())?;
        let full = rows.len() as i64 == ACCOUNTS_PER_BATCH;
        for row in rows {
            if row.id > after {
                after.clone_from(&row.id);
            }
            accounts.push(Account::try_from(row)?);
        }
        if !full {
            return Ok(accounts);
        }
    }
}

/// Explicit memberships, one JSON array of member ids per group, read
/// without copying the ids out of it (LUIDs have nothing to unescape).
async fn load_memberships(
    conn: &mut SqliteConnection,
    site: SiteKey,
    snap: &mut SiteSnapshot,
) -> Result<()> {
    let mut groups = sqlx::query_as::<_, (String, String)>(
        "SELECT group_id, json_group_array(user_id) FROM memberships WHERE site_id = ? \
         GROUP BY group_id",
    )
    .bind(site)
    .fetch(&mut *conn);
    while let Some((group_id, members)) = groups.try_next().await? {
        let user_ids: Vec<Text> = serde_json::from_str(&members).map_err(|e| Error::Corrupt {
            what: "memberships",
            value: e.to_string(),
        })?;
        snap.memberships
            .set_group(GroupId::from(group_id), user_ids);
    }
    Ok(())
}

/// A string of a JSON array SQLite built, borrowed from the array unless it
/// has escapes to undo (serde gives `Cow` fields owned strings otherwise).
#[derive(Deserialize)]
pub(crate) struct Text<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Reads a JSON array that SQLite built; an empty aggregate is `[]` (or NULL).
fn from_json<T: serde::de::DeserializeOwned>(
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
