//! Counters of what the transport did, for the end-of-run summary.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

/// What a transport sent so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TransportStats {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Attempts repeated after a 429, 5xx or network failure.
    pub retries: u64,
    /// Sign-ins, the first included.
    pub sign_ins: u64,
    /// Listing pages received whole (a page retried counts once).
    pub pages: u64,
    /// Answers 429 (Too Many Requests) received, retried or not: how often
    /// the site's rate limit was hit, which `retries` alone cannot tell
    /// apart from server or network failures.
    pub rate_limited: u64,
}

#[derive(Debug, Default)]
pub(super) struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    sign_ins: AtomicU64,
    pages: AtomicU64,
    rate_limited: AtomicU64,
}

impl Counters {
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub fn retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    pub fn sign_in(&self) {
        self.sign_ins.fetch_add(1, Ordering::Relaxed);
    }

    pub fn page(&self) {
        self.pages.fetch_add(1, Ordering::Relaxed);
    }

    pub fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> TransportStats {
        TransportStats {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            sign_ins: self.sign_ins.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
        }
    }
}
