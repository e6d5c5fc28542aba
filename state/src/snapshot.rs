//! Reading back the current snapshot of a site, to diff the next sync against.

use futures::TryStreamExt;
use sqlx::{FromRow, SqliteConnection};
use tabgov_mapping::{
    Account, ContentKind, GrantLicenseMode, Group, Membership, SiteRole, SiteSnapshot,
};

use crate::owned::set_count;
use crate::{time, Error, Result, SiteKey};

#[derive(FromRow)]
pub(crate) struct AccountRow {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub site_role: String,
    pub last_login: Option<String>,
    pub auth_setting: Option<String>,
    pub domain: Option<String>,
}

impl TryFrom<AccountRow> for Account {
    type Error = Error;

    fn try_from(r: AccountRow) -> Result<Account> {
        Ok(Account {
            last_login: time::from_opt("accounts.last_login", r.last_login.as_deref())?,
            site_role: SiteRole::parse(&r.site_role),
            id: r.id,
            name: r.name,
            email: r.email,
            full_name: r.full_name,
            auth_setting: r.auth_setting,
            domain: r.domain,
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
            id: r.id,
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
/// One streamed query per table, so 100k accounts cost four queries and no
/// intermediate row buffers. Pass `&mut *tx` to read inside the sync
/// transaction, or a pooled connection.
pub async fn load_snapshot(conn: &mut SqliteConnection, site: SiteKey) -> Result<SiteSnapshot> {
    let mut snap = SiteSnapshot::default();

    {
        let mut rows = sqlx::query_as::<_, AccountRow>(
            "SELECT id, name, email, full_name, site_role, last_login, auth_setting, domain \
             FROM accounts WHERE site_id = ? AND deprovisioned_at IS NULL",
        )
        .bind(site)
        .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            snap.insert_account(Account::try_from(row)?);
        }
    }
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
    {
        let mut rows = sqlx::query_as::<_, (String, String)>(
            "SELECT user_id, group_id FROM memberships WHERE site_id = ?",
        )
        .bind(site)
        .fetch(&mut *conn);
        while let Some((user_id, group_id)) = rows.try_next().await? {
            snap.memberships.insert(Membership { user_id, group_id });
        }
    }
    {
        let mut rows = sqlx::query_as::<_, (String, String, i64)>(
            "SELECT owner_id, kind, COUNT(*) FROM owned_content WHERE site_id = ? \
             GROUP BY owner_id, kind",
        )
        .bind(site)
        .fetch(&mut *conn);
        while let Some((owner, kind, count)) = rows.try_next().await? {
            let kind = ContentKind::parse(&kind).ok_or_else(|| Error::Corrupt {
                what: "owned_content.kind",
                value: kind.clone(),
            })?;
            set_count(snap.owned.entry(owner).or_default(), kind, count);
        }
    }
    Ok(snap)
}
