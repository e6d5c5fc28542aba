//! Connection settings: server, API version, limits, timeouts, TLS.

use std::path::PathBuf;
use std::time::Duration;

use super::retry::RetryPolicy;

/// Requests in flight at once by default: well under Tableau Cloud's 20
/// concurrent long-running requests per site. The transport starts there
/// and sends fewer at once while Tableau answers 429.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// No fixed cap on requests per second by default: the adaptive window
/// follows what the server allows. `0` means no cap.
pub const DEFAULT_MAX_RPS: u32 = 0;

/// Users, groups and members per page: Tableau's maximum.
pub const DEFAULT_PAGE_SIZE: u32 = 1000;

/// How to reach one Tableau server.
#[derive(Debug, Clone)]
pub struct TransportOptions {
    /// Server root, e.g. `https://tableau.example.com`.
    pub server: String,
    /// Site content URL ("" = the default site).
    pub site: String,
    /// Forced REST API version (e.g. `3.21`); detected from serverinfo when `None`.
    pub api_version: Option<String>,
    pub concurrency: usize,
    /// A hard cap on requests per second; `0` for none.
    pub max_rps: u32,
    pub page_size: u32,
    pub connect_timeout: Duration,
    /// One attempt's time-out; all attempts of a request together end
    /// within `retry.max_elapsed`.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Extra root certificate (PEM) for servers behind a private CA.
    pub ca_cert: Option<PathBuf>,
}

impl TransportOptions {
    /// Defaults for `server` and `site`.
    pub fn new(server: impl Into<String>, site: impl Into<String>) -> TransportOptions {
        TransportOptions {
            server: server.into(),
            site: site.into(),
            api_version: None,
            concurrency: DEFAULT_CONCURRENCY,
            max_rps: DEFAULT_MAX_RPS,
            page_size: DEFAULT_PAGE_SIZE,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            ca_cert: None,
        }
    }
}
