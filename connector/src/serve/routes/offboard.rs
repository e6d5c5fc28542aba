//! `POST /v1/offboard`: the rows of `tabgov offboard --file`, as JSON or
//! CSV, checked whole (400 naming every bad row, nothing kept), then kept
//! as a job and answered 202 with its id. An `Idempotency-Key` makes a
//! retried request return the first job instead of acting twice.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::{Extension, Json};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tabgov_mapping::OnContent;
use tabgov_state::{NewJob, Submitted};

use super::paging::ApiQuery;
use crate::actions::offboard::{parse_offboard, RowDefaults};
use crate::actions::offboard_rows::requests_from_rows;
use crate::actions::Verb;
use crate::serve::auth::Caller;
use crate::serve::job_spec::JobSpec;
use crate::serve::routes::jobs::JobView;
use crate::serve::{ApiError, AppState};

/// Longest accepted `Idempotency-Key`.
const MAX_KEY_LEN: usize = 200;

/// Options of a CSV body, as query parameters (a JSON body carries them).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffboardOptions {
    site: Option<String>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    confirm: bool,
    action: Option<String>,
    #[serde(default)]
    on_content: OnContent,
    #[serde(default)]
    sticky: bool,
    reason: Option<String>,
    ticket: Option<String>,
}

/// A JSON body: the options and the rows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonBody {
    #[serde(flatten)]
    options: OffboardOptions,
    rows: Vec<serde_json::Value>,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(query): ApiQuery<OffboardOptions>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<JobView>), ApiError> {
    if state.stopping() {
        return Err(ApiError::unavailable(
            "the service is stopping: send the request again to the next instance",
        ));
    }
    let key = idempotency_key(&headers)?;
    let (options, requests) = parse_body(&headers, query, &body)?;
    let site =
        match options.site.clone() {
            Some(site) => site,
            None if state.sites.len() == 1 => state.sites[0].site.label.clone(),
            None => return Err(ApiError::bad_request(
                "name the site: \"site\" in the body (or ?site= for CSV); GET /v1/sites lists them",
            )),
        };
    if state.site(&site).is_none() {
        return Err(ApiError::bad_request(format!(
            "no site {site:?} is served: GET /v1/sites lists them"
        )));
    }
    let spec = JobSpec {
        site: site.clone(),
        dry_run: options.dry_run,
        confirm: options.confirm,
        requests,
    };
    let request = serde_json::to_value(&spec)
        .map_err(|e| ApiError::internal(format!("cannot keep the job: {e}")))?;
    let job = NewJob {
        idempotency_key: key,
        request_hash: hex::encode(Sha256::digest(request.to_string().as_bytes())),
        site_label: site,
        dry_run: spec.dry_run,
        request,
        submitted_by: caller.name,
    };
    let (status, record) = match state.store.submit_job(&job).await {
        Ok(Submitted::Accepted(record)) => {
            state.jobs_wake.notify_one();
            (StatusCode::ACCEPTED, record)
        }
        // The same request again: the first job, whatever state it is in.
        Ok(Submitted::Existing(record)) => (StatusCode::OK, record),
        Err(e @ tabgov_state::Error::IdempotencyKeyReused { .. }) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                e.to_string(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    Ok((status, Json(JobView::of(record)?)))
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "the Idempotency-Key header must be 1 to {MAX_KEY_LEN} visible ASCII characters, e.g. a UUID"
            ))
        })?;
    Ok(Some(key.to_owned()))
}

/// The options and the checked targets of a JSON or CSV body.
fn parse_body(
    headers: &HeaderMap,
    query: OffboardOptions,
    body: &[u8],
) -> Result<(OffboardOptions, Vec<crate::actions::TargetRequest>), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let refused = |problems: Vec<String>| {
        let mut e = ApiError::bad_request(format!(
            "the request was refused and nothing was kept: {}",
            problems.join("; ")
        ));
        e.code = "invalid_rows";
        e
    };
    if content_type.starts_with("application/json") {
        let parsed: JsonBody = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
        let defaults = defaults(&parsed.options)?;
        let requests = requests_from_rows(&parsed.rows, &defaults).map_err(refused)?;
        Ok((parsed.options, requests))
    } else if content_type.starts_with("text/csv") {
        let defaults = defaults(&query)?;
        let requests = parse_offboard(body, &defaults).map_err(refused)?;
        Ok((query, requests))
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the rows as application/json or text/csv",
        ))
    }
}

fn defaults(options: &OffboardOptions) -> Result<RowDefaults, ApiError> {
    let action = match options.action.as_deref() {
        None => None,
        Some(a) => match Verb::parse(a) {
            Some(v @ (Verb::Suspend | Verb::Deprovision)) => Some(v),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "action {a:?} is not an offboarding action: use suspend or deprovision"
                )))
            }
        },
    };
    Ok(RowDefaults {
        action,
        on_content: options.on_content,
        sticky: options.sticky,
        reason: options.reason.clone(),
        ticket: options.ticket.clone(),
    })
}
