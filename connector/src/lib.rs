//! tabgov: the Tableau REST client, the sync engine and the command line of
//! an identity-governance connector for Tableau Server and Tableau Cloud.
//!
//! Layers point one way: `cli` -> `sync` -> `api` -> `transport`. Requests
//! are built purely in `api`, sent only by `transport`, and decoded back
//! into the domain types of `tabgov-mapping` at the `api` boundary.

pub mod actions;
pub mod api;
pub mod credentials;
pub mod error;
pub mod error_code;
pub mod exit_code;
pub mod listing;
pub mod reports;
pub mod secret;
pub mod site_lock;
pub mod sync;
pub mod transport;

pub use error::{Error, ErrorCode, Result, TableauError};
pub use exit_code::ExitCode;
pub use secret::Secret;
