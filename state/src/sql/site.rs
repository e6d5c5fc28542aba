//! Statements on `sites`.

use chrono::Utc;

use super::{Engine, Pool};
use crate::site::{normalise, SiteRow, SELECT};
use crate::{time, Error, Result, SiteKey, SiteRecord};

/// Adds the site if new and returns its key; a known site keeps its key and
/// takes `site_luid` when one is given.
pub(crate) async fn upsert<'c, E>(
    executor: E,
    server: &str,
    content_url: &str,
    site_luid: Option<&str>,
) -> Result<SiteKey>
where
    E: sqlx::Executor<'c, Database = Engine>,
{
    let key = sqlx::query_scalar(
        "INSERT INTO sites (server, content_url, site_luid, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (server, content_url) \
         DO UPDATE SET site_luid = COALESCE(excluded.site_luid, sites.site_luid) \
         RETURNING id",
    )
    .bind(normalise(server))
    .bind(content_url)
    .bind(site_luid)
    .bind(time::to_text(Utc::now()))
    .fetch_one(executor)
    .await?;
    Ok(key)
}

/// Finds a site by content URL, on `server` if given.
pub(crate) async fn find(
    pool: &Pool,
    server: Option<&str>,
    content_url: &str,
) -> Result<Option<SiteRecord>> {
    let rows: Vec<SiteRow> = match server {
        Some(server) => {
            sqlx::query_as(&format!("{SELECT} WHERE server = $1 AND content_url = $2"))
                .bind(normalise(server))
                .bind(content_url)
                .fetch_all(pool)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{SELECT} WHERE content_url = $1"))
                .bind(content_url)
                .fetch_all(pool)
                .await?
        }
    };
    if rows.len() > 1 {
        return Err(Error::AmbiguousSite {
            content_url: content_url.to_owned(),
        });
    }
    rows.into_iter()
        .next()
        .map(SiteRecord::try_from)
        .transpose()
}

/// Removes a site nothing was ever recorded for.
pub(crate) async fn forget_unused(pool: &Pool, key: SiteKey) -> Result<bool> {
    let removed = sqlx::query(
        "DELETE FROM sites WHERE id = $1 \
         AND NOT EXISTS (SELECT 1 FROM sync_runs WHERE site_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM accounts WHERE site_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM groups WHERE site_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM action_journal WHERE site_id = $1)",
    )
    .bind(key)
    .execute(pool)
    .await?;
    Ok(removed.rows_affected() > 0)
}

/// The site with this key, if any.
pub(crate) async fn get(pool: &Pool, key: SiteKey) -> Result<Option<SiteRecord>> {
    let row: Option<SiteRow> = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(key)
        .fetch_optional(pool)
        .await?;
    row.map(SiteRecord::try_from).transpose()
}

/// Every known site, by server then content URL.
pub(crate) async fn list(pool: &Pool) -> Result<Vec<SiteRecord>> {
    let rows: Vec<SiteRow> = sqlx::query_as(&format!("{SELECT} ORDER BY server, content_url"))
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(SiteRecord::try_from).collect()
}
