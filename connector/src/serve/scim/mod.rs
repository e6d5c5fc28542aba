//! SCIM 2.0 (RFC 7643, RFC 7644) under `/scim/v2/{site}`: what identity
//! providers (Okta, Entra ID, ...) speak to provision Tableau users and
//! groups. This module is the protocol alone, without I/O: errors in SCIM's
//! shape, filters and their evaluation, PATCH bodies read into the changes
//! they mean, resources rendered from the store's records, attribute
//! selection, list responses and the discovery documents. The routes read
//! the store and call Tableau around it.

pub mod attributes;
pub mod discovery;
pub mod error;
pub mod filter;
pub mod filter_ast;
pub mod filter_eval;
pub mod group_patch;
pub mod group_resource;
pub mod list;
pub mod patch;
mod schema_defs;
pub mod user_patch;
pub mod user_resource;
pub mod values;

pub use attributes::AttributeSelection;
pub use error::{ScimError, ScimJson, ScimType};
pub use filter::{parse_filter, parse_path, AttrPath, CompareOp, Filter, PatchPath};
pub use filter_eval::{default_case_exact, matches, simple_equality};
pub use group_patch::{parse_group_patch, GroupChanges};
pub use group_resource::{parse_new_group, render_group, NewGroup};
pub use list::{ListQuery, ListResponse, MAX_RESULTS};
pub use user_patch::{parse_user_patch, UserChanges};
pub use user_resource::{parse_new_user, render_user, NewUser};

/// The media type of every SCIM body (RFC 7644 §3.1).
pub const CONTENT_TYPE: &str = "application/scim+json";

/// The core User schema.
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema.
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The enterprise User extension (RFC 7643 §4.3); tabgov stores none of its
/// attributes, but filters may name it.
pub const ENTERPRISE_USER_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// tabgov's User extension: what Tableau knows beyond SCIM's core (site
/// role, licence, status, last sign-in, owned content).
pub const TABLEAU_USER_SCHEMA: &str = "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User";
/// tabgov's Group extension: the group's domain and grant-licence settings.
pub const TABLEAU_GROUP_SCHEMA: &str = "urn:tabgov:params:scim:schemas:extension:tableau:2.0:Group";

/// Message schemas (RFC 7644 §3.1).
pub const ERROR_MESSAGE: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// True for the core schemas, whose attributes sit at the top level of a
/// resource (a path prefixed with them names a top-level attribute).
pub fn is_core_schema(urn: &str) -> bool {
    urn.eq_ignore_ascii_case(USER_SCHEMA) || urn.eq_ignore_ascii_case(GROUP_SCHEMA)
}
