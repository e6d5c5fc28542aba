//! `GET /v1/reports/licenses`: the licence report of `tabgov report
//! licenses`, as JSON, CSV or HTML (`?format=`, else the Accept header).

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

use crate::reports::html::render_html;
use crate::reports::license_text::write_csv;
use crate::reports::{license_report, LicenseReportOptions};
use crate::serve::routes::paging::{site_scope, ApiQuery, SiteScope};
use crate::serve::{ApiError, AppState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenseQuery {
    format: Option<String>,
    site: Option<String>,
    inactive_days: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    Html,
}

fn format_of(query: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
    if let Some(f) = query {
        return match f {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "html" => Ok(Format::Html),
            other => Err(ApiError::bad_request(format!(
                "format {other:?} is not offered: use json, csv or html"
            ))),
        };
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Ok(if accept.contains("text/csv") {
        Format::Csv
    } else if accept.contains("text/html") {
        Format::Html
    } else {
        Format::Json
    })
}

pub async fn licenses(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LicenseQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let format = format_of(q.format.as_deref(), &headers)?;
    let mut opts = LicenseReportOptions::new(Utc::now());
    opts.prices = state.prices.clone();
    opts.site = match site_scope(&state, q.site.as_deref()).await? {
        SiteScope::All => None,
        SiteScope::Site(key) => Some(key),
        SiteScope::Unsynced => {
            return Err(ApiError::conflict(
                "the site has not been synced yet: GET /v1/sites shows when it will be",
            ))
        }
    };
    if let Some(days) = q.inactive_days {
        if !(1..=3650).contains(&days) {
            return Err(ApiError::bad_request(
                "inactive_days takes a number of days from 1 to 3650",
            ));
        }
        opts.inactive_days = days;
    }
    let report = license_report(&state.store, &opts).await?;
    Ok(match format {
        Format::Json => axum::Json(report).into_response(),
        Format::Csv => {
            let mut body = Vec::new();
            write_csv(&report, &mut body)
                .map_err(|e| ApiError::internal(format!("cannot write the CSV: {e}")))?;
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response()
        }
        Format::Html => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            render_html(&report),
        )
            .into_response(),
    })
}
