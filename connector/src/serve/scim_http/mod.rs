//! The SCIM 2.0 endpoints under `/scim/v2/{site}` (docs/scim.md): the
//! protocol's pure part is `serve::scim`; these handlers read the store
//! and act through the action engine, as the rest of the service does.

mod auth;
mod discovery;
mod groups_read;
mod groups_write;
mod profile;
mod request;
mod users_create;
mod users_read;
mod users_write;

use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;

use super::scim::ScimError;
use super::AppState;

/// The SCIM routes, each behind a `scim`-scoped token.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/scim/v2/{site}/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route(
            "/scim/v2/{site}/ResourceTypes",
            get(discovery::resource_types),
        )
        .route(
            "/scim/v2/{site}/ResourceTypes/{name}",
            get(discovery::resource_type),
        )
        .route("/scim/v2/{site}/Schemas", get(discovery::schemas))
        .route("/scim/v2/{site}/Schemas/{id}", get(discovery::schema))
        .route(
            "/scim/v2/{site}/Users",
            get(users_read::list)
                .post(users_create::create)
                .fallback(method_not_allowed),
        )
        .route(
            "/scim/v2/{site}/Users/{id}",
            get(users_read::get)
                .patch(users_write::patch)
                .put(users_write::put)
                .delete(users_write::delete)
                .fallback(method_not_allowed),
        )
        .route(
            "/scim/v2/{site}/Groups",
            get(groups_read::list)
                .post(groups_write::create)
                .fallback(method_not_allowed),
        )
        .route(
            "/scim/v2/{site}/Groups/{id}",
            get(groups_read::get)
                .patch(groups_write::patch)
                .put(groups_write::put)
                .delete(groups_write::delete)
                .fallback(method_not_allowed),
        )
        .route("/scim/v2/{site}/.search", axum::routing::any(no_search))
        .route("/scim/v2/{site}/{*rest}", axum::routing::any(unknown))
        .route_layer(from_fn_with_state(state, auth::require_scim))
}

/// A method the endpoint does not take (bulk, search by POST).
async fn method_not_allowed() -> ScimError {
    ScimError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        None,
        "this endpoint does not take that method: see /ServiceProviderConfig",
    )
}

/// Searching by POST (RFC 7644 §3.4.3) is not offered: GET with
/// `filter` does the same.
async fn no_search() -> ScimError {
    ScimError::not_implemented("POST /.search is not offered: use GET with filter")
}

/// A path under a site that names no SCIM endpoint.
async fn unknown() -> ScimError {
    ScimError::not_found("no such SCIM endpoint: see /ServiceProviderConfig and /ResourceTypes")
}
