//! The `externalId` a SCIM client (an identity provider) gave a user or a
//! group. Tableau has no field for it, and providers find their resources
//! again by it, so the store keeps it beside the Tableau id.

use std::collections::HashMap;

use crate::backend::{in_write_tx, on_engine};
use crate::{Result, SiteKey, Store};

/// Which kind of SCIM resource an external id belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScimKind {
    User,
    Group,
}

impl ScimKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ScimKind::User => "user",
            ScimKind::Group => "group",
        }
    }
}

impl Store {
    /// The external id of the resource with Tableau id `id`, if one was given.
    pub async fn external_id(
        &self,
        site: SiteKey,
        kind: ScimKind,
        id: &str,
    ) -> Result<Option<String>> {
        on_engine!(&self.pool, |db, sql| sql::external_ids::get(
            db, site, kind, id
        )
        .await)
    }

    /// The external ids of `ids`, by Tableau id (ids without one are absent).
    pub async fn external_ids(
        &self,
        site: SiteKey,
        kind: ScimKind,
        ids: &[String],
    ) -> Result<HashMap<String, String>> {
        let mut found = HashMap::with_capacity(ids.len());
        // Bound parameters stay under every engine's limit.
        for chunk in ids.chunks(1000) {
            let rows = on_engine!(&self.pool, |db, sql| sql::external_ids::get_many(
                db, site, kind, chunk
            )
            .await)?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// The Tableau ids of the resources given `external_id`, oldest first.
    pub async fn find_by_external_id(
        &self,
        site: SiteKey,
        kind: ScimKind,
        external_id: &str,
    ) -> Result<Vec<String>> {
        on_engine!(&self.pool, |db, sql| sql::external_ids::find(
            db,
            site,
            kind,
            external_id
        )
        .await)
    }

    /// Sets the external id of one resource, or forgets it with `None`.
    pub async fn set_external_id(
        &self,
        site: SiteKey,
        kind: ScimKind,
        id: &str,
        external_id: Option<&str>,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        in_write_tx!(&mut conn, |tx, sql| sql::external_ids::set(
            &mut tx,
            site,
            kind,
            id,
            external_id
        )
        .await?)
    }
}
