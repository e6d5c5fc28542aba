//! Statements on `memberships`, which refer to accounts and groups by their
//! integer keys (`account_key`, `group_key`) rather than by Tableau's LUIDs:
//! a large first sync writes hundreds of thousands of them.

use std::collections::HashMap;

use futures::TryStreamExt;
use sqlx::QueryBuilder;

use super::{Conn, Engine, Tx};
use crate::{Result, SiteKey};

/// Pairs per statement: two bound values each when given by LUID, well
/// inside both engines' limits.
const BY_ID: usize = 2000;

/// Keys per statement when they are known: three bound values each.
const BY_KEY: usize = 5000;

/// The rows of `(group LUID, user LUID)` pairs, as a derived table
/// `v(column1, column2)` both engines read, joined to the keys they name.
/// Pairs naming an account or group the store does not hold drop out.
fn keyed_pairs<'a>(
    qb: &mut QueryBuilder<'a, Engine>,
    site: SiteKey,
    pairs: &'a [(&'a str, &'a str)],
) {
    qb.push("SELECT g.group_key, a.account_key FROM (");
    qb.push_values(pairs, |mut b, (group_id, user_id)| {
        b.push_bind(*group_id).push_bind(*user_id);
    });
    qb.push(") AS v JOIN groups g ON g.site_id = ")
        .push_bind(site)
        .push(" AND g.id = v.column1 JOIN accounts a ON a.site_id = ")
        .push_bind(site)
        .push(" AND a.id = v.column2");
}

/// Adds (group LUID, user LUID) memberships of accounts and groups the
/// store holds; existing ones are kept.
pub(crate) async fn add_by_ids(
    tx: &mut Tx<'_>,
    site: SiteKey,
    added: &[(&str, &str)],
) -> Result<()> {
    for chunk in added.chunks(BY_ID) {
        let mut qb: QueryBuilder<Engine> =
            QueryBuilder::new("INSERT INTO memberships (site_id, group_key, account_key) SELECT ");
        qb.push_bind(site)
            .push(", k.group_key, k.account_key FROM (");
        keyed_pairs(&mut qb, site, chunk);
        // `WHERE true`: SQLite's parser needs it before ON CONFLICT after a SELECT.
        qb.push(") AS k WHERE true ON CONFLICT DO NOTHING");
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Removes (group LUID, user LUID) memberships.
pub(crate) async fn delete_by_ids(
    tx: &mut Tx<'_>,
    site: SiteKey,
    removed: &[(&str, &str)],
) -> Result<()> {
    for chunk in removed.chunks(BY_ID) {
        let mut qb: QueryBuilder<Engine> =
            QueryBuilder::new("DELETE FROM memberships WHERE site_id = ");
        qb.push_bind(site)
            .push(" AND (group_key, account_key) IN (");
        keyed_pairs(&mut qb, site, chunk);
        qb.push(")");
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Adds memberships by (group key, account key), as a first sync writes
/// them; fastest in that order.
pub(crate) async fn add_by_keys(tx: &mut Tx<'_>, site: SiteKey, keys: &[(i64, i64)]) -> Result<()> {
    for chunk in keys.chunks(BY_KEY) {
        let mut qb: QueryBuilder<Engine> =
            QueryBuilder::new("INSERT INTO memberships (site_id, group_key, account_key) ");
        qb.push_values(chunk, |mut b, (group_key, account_key)| {
            b.push_bind(site)
                .push_bind(*group_key)
                .push_bind(*account_key);
        });
        qb.push(" ON CONFLICT DO NOTHING");
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The keys of the site's accounts and groups, by LUID.
pub(crate) async fn keys(
    conn: &mut Conn,
    site: SiteKey,
) -> Result<(HashMap<String, i64>, HashMap<String, i64>)> {
    let mut accounts = HashMap::new();
    {
        let mut rows = sqlx::query_as::<_, (String, i64)>(
            "SELECT id, account_key FROM accounts WHERE site_id = $1",
        )
        .bind(site)
        .fetch(&mut *conn);
        while let Some((id, key)) = rows.try_next().await? {
            accounts.insert(id, key);
        }
    }
    let mut groups = HashMap::new();
    let mut rows =
        sqlx::query_as::<_, (String, i64)>("SELECT id, group_key FROM groups WHERE site_id = $1")
            .bind(site)
            .fetch(&mut *conn);
    while let Some((id, key)) = rows.try_next().await? {
        groups.insert(id, key);
    }
    Ok((accounts, groups))
}
