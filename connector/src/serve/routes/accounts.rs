//! `GET /v1/accounts`: accounts from the store with the filters of
//! `tabgov accounts`, paged by key (`limit`, and `after` = the `next` of
//! the previous page), so every page costs the same at any depth.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tabgov_mapping::{AccountStatus, License};
use tabgov_state::{AccountCursor, AccountFilter, AccountRecord};

use super::paging::{decode_cursor, encode_cursor, limit, site_scope, ApiQuery, Page};
use crate::serve::{ApiError, AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsQuery {
    site: Option<String>,
    status: Option<String>,
    license: Option<String>,
    group: Option<String>,
    inactive_days: Option<u32>,
    after: Option<String>,
    limit: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AccountsQuery>,
) -> Result<Json<Page<AccountRecord>>, ApiError> {
    let limit = limit(q.limit)?;
    let status = q
        .status
        .as_deref()
        .map(str::parse::<AccountStatus>)
        .transpose()
        .map_err(|e| ApiError::bad_request(format!("status: {e}")))?;
    let license = q
        .license
        .as_deref()
        .map(str::parse::<License>)
        .transpose()
        .map_err(|e| ApiError::bad_request(format!("license: {e}")))?;
    let after = q
        .after
        .as_deref()
        .map(decode_cursor::<AccountCursor>)
        .transpose()?;
    let Some(site) = site_scope(&state, q.site.as_deref()).await?.filter() else {
        return Ok(Json(Page::empty()));
    };
    let filter = AccountFilter {
        site,
        status,
        license,
        group: q.group,
        inactive_days: q.inactive_days,
        now: None,
        after,
        limit: Some(limit),
        offset: None,
    };
    let items = state.store.list_accounts(&filter).await?;
    let next = Page::next_after(&items, limit, |a| encode_cursor(&AccountCursor::after(a)));
    Ok(Json(Page { items, next }))
}
