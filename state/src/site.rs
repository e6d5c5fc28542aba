//! Sites: one row per (server, content URL) pair tabgov syncs.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

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
pub(crate) struct SiteRow {
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

pub(crate) const SELECT: &str = "SELECT id, server, content_url, site_luid, last_success_at, \
                      last_success_run_id FROM sites";

/// Server URLs are compared without a trailing slash.
pub(crate) fn normalise(server: &str) -> &str {
    server.trim_end_matches('/')
}
