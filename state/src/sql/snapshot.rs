//! Reading back the stored snapshot of a site, to diff the next sync against.

use futures::TryStreamExt;
use tabgov_mapping::{Account, Accounts, Group, GroupId, Memberships, OwnedItem, SiteSnapshot};

use super::owned::stored_items;
use super::{Conn, DIALECT};
use crate::backend::Dialect;
use crate::snapshot::{from_json, AccountRow, GroupRow, Text};
use crate::{Error, Result, SiteKey};

/// Accounts read per statement; see [`load`].
const ACCOUNTS_PER_BATCH: i64 = 2000;

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
pub(crate) async fn load(conn: &mut Conn, site: SiteKey) -> Result<SiteSnapshot> {
    let mut snap = SiteSnapshot {
        accounts: Accounts::from_vec(load_accounts(conn, site).await?),
        ..SiteSnapshot::default()
    };
    {
        let mut rows = sqlx::query_as::<_, GroupRow>(
            "SELECT id, name, domain, minimum_site_role, grant_license_mode \
             FROM groups WHERE site_id = $1 AND removed_at IS NULL",
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
async fn load_accounts(conn: &mut Conn, site: SiteKey) -> Result<Vec<Account>> {
    let mut accounts = Vec::new();
    let mut after = String::new();
    loop {
        let batch: Option<String> = sqlx::query_scalar(match DIALECT {
            Dialect::Sqlite => {
                "SELECT json_group_array(json_array(id, name, email, full_name, site_role, \
                 last_login, auth_setting, domain, idp_configuration_id, external_auth_user_id, \
                 language, locale)) FROM (SELECT * FROM accounts \
                 WHERE site_id = $1 AND deprovisioned_at IS NULL AND id > $2 ORDER BY id LIMIT $3)"
            }
            Dialect::Postgres => {
                "SELECT CAST(json_agg(json_build_array(id, name, email, full_name, site_role, \
                 last_login, auth_setting, domain, idp_configuration_id, external_auth_user_id, \
                 language, locale) ORDER BY id) AS TEXT) FROM (SELECT * FROM accounts \
                 WHERE site_id = $1 AND deprovisioned_at IS NULL AND id > $2 ORDER BY id LIMIT $3) a"
            }
        })
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
async fn load_memberships(conn: &mut Conn, site: SiteKey, snap: &mut SiteSnapshot) -> Result<()> {
    let mut groups = sqlx::query_as::<_, (String, String)>(match DIALECT {
        Dialect::Sqlite => {
            "SELECT MIN(g.id), json_group_array(a.id) FROM memberships m \
             JOIN groups g ON g.group_key = m.group_key \
             JOIN accounts a ON a.account_key = m.account_key \
             WHERE m.site_id = $1 GROUP BY m.group_key"
        }
        Dialect::Postgres => {
            "SELECT MIN(g.id), CAST(json_agg(a.id) AS TEXT) FROM memberships m \
             JOIN groups g ON g.group_key = m.group_key \
             JOIN accounts a ON a.account_key = m.account_key \
             WHERE m.site_id = $1 GROUP BY m.group_key"
        }
    })
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
