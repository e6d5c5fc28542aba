//! A site the service keeps synced: how to reach it, how often, and what
//! its scheduler is doing now (for /v1/sites and /readyz).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::{Mutex, Notify};

use crate::credentials::Credential;
use crate::transport::TransportOptions;

use super::ScimSitePolicy;

/// How to reach a site and how often to sync it.
#[derive(Debug, Clone)]
pub struct ServedSite {
    /// What the API calls it: the config's name, else the content URL.
    pub label: String,
    pub options: TransportOptions,
    pub credential: Credential,
    pub every: Duration,
    /// Older than this, the last success makes /readyz fail.
    pub fresh_within: Duration,
    /// What the SCIM face may do to the site.
    pub scim: ScimSitePolicy,
}

/// A site as the running service tracks it.
#[derive(Debug)]
pub struct SiteHandle {
    pub site: ServedSite,
    /// Wakes the site's scheduler for a sync now (`POST .../sync`).
    pub wake: Notify,
    pub status: Mutex<ScheduleStatus>,
}

impl SiteHandle {
    pub fn new(site: ServedSite) -> SiteHandle {
        SiteHandle {
            site,
            wake: Notify::new(),
            status: Mutex::new(ScheduleStatus::default()),
        }
    }
}

/// What the scheduler last did and will do next for one site.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScheduleStatus {
    pub syncing: bool,
    pub next_sync_at: Option<DateTime<Utc>>,
    /// Failures in a row since the last success (the backoff's exponent).
    pub consecutive_failures: u32,
    /// The last failure's sentence, cleared by a success.
    pub last_error: Option<String>,
    /// A sync was asked for by the API and has not started yet.
    pub requested: bool,
}
