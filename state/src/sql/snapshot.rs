//! Reading back the stored snapshot of a site, to diff the next sync against.

use std::collections::HashMap;

use futures::TryStreamExt;
use tabgov_mapping::{Account, Accounts, Group, GroupId, Memberships, OwnedItem, SiteSnapshot};

use super::owned::stored_items;
use super::{Conn, DIALECT};
use crate::backend::Dialect;
use crate::snapshot::{from_json, AccountRow, GroupRow};
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
    let (accounts, account_keys) = load_accounts(conn, site).await?;
    let mut snap = SiteSnapshot {
        // In id order already, as `account_keys` is.
        accounts: Accounts::from_vec(accounts),
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
    load_memberships(conn, site, &mut snap, &account_keys).await?;
    snap.owned = OwnedItem::count_by_owner(&stored_items(conn, site).await?);
    Ok(snap)
}

/// Accounts not deprovisioned, in batches of [`ACCOUNTS_PER_BATCH`] by id,
/// each batch one JSON array of rows; beside them, their keys.
async fn load_accounts(conn: &mut Conn, site: SiteKey) -> Result<(Vec<Account>, Vec<i64>)> {
    let mut rows_read: Vec<(Account, i64)> = Vec::new();
    let mut after = String::new();
    loop {
        let batch: Option<String> = sqlx::query_scalar(match DIALECT {
            Dialect::Sqlite => {
                "SELECT json_group_array(json_array(id, name, email, full_name, site_role, \
                 last_login, auth_setting, domain, idp_configuration_id, external_auth_user_id, \
                 language, locale, account_key)) FROM (SELECT * FROM accounts \
                 WHERE site_id = $1 AND deprovisioned_at IS NULL AND id > $2 ORDER BY id LIMIT $3)"
            }
            Dialect::Postgres => {
                "SELECT CAST(json_agg(json_build_array(id, name, email, full_name, site_role, \
                 last_login, auth_setting, domain, idp_configuration_id, external_auth_user_id, \
                 language, locale, account_key) ORDER BY id) AS TEXT) FROM (SELECT * FROM accounts \
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
            let key = row.account_key;
            rows_read.push((Account::try_from(row)?, key));
        }
        if !full {
            // In id order, as `Accounts` keeps them, so that each key stays
            // beside its account whatever order the database returned
            // (already sorted: one pass).
            rows_read.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
            return Ok(rows_read.into_iter().unzip());
        }
    }
}

/// Explicit memberships, one JSON array of member keys per group (in the
/// table's own order: no join, no sort), turned into LUIDs through the
/// accounts just read (`account_keys`, in their order) and the groups' keys.
async fn load_memberships(
    conn: &mut Conn,
    site: SiteKey,
    snap: &mut SiteSnapshot,
    account_keys: &[i64],
) -> Result<()> {
    let groups = super::memberships::key_map(conn, site, "groups", "group_key").await?;
    let group_ids: HashMap<i64, &str> = groups.iter().map(|(id, k)| (*k, id.as_str())).collect();
    let ids: Vec<&str> = snap.accounts.keys().collect();
    let account_ids: HashMap<i64, &str> = account_keys.iter().copied().zip(ids).collect();
    let mut rows = sqlx::query_as::<_, (i64, String)>(match DIALECT {
        Dialect::Sqlite => {
            "SELECT group_key, json_group_array(account_key) FROM memberships \
             WHERE site_id = $1 GROUP BY group_key"
        }
        Dialect::Postgres => {
            "SELECT group_key, CAST(json_agg(account_key) AS TEXT) FROM memberships \
             WHERE site_id = $1 GROUP BY group_key"
        }
    })
    .bind(site)
    .fetch(&mut *conn);
    while let Some((group_key, members)) = rows.try_next().await? {
        let keys: Vec<i64> = serde_json::from_str(&members).map_err(|e| Error::Corrupt {
            what: "memberships",
            value: e.to_string(),
        })?;
        let Some(group_id) = group_ids.get(&group_key) else {
            continue;
        };
        let members = keys.iter().filter_map(|k| account_ids.get(k).copied());
        snap.memberships
            .set_group(GroupId::from(*group_id), members);
    }
    Ok(())
}
