//! `GET /v1/changes?after=CURSOR&limit=N`: the change feed as a cursor an
//! IGA polls. Events come in id order, and ids commit in that order (the
//! store's rule), so a poller that passes back each answer's `next` sees
//! every event once, across pages, syncs and restarts of either side.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tabgov_state::ChangeRecord;

use super::paging::{limit, site_scope, ApiQuery};
use crate::serve::{ApiError, AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    site: Option<String>,
    /// The `next` of the previous answer; none to start at the first event.
    after: Option<String>,
    limit: Option<u32>,
}

/// A page of the feed. Unlike the lists, `next` is always given: it is
/// where the next poll starts, also when there was nothing new.
#[derive(Debug, Serialize)]
pub struct FeedPage {
    pub items: Vec<ChangeRecord>,
    pub next: String,
    /// More events are waiting right now (the page was full).
    pub more: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ChangesQuery>,
) -> Result<Json<FeedPage>, ApiError> {
    let limit = limit(q.limit)?;
    let after = match q.after.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "after takes the `next` of the previous answer (an event number)",
                    )
                })?,
        ),
    };
    let items = match site_scope(&state, q.site.as_deref()).await?.filter() {
        Some(site) => state.store.changes_after(after, limit, site).await?,
        None => Vec::new(),
    };
    let next = items
        .last()
        .map(|e| e.id)
        .or(after)
        .unwrap_or(0)
        .to_string();
    let more = items.len() == limit as usize;
    Ok(Json(FeedPage { items, next, more }))
}
