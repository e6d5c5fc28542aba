//! What the list endpoints share: query strings refused as JSON errors,
//! page sizes, opaque cursors, and site names resolved to store keys.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tabgov_state::SiteKey;

use crate::serve::{ApiError, AppState};

/// A page when the caller asks for no size, and the most one may ask for.
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

/// `Query<T>` whose rejection is the API's JSON 400, naming the parameter.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::bad_request(format!("bad query string: {}", e.body_text())))
    }
}

/// A page of a list: the items and the cursor of the next page (`null` on
/// the last).
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    pub fn empty() -> Page<T> {
        Page {
            items: Vec::new(),
            next: None,
        }
    }

    /// The cursor after the last of `items` when the page is full (there
    /// may be more), else `None`.
    pub fn next_after(items: &[T], limit: u32, cursor: impl Fn(&T) -> String) -> Option<String> {
        if items.len() < limit as usize {
            return None;
        }
        items.last().map(cursor)
    }
}

/// The page size asked for, checked.
pub fn limit(asked: Option<u32>) -> Result<u32, ApiError> {
    match asked {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!(
            "limit {n} is out of range: ask for 1 to {MAX_LIMIT}"
        ))),
    }
}

/// A cursor as callers see it: opaque, URL-safe.
pub fn encode_cursor<T: Serialize>(key: &T) -> String {
    let json = serde_json::to_vec(key).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

/// A cursor this API handed out, or a 400 saying to start over.
pub fn decode_cursor<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "the cursor is not one this API gave out: pass the `next` of the last page, or none to start over",
            )
        })
}

/// Which site a list is narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteScope {
    /// No `site=`: every site.
    All,
    /// A served site the store holds.
    Site(SiteKey),
    /// A served site never synced: nothing to list, not an error.
    Unsynced,
}

impl SiteScope {
    /// The store filter, or `None` when the answer is empty anyway.
    pub fn filter(self) -> Option<Option<SiteKey>> {
        match self {
            SiteScope::All => Some(None),
            SiteScope::Site(key) => Some(Some(key)),
            SiteScope::Unsynced => None,
        }
    }
}

/// The served site named `label` (its config name or content URL).
pub async fn site_scope(state: &AppState, label: Option<&str>) -> Result<SiteScope, ApiError> {
    let Some(label) = label else {
        return Ok(SiteScope::All);
    };
    let handle = state.site(label).ok_or_else(|| {
        ApiError::bad_request(format!(
            "no site {label:?} is served: GET /v1/sites lists them"
        ))
    })?;
    let options = &handle.site.options;
    let record = state
        .store
        .find_site(Some(&options.server), &options.site)
        .await?;
    Ok(record.map_or(SiteScope::Unsynced, |r| SiteScope::Site(r.key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_outside_the_range_are_refused_with_the_range() {
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(limit(Some(1000)).unwrap(), 1000);
        for bad in [0, 1001] {
            assert!(limit(Some(bad)).unwrap_err().message.contains("1 to 1000"));
        }
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_a_bad_request() {
        let key = ("finance".to_owned(), 42i64);
        let text = encode_cursor(&key);
        assert_eq!(decode_cursor::<(String, i64)>(&text).unwrap(), key);
        let err = decode_cursor::<(String, i64)>("not-a-cursor").unwrap_err();
        assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST);
    }
}
