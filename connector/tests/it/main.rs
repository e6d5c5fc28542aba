//! The integration tests of the `tabgov` crate, one test binary: each
//! module is a suite (named after what it covers), the helper modules are
//! shared. Tests run in parallel threads of this one process, so none may
//! change the environment, the working directory or other process-wide
//! state; configuration is passed explicitly (each `tabgov` run gets its
//! own environment and directory).

mod action_helpers;
mod common;
mod review_helpers;

mod actions_all_users_grant;
mod actions_concurrency;
mod actions_deprovision;
mod actions_offboard;
mod actions_offboard_lookups;
mod actions_safety;
mod actions_store_reads;
mod actions_suspend;
mod api_version;
mod client_e2e;
mod connected_app_signin;
mod decode;
mod decode_sim;
mod demo_safety;
mod directory_identity;
mod output_safety;
mod postgres_store;
mod provision;
mod reports_demo;
mod reports_licenses;
mod reports_review_apply;
mod reports_review_export;
mod scim_flows;
mod scim_reads;
mod scope_docs;
mod serve_api;
mod serve_docs;
#[cfg(feature = "serve")]
mod serve_observe;
mod serve_offboard;
mod serve_reads;
#[cfg(feature = "serve")]
mod serve_webhooks;
mod store_cli;
mod store_commands;
mod store_copy;
mod sync_e2e;
mod sync_first;
mod sync_safety;
mod transport_certificates;
mod transport_limits;
mod transport_rate_limit;
mod transport_redirects;
mod transport_session_expiry;
