//! `GET /v1/journal`: the actions taken (by the command line and the
//! service alike), oldest first, filterable by site, user and time, paged
//! by entry id.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tabgov_state::{JournalEntry, JournalFilter, JournalId};

use super::paging::{decode_cursor, encode_cursor, limit, site_scope, ApiQuery, Page};
use crate::serve::{ApiError, AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalQuery {
    site: Option<String>,
    /// The target's LUID or sign-in name.
    user: Option<String>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    after: Option<String>,
    limit: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<JournalQuery>,
) -> Result<Json<Page<JournalEntry>>, ApiError> {
    let limit = limit(q.limit)?;
    let Some(site) = site_scope(&state, q.site.as_deref()).await?.filter() else {
        return Ok(Json(Page::empty()));
    };
    let after = q
        .after
        .as_deref()
        .map(decode_cursor::<i64>)
        .transpose()?
        .map(JournalId);
    let filter = JournalFilter {
        site,
        user: q.user,
        since: q.since,
        until: q.until,
        after,
        limit: Some(limit),
        ..JournalFilter::default()
    };
    let items = state.store.journal_list(&filter).await?;
    let next = Page::next_after(&items, limit, |e| encode_cursor(&e.id.get()));
    Ok(Json(Page { items, next }))
}
