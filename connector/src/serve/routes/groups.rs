//! `GET /v1/groups`: a site's groups with their members, as `tabgov
//! groups` lists them, paged by key like the accounts.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tabgov_state::{GroupCursor, GroupRecord};

use super::paging::{decode_cursor, encode_cursor, limit, site_scope, ApiQuery, Page, SiteScope};
use crate::serve::{ApiError, AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupsQuery {
    /// Needed when more than one site is served.
    site: Option<String>,
    after: Option<String>,
    limit: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<GroupsQuery>,
) -> Result<Json<Page<GroupRecord>>, ApiError> {
    let limit = limit(q.limit)?;
    let label = match (q.site, state.sites.as_slice()) {
        (Some(site), _) => site,
        (None, [only]) => only.site.label.clone(),
        (None, _) => {
            return Err(ApiError::bad_request(
                "groups are listed one site at a time: add ?site= (GET /v1/sites lists them)",
            ))
        }
    };
    let after = q
        .after
        .as_deref()
        .map(decode_cursor::<GroupCursor>)
        .transpose()?;
    let key = match site_scope(&state, Some(&label)).await? {
        SiteScope::Site(key) => key,
        _ => return Ok(Json(Page::empty())),
    };
    let items = state
        .store
        .list_groups_page(key, after.as_ref(), limit)
        .await?;
    let next = Page::next_after(&items, limit, |g| encode_cursor(&GroupCursor::after(g)));
    Ok(Json(Page { items, next }))
}
