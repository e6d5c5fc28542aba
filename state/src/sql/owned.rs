//! Statements on `owned_content`.

use std::collections::HashMap;

use sqlx::QueryBuilder;
use tabgov_mapping::{ContentKind, OwnedItem};

use super::{Conn, Engine, Tx, DIALECT};
use crate::backend::Dialect;
use crate::snapshot::Text;
use crate::{Error, Result, SiteKey};

/// The stored items of `site`, read as one JSON array the database builds
/// (the driver's cost per row would be most of the read).
pub(crate) async fn stored_items(conn: &mut Conn, site: SiteKey) -> Result<Vec<OwnedItem>> {
    let json: Option<String> = sqlx::query_scalar(match DIALECT {
        Dialect::Sqlite => {
            "SELECT json_group_array(json_array(kind, content_id, name, owner_id)) \
             FROM owned_content WHERE site_id = $1"
        }
        Dialect::Postgres => {
            "SELECT CAST(json_agg(json_build_array(kind, content_id, name, owner_id)) AS TEXT) \
             FROM owned_content WHERE site_id = $1"
        }
    })
    .bind(site)
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<(Text, String, Option<String>, String)> =
        serde_json::from_str(json.as_deref().unwrap_or("[]")).map_err(|e| Error::Corrupt {
            what: "owned_content",
            value: e.to_string(),
        })?;
    rows.into_iter()
        .map(|(kind, id, name, owner_id)| {
            let kind = ContentKind::parse(kind.as_ref()).ok_or_else(|| Error::Corrupt {
                what: "owned_content.kind",
                value: kind.as_ref().to_owned(),
            })?;
            Ok(OwnedItem {
                id: id.into(),
                kind,
                name,
                owner_id: owner_id.into(),
            })
        })
        .collect()
}

/// Rows per multi-row statement (4 values each).
const ROWS: usize = 1000;

/// Makes the stored items of `site` equal `items`, writing only the
/// difference. Returns (items written, items deleted).
pub(crate) async fn write_owned(
    tx: &mut Tx<'_>,
    site: SiteKey,
    items: &[OwnedItem],
) -> Result<(u64, u64)> {
    let stored = stored_items(tx, site).await?;
    let wanted = OwnedItem::dedup(items);
    let held: HashMap<(ContentKind, &str), (&Option<String>, &str)> = stored
        .iter()
        .map(|i| ((i.kind, i.id.as_str()), (&i.name, i.owner_id.as_str())))
        .collect();
    let gone: Vec<(ContentKind, &str)> = held
        .keys()
        .filter(|key| !wanted.contains_key(*key))
        .copied()
        .collect();
    let write: Vec<&OwnedItem> = wanted
        .values()
        .filter(|i| held.get(&(i.kind, i.id.as_str())) != Some(&(&i.name, i.owner_id.as_str())))
        .copied()
        .collect();

    insert_owned(tx, site, &write).await?;
    for chunk in gone.chunks(ROWS) {
        let mut qb: QueryBuilder<Engine> =
            QueryBuilder::new("DELETE FROM owned_content WHERE site_id = ");
        qb.push_bind(site).push(" AND (kind, content_id) IN (");
        qb.push_values(chunk, |mut b, (kind, id)| {
            b.push_bind(kind.as_str()).push_bind(*id);
        });
        qb.push(")");
        qb.build().execute(&mut **tx).await?;
    }
    Ok((write.len() as u64, gone.len() as u64))
}

/// Inserts or replaces items (by kind and id).
pub(crate) async fn insert_owned(
    tx: &mut Tx<'_>,
    site: SiteKey,
    items: &[&OwnedItem],
) -> Result<()> {
    for chunk in items.chunks(ROWS) {
        let mut qb: QueryBuilder<Engine> = QueryBuilder::new(
            "INSERT INTO owned_content (site_id, kind, content_id, name, owner_id) ",
        );
        qb.push_values(chunk, |mut b, i| {
            b.push_bind(site)
                .push_bind(i.kind.as_str())
                .push_bind(i.id.as_str())
                .push_bind(i.name.as_deref())
                .push_bind(i.owner_id.as_str());
        });
        qb.push(
            " ON CONFLICT (site_id, kind, content_id) \
             DO UPDATE SET name = excluded.name, owner_id = excluded.owner_id",
        );
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}
