//! Statements on `memberships`, which refer to accounts and groups by their
//! integer keys (`account_key`, `group_key`) rather than by Tableau's LUIDs:
//! a large first sync writes hundreds of thousands of them.

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::{Conn, Engine, Tx, DIALECT};
use crate::backend::Dialect;
use crate::{Error, Result, SiteKey};

/// Pairs per statement: two bound values each when given by LUID, well
/// inside both engines' limits.
const BY_ID: usize = 2000;

/// Key pairs per statement when they are known (one JSON array each).
const BY_KEY: usize = 50_000;

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
/// them; fastest in that order. Each batch goes as one JSON array that the
/// database takes apart itself: binding three values per row cost more
/// than writing the row.
pub(crate) async fn add_by_keys(tx: &mut Tx<'_>, site: SiteKey, keys: &[(i64, i64)]) -> Result<()> {
    let sql = match DIALECT {
        Dialect::Sqlite => {
            "INSERT INTO memberships (site_id, group_key, account_key) \
             SELECT $1, e.value ->> 0, e.value ->> 1 FROM json_each($2) AS e \
             WHERE true ON CONFLICT DO NOTHING"
        }
        Dialect::Postgres => {
            "INSERT INTO memberships (site_id, group_key, account_key) \
             SELECT $1, CAST(e ->> 0 AS BIGINT), CAST(e ->> 1 AS BIGINT) \
             FROM json_array_elements(CAST($2 AS json)) AS e ON CONFLICT DO NOTHING"
        }
    };
    for chunk in keys.chunks(BY_KEY) {
        let json = serde_json::to_string(chunk)?;
        sqlx::query(sql)
            .bind(site)
            .bind(json)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The keys of the site's accounts and groups, by LUID, each table read as
/// one JSON array the database builds (the driver's cost per row would be
/// most of the read).
pub(crate) async fn keys(
    conn: &mut Conn,
    site: SiteKey,
) -> Result<(HashMap<String, i64>, HashMap<String, i64>)> {
    Ok((
        key_map(conn, site, "accounts", "account_key").await?,
        key_map(conn, site, "groups", "group_key").await?,
    ))
}

/// `table`'s keys (`key`) by LUID, for `site`.
pub(crate) async fn key_map(
    conn: &mut Conn,
    site: SiteKey,
    table: &'static str,
    key: &str,
) -> Result<HashMap<String, i64>> {
    let sql = match DIALECT {
        Dialect::Sqlite => {
            format!(
                "SELECT json_group_array(json_array(id, {key})) FROM {table} WHERE site_id = $1"
            )
        }
        Dialect::Postgres => format!(
            "SELECT CAST(json_agg(json_build_array(id, {key})) AS TEXT) FROM {table} \
             WHERE site_id = $1"
        ),
    };
    let json: Option<String> = sqlx::query_scalar(&sql)
        .bind(site)
        .fetch_one(&mut *conn)
        .await?;
    let pairs: Vec<(String, i64)> =
        serde_json::from_str(json.as_deref().unwrap_or("[]")).map_err(|e| Error::Corrupt {
            what: table,
            value: e.to_string(),
        })?;
    Ok(pairs.into_iter().collect())
}
