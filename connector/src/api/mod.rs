//! The Tableau REST API, one file per resource: pure request builders and
//! decoders from Tableau's XML into the domain types of `tabgov-mapping`.
//! Nothing here sends; `transport` does.

pub mod auth;
mod auth_read;
pub mod connected_app_error;
pub mod content;
pub mod error_body;
pub mod groups;
pub mod outcome;
pub mod page;
pub mod request;
mod scan;
mod stream;
mod stream_one;
#[cfg(test)]
mod tree;
pub mod users;
pub(crate) mod xml;

pub use page::{Page, PageRequest};
pub use request::{ApiRequest, Method};
