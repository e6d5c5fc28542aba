//! `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`: what this
//! service supports, so a client configures itself (RFC 7644 §4).

use axum::extract::Path;
use serde_json::Value;

use crate::serve::scim::discovery;
use crate::serve::scim::list::ListResponse;
use crate::serve::scim::{ScimError, ScimJson};
use crate::serve::scim_session::ScimSite;

pub async fn service_provider_config(site: ScimSite) -> ScimJson<Value> {
    ScimJson::ok(discovery::service_provider_config(&site.base_url))
}

pub async fn resource_types(site: ScimSite) -> ScimJson<ListResponse> {
    ScimJson::ok(ListResponse::all(discovery::resource_types(&site.base_url)))
}

pub async fn resource_type(
    site: ScimSite,
    Path((_, name)): Path<(String, String)>,
) -> Result<ScimJson<Value>, ScimError> {
    discovery::resource_type(&site.base_url, &name)
        .map(ScimJson::ok)
        .ok_or_else(|| ScimError::not_found(format!("no resource type {name:?}: User or Group")))
}

pub async fn schemas(site: ScimSite) -> ScimJson<ListResponse> {
    ScimJson::ok(ListResponse::all(discovery::schemas(&site.base_url)))
}

pub async fn schema(
    site: ScimSite,
    Path((_, id)): Path<(String, String)>,
) -> Result<ScimJson<Value>, ScimError> {
    discovery::schema(&site.base_url, &id)
        .map(ScimJson::ok)
        .ok_or_else(|| ScimError::not_found(format!("no schema {id:?}: see /Schemas")))
}
