//! What a connected transport tells about itself: the signed-in site and
//! user, the API version, its options and its counters.

use tabgov_mapping::{SiteLuid, UserId};

use super::{ServerInfo, Transport, TransportOptions, TransportStats};

impl Transport {
    /// The site's LUID, for request paths. Set from the sign-in that
    /// [`Transport::connect`] completes before it returns, so a transport
    /// in hand always has one (and a renewal signs in to the same site).
    pub fn site_id(&self) -> &SiteLuid {
        &self.site
    }

    /// The signed-in user's LUID (the connector's own account), from the
    /// same sign-in as [`Transport::site_id`]; a renewal signs in with the
    /// same credential, so as the same user.
    pub fn user_id(&self) -> &UserId {
        &self.user
    }

    /// The REST API version in use.
    pub fn api_version(&self) -> &str {
        &self.version
    }

    /// What serverinfo said, when it was asked.
    pub fn server_info(&self) -> Option<&ServerInfo> {
        self.server_info.as_ref()
    }

    /// The options this transport runs with.
    pub fn options(&self) -> &TransportOptions {
        &self.opts
    }

    /// Counts one listing page received, for the run's summary.
    pub(crate) fn count_page(&self) {
        self.counters.page();
    }

    /// Requests, retries, sign-ins, pages and 429s so far.
    pub fn stats(&self) -> TransportStats {
        self.counters.snapshot()
    }
}
