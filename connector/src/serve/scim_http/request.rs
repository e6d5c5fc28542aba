//! What every SCIM handler starts from: the site its path names, the
//! caller, a JSON body read as SCIM's, and library errors answered in
//! SCIM's error shape.

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::request::Parts;
use serde_json::Value;

use crate::serve::auth::Caller;
use crate::serve::scim::list::ListQuery;
use crate::serve::scim::ScimError;
use crate::serve::scim_session::{ScimSite, SiteProblem};
use crate::serve::AppState;

impl FromRequestParts<AppState> for ScimSite {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ScimError> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ScimError::not_found(format!("no such SCIM path: {e}")))?;
        let label = params
            .iter()
            .find(|(name, _)| name == "site")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let origin = match &state.settings.public_url {
            Some(url) => url.clone(),
            None => {
                let host = parts
                    .headers
                    .get(HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("localhost");
                format!("http://{host}")
            }
        };
        ScimSite::resolve(state, &label, &origin)
            .await
            .map_err(|problem| match problem {
                SiteProblem::Unknown(label) => ScimError::not_found(format!(
                    "no site {label:?} is served: use a [[site]] name of tabgov.toml"
                )),
                SiteProblem::NotSynced(label) => ScimError::unavailable(format!(
                    "site {label:?} has not been synced yet: wait for its first sync (GET /v1/sites)"
                )),
                SiteProblem::Store(e) => ScimError::internal(format!("cannot read the store: {e}")),
            })
    }
}

/// The token's name: the journal's actor for SCIM writes.
pub fn actor(caller: &Caller) -> String {
    format!("scim:{}", caller.name)
}

/// A request body as JSON: `application/scim+json` or `application/json`
/// (RFC 7644 §3.1 allows both); anything else, or bad JSON, is 400.
#[derive(Debug)]
pub struct ScimBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimBody {
    type Rejection = ScimError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ScimError> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !content_type.is_empty()
            && content_type != "application/scim+json"
            && content_type != "application/json"
        {
            return Err(ScimError::invalid_syntax(format!(
                "the body is {content_type}: send application/scim+json"
            )));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| ScimError::invalid_syntax(format!("cannot read the body: {e}")))?;
        let value = serde_json::from_slice(&bytes)
            .map_err(|e| ScimError::invalid_syntax(format!("the body is not JSON: {e}")))?;
        Ok(ScimBody(value))
    }
}

/// A library error as a SCIM answer: each kind keeps its meaning (a name
/// taken is 409 uniqueness, a refusal 409, a directory group 400
/// mutability, the removal guard 503), Tableau's own refusals keep theirs,
/// and the rest is a failed upstream (502).
pub fn from_library(e: crate::Error) -> ScimError {
    use crate::Error;
    use axum::http::StatusCode;
    let detail = e.to_string();
    match &e {
        Error::AlreadyExists { .. } => ScimError::conflict_uniqueness(detail),
        Error::NotFound { .. } => ScimError::not_found(detail),
        Error::Refused(_) => ScimError::new(StatusCode::CONFLICT, None, detail),
        Error::DirectoryGroup { .. } => ScimError::mutability(detail),
        Error::Config(_) => ScimError::invalid_value(detail),
        Error::MassRemovalRefused(_) | Error::BatchNotConfirmed(_) => {
            ScimError::unavailable(detail)
        }
        Error::Tableau(t) if t.status == 404 => ScimError::not_found(detail),
        Error::Tableau(t) if t.status == 409 => ScimError::conflict_uniqueness(detail),
        Error::Tableau(t) if t.status == 400 => ScimError::invalid_value(detail),
        _ => ScimError::new(StatusCode::BAD_GATEWAY, None, detail),
    }
}

/// The list parameters of a query string (filter, window, attributes),
/// percent-decoded.
pub fn list_query(query: Option<&str>) -> Result<ListQuery, ScimError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The store failed: 500, saying so (the detail names no secret).
pub fn store_error(e: tabgov_state::Error) -> ScimError {
    ScimError::internal(format!("cannot read or write the store: {e}"))
}
