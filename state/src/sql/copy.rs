//! Statements of `Store::copy_into`: whole tables read on one engine and
//! written on the other.

use futures::TryStreamExt;
use sqlx::{QueryBuilder, Row};

use super::{Engine, Pool, Tx, DIALECT};
use crate::backend::Dialect;
use crate::copy::{Cell, Kind, Table, TABLES};
use crate::Result;

/// Rows per INSERT: the widest table has 20 columns, well inside both
/// engines' limits on bound values.
const ROWS: usize = 500;

/// How many rows `table` holds.
pub(crate) async fn count(pool: &Pool, table: &str) -> Result<u64> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await?;
    Ok(n.max(0) as u64)
}

/// Every row of `table`, in primary-key order.
pub(crate) async fn read(pool: &Pool, table: &Table) -> Result<Vec<Vec<Cell>>> {
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let key = match table.name {
        "accounts" => "account_key",
        "groups" => "group_key",
        "memberships" => "site_id, group_key, account_key",
        "owned_content" => "site_id, kind, content_id",
        "scim_external_ids" => "site_id, resource_kind, resource_id",
        _ => "id",
    };
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {key}",
        names.join(", "),
        table.name
    );
    let mut rows = sqlx::query(&sql).fetch(pool);
    let mut out = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let mut cells = Vec::with_capacity(table.columns.len());
        for (i, (_, kind)) in table.columns.iter().enumerate() {
            cells.push(match kind {
                Kind::Int => Cell::Int(row.try_get(i)?),
                Kind::Text => Cell::Text(row.try_get(i)?),
                Kind::Bool => Cell::Bool(row.try_get(i)?),
            });
        }
        out.push(cells);
    }
    Ok(out)
}

/// Inserts `rows` into `table` as they are, keys included.
pub(crate) async fn write(tx: &mut Tx<'_>, table: &Table, rows: &[Vec<Cell>]) -> Result<()> {
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    for chunk in rows.chunks(ROWS) {
        let mut qb: QueryBuilder<Engine> = QueryBuilder::new(format!(
            "INSERT INTO {} ({}) ",
            table.name,
            names.join(", ")
        ));
        qb.push_values(chunk, |mut b, row| {
            for cell in row {
                match cell {
                    Cell::Int(v) => b.push_bind(*v),
                    Cell::Text(v) => b.push_bind(v.clone()),
                    Cell::Bool(v) => b.push_bind(*v),
                };
            }
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Moves PostgreSQL's key generators past the copied keys, so the next row
/// a sync or an action writes gets a new one. SQLite takes the next key
/// from the table itself.
pub(crate) async fn advance_sequences(tx: &mut Tx<'_>) -> Result<()> {
    if DIALECT == Dialect::Sqlite {
        return Ok(());
    }
    for table in TABLES {
        let Some(key) = table.generated else {
            continue;
        };
        let name = table.name;
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{name}', '{key}'), \
             COALESCE((SELECT max({key}) FROM {name}), 0) + 1, false)"
        ))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
