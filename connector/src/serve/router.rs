//! The API's routes and which scope each needs: `/healthz` is open,
//! GET routes need `read`, routes that change Tableau need `act`.

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use super::routes::{accounts, changes, groups, health, jobs, journal, offboard, reports, sites};
use super::{auth, request_log, ApiError, AppState};

pub fn router(state: AppState) -> Router {
    let read = Router::new()
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/v1/sites", get(sites::list))
        .route("/v1/accounts", get(accounts::list))
        .route("/v1/groups", get(groups::list))
        .route("/v1/changes", get(changes::list))
        .route("/v1/journal", get(journal::list))
        .route("/v1/reports/licenses", get(reports::licenses))
        .route("/v1/jobs/{id}", get(jobs::get))
        .route_layer(from_fn_with_state(state.clone(), auth::require_read));
    let act = Router::new()
        .route("/v1/sites/{site}/sync", post(sites::sync_now))
        .route("/v1/offboard", post(offboard::submit))
        .route_layer(from_fn_with_state(state.clone(), auth::require_act));
    Router::new()
        .route("/healthz", get(health::healthz))
        .merge(read)
        .merge(act)
        .merge(super::scim_http::router(state.clone()))
        .fallback(|| async {
            ApiError::not_found("no such endpoint: see docs/serve.md for the API")
        })
        .layer(DefaultBodyLimit::max(state.settings.max_body_bytes))
        .layer(from_fn_with_state(state.clone(), request_log::observe))
        .with_state(state)
}
