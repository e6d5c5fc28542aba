//! Sites: one row per (server, content URL) pair tabgov syncs.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Executor, FromRow, Sqlite, SqlitePool};

use crate::{time, Error, Result, RunId, SiteKey};

/// A site as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteRecord {
    pub key: SiteKey,
    pub server: String,
    /// Tableau's content URL; `""` is the default site.
    pub content_url: String,
    /// Tableau's site LUID, known after the first sign-in.
    pub site_luid: Option<String>,
    /// When the last successful sync finished: the `last_seen` of every
    /// account still on the site.
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_success_run_id: Option<RunId>,
}

#[derive(FromRow)]
struct SiteRow {
    id: SiteKey,
    server: String,
    content_url: String,
    site_luid: Option<String>,
    last_success_at: Option<String>,
    last_success_run_id: Option<RunId>,
}

impl TryFrom<SiteRow> for SiteRecord {
    type Error = Error;

    fn try_from(r: SiteRow) -> Result<SiteRecord> {
        Ok(SiteRecord {
            key: r.id,
            server: r.server,
            content_url: r.content_url,
            site_luid: r.site_luid,
            last_success_at: time::from_opt("sites.last_success_at", r.last_success_at.as_deref())?,
            last_success_run_id: r.last_success_run_id,
        })
    }
}

const SELECT: &str = "SELECT id, server, content_url, site_luid, last_success_at, \
                      last_success_run_id FROM sites";

/// Server URLs are compared without a trailing slash.
fn normalise(server: &str) -> &str {
    server.trim_end_matches('/')
}

/// Adds the site if new and returns its key; a known site keeps its key and
/// takes `site_luid` when one is given. Works on a pool or inside a
/// transaction (`&mut *tx`).
pub async fn upsert_site<'c, E>(
    executor: E,
    server: &str,
    content_url: &str,
    site_luid: Option<&str>,
) -> Result<SiteKey>
where
    E: Executor<'c, Database = Sqlite>,
{
    let key = sqlx::query_scalar(
        "INSERT INTO sites (server, content_url, site_luid, created_at) VALUES (?, ?, ?, ?) \
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

/// Finds a site by content URL, on `server` if given. Without a server, a
/// content URL known on several servers is [`Error::AmbiguousSite`].
pub async fn find_site(
    pool: &SqlitePool,
    server: Option<&str>,
    content_url: &str,
) -> Result<Option<SiteRecord>> {
    let rows: Vec<SiteRow> = match server {
        Some(server) => {
            sqlx::query_as(&format!("{SELECT} WHERE server = ? AND content_url = ?"))
                .bind(normalise(server))
                .bind(content_url)
                .fetch_all(pool)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{SELECT} WHERE content_url = ?"))
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

/// Removes a site that nothing was ever recorded for (no run, account or
/// journal entry): a sync or action that failed before its first write
/// (a mistyped `--site`, a wrong token) leaves the store as it was.
/// Returns whether the row was removed.
pub async fn forget_unused_site(pool: &SqlitePool, key: SiteKey) -> Result<bool> {
    let removed = sqlx::query(
        "DELETE FROM sites WHERE id = ?1 \
         AND NOT EXISTS (SELECT 1 FROM sync_runs WHERE site_id = ?1) \
         AND NOT EXISTS (SELECT 1 FROM accounts WHERE site_id = ?1) \
         AND NOT EXISTS (SELECT 1 FROM groups WHERE site_id = ?1) \
         AND NOT EXISTS (SELECT 1 FROM action_journal WHERE site_id = ?1)",
    )
    .bind(key)
    .execute(pool)
    .await?;
    Ok(removed.rows_affected() > 0)
}

/// The site with this key, if any.
pub async fn site(pool: &SqlitePool, key: SiteKey) -> Result<Option<SiteRecord>> {
    let row: Option<SiteRow> = sqlx::query_as(&format!("{SELECT} WHERE id = ?"))
        .bind(key)
        .fetch_optional(pool)
        .await?;
    row.map(SiteRecord::try_from).transpose()
}

/// Every known site, by server then content URL.
pub async fn list_sites(pool: &SqlitePool) -> Result<Vec<SiteRecord>> {
    let rows: Vec<SiteRow> = sqlx::query_as(&format!("{SELECT} ORDER BY server, content_url"))
        .fetch_all(pool)
        .await?;
    rows.into_iter().map(SiteRecord::try_from).collect()
}
