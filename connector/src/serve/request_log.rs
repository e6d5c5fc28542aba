//! One tracing span and one metrics sample per request, named by the
//! matched route (`/v1/jobs/{id}`), never the raw path, so logs and series
//! stay bounded whatever callers send.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::AppState;

pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let span = tracing::info_span!("request", %method, %route, status = tracing::field::Empty);
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    span.record("status", status);
    let elapsed = started.elapsed();
    span.in_scope(|| {
        tracing::info!(
            duration_ms = elapsed.as_secs_f64() * 1e3,
            status,
            "request done"
        )
    });
    state.metrics.record_http(&route, &method, status, elapsed);
    response
}
