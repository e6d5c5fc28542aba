//! The discovery endpoints (RFC 7644 §4): `/ServiceProviderConfig`,
//! `/ResourceTypes` and `/Schemas`, which identity providers read to learn
//! what this service provider supports. They describe only what works:
//! PATCH and filters yes, bulk, sorting, ETags and passwords no, and the
//! attributes tabgov keeps. Each function takes the base URL
//! (`https://host/scim/v2/{site}`, no trailing slash) for `meta.location`.

use serde_json::{json, Value};

use super::list::MAX_RESULTS;
use super::schema_defs::{
    group_attributes, tableau_group_attributes, tableau_user_attributes, user_attributes, AttrDef,
};
use super::{GROUP_SCHEMA, TABLEAU_GROUP_SCHEMA, TABLEAU_USER_SCHEMA, USER_SCHEMA};

const SERVICE_PROVIDER_CONFIG: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// `GET /ServiceProviderConfig`.
pub fn service_provider_config(base_url: &str) -> Value {
    json!({
        "schemas": [SERVICE_PROVIDER_CONFIG],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "A tabgov token of scope scim, sent as `Authorization: Bearer TOKEN`.",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base_url}/ServiceProviderConfig")
        }
    })
}

/// `GET /ResourceTypes`: User and Group, each with tabgov's extension
/// (never required).
pub fn resource_types(base_url: &str) -> Vec<Value> {
    [
        (
            "User",
            "/Users",
            "A Tableau user of the site.",
            USER_SCHEMA,
            TABLEAU_USER_SCHEMA,
        ),
        (
            "Group",
            "/Groups",
            "A Tableau group of the site.",
            GROUP_SCHEMA,
            TABLEAU_GROUP_SCHEMA,
        ),
    ]
    .into_iter()
    .map(|(name, endpoint, description, schema, extension)| {
        json!({
            "schemas": [RESOURCE_TYPE],
            "id": name,
            "name": name,
            "endpoint": endpoint,
            "description": description,
            "schema": schema,
            "schemaExtensions": [{"schema": extension, "required": false}],
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{base_url}/ResourceTypes/{name}")
            }
        })
    })
    .collect()
}

/// `GET /ResourceTypes/{name}`; the name in any case.
pub fn resource_type(base_url: &str, name: &str) -> Option<Value> {
    resource_types(base_url).into_iter().find(|t| {
        t["id"]
            .as_str()
            .is_some_and(|id| id.eq_ignore_ascii_case(name))
    })
}

/// `GET /Schemas`: the core User and Group schemas as tabgov supports
/// them, and tabgov's two extensions.
pub fn schemas(base_url: &str) -> Vec<Value> {
    [
        (USER_SCHEMA, "User", "User Account", user_attributes()),
        (GROUP_SCHEMA, "Group", "Group", group_attributes()),
        (
            TABLEAU_USER_SCHEMA,
            "TableauUser",
            "What Tableau knows of a user beyond SCIM's core.",
            tableau_user_attributes(),
        ),
        (
            TABLEAU_GROUP_SCHEMA,
            "TableauGroup",
            "What Tableau knows of a group beyond SCIM's core.",
            tableau_group_attributes(),
        ),
    ]
    .into_iter()
    .map(|(id, name, description, attributes)| {
        json!({
            "schemas": [SCHEMA],
            "id": id,
            "name": name,
            "description": description,
            "attributes": attributes.iter().map(AttrDef::json).collect::<Vec<_>>(),
            "meta": {
                "resourceType": "Schema",
                "location": format!("{base_url}/Schemas/{id}")
            }
        })
    })
    .collect()
}

/// `GET /Schemas/{id}`; the URN in any case.
pub fn schema(base_url: &str, id: &str) -> Option<Value> {
    schemas(base_url)
        .into_iter()
        .find(|s| s["id"].as_str().is_some_and(|s| s.eq_ignore_ascii_case(id)))
}

#[cfg(test)]
#[path = "discovery_tests.rs"]
mod tests;
