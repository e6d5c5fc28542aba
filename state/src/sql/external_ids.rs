//! Statements on `scim_external_ids`: the `externalId` SCIM clients gave
//! users and groups.

use chrono::Utc;

use super::{Pool, Tx};
use crate::{time, Result, ScimKind, SiteKey};

/// The external id of one resource.
pub(crate) async fn get(
    pool: &Pool,
    site: SiteKey,
    kind: ScimKind,
    id: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT external_id FROM scim_external_ids \
         WHERE site_id = $1 AND resource_kind = $2 AND resource_id = $3",
    )
    .bind(site)
    .bind(kind.as_str())
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// The external ids of `ids` (those that have one), as (id, external id).
pub(crate) async fn get_many(
    pool: &Pool,
    site: SiteKey,
    kind: ScimKind,
    ids: &[String],
) -> Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = sqlx::QueryBuilder::new(
        "SELECT resource_id, external_id FROM scim_external_ids WHERE site_id = ",
    );
    qb.push_bind(site)
        .push(" AND resource_kind = ")
        .push_bind(kind.as_str())
        .push(" AND resource_id IN (");
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    qb.push(")");
    Ok(qb.build_query_as().fetch_all(pool).await?)
}

/// The resources `external_id` names, oldest first (a provider may have
/// given one external id twice).
pub(crate) async fn find(
    pool: &Pool,
    site: SiteKey,
    kind: ScimKind,
    external_id: &str,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT resource_id FROM scim_external_ids \
         WHERE site_id = $1 AND resource_kind = $2 AND external_id = $3 ORDER BY updated_at",
    )
    .bind(site)
    .bind(kind.as_str())
    .bind(external_id)
    .fetch_all(pool)
    .await?)
}

/// Sets (or with `None` forgets) the external id of one resource.
pub(crate) async fn set(
    tx: &mut Tx<'_>,
    site: SiteKey,
    kind: ScimKind,
    id: &str,
    external_id: Option<&str>,
) -> Result<()> {
    match external_id {
        Some(external_id) => {
            sqlx::query(
                "INSERT INTO scim_external_ids \
                 (site_id, resource_kind, resource_id, external_id, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (site_id, resource_kind, resource_id) \
                 DO UPDATE SET external_id = excluded.external_id, updated_at = excluded.updated_at",
            )
            .bind(site)
            .bind(kind.as_str())
            .bind(id)
            .bind(external_id)
            .bind(time::to_text(Utc::now()))
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query(
                "DELETE FROM scim_external_ids \
                 WHERE site_id = $1 AND resource_kind = $2 AND resource_id = $3",
            )
            .bind(site)
            .bind(kind.as_str())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
