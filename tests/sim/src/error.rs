//! Tableau error answers: HTTP status, six-digit code, summary and detail.
//!
//! The first three digits of a code are the HTTP status, as on a real server,
//! so a client can rely on either.

use crate::node::Node;

/// An error answer in Tableau's shape (`<error code><summary/><detail/></error>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Six-digit Tableau code, e.g. `401002`.
    pub code: u32,
    /// Short summary, as Tableau words it.
    pub summary: String,
    /// Longer human-readable detail.
    pub detail: String,
    /// Optional `Retry-After` seconds (429 answers only).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// A new error with the given code, summary and detail.
    pub fn new(code: u32, summary: &str, detail: impl Into<String>) -> Self {
        ApiError {
            code,
            summary: summary.to_string(),
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// HTTP status: the first three digits of the code.
    pub fn status(&self) -> u16 {
        (self.code / 1000) as u16
    }

    /// The `<error>` element for this answer.
    pub fn node(&self) -> Node {
        Node::new("error")
            .attr("code", self.code.to_string())
            .child(Node::text("summary", &self.summary))
            .child(Node::text("detail", &self.detail))
    }

    pub(crate) fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(400000, "Bad Request", detail)
    }
    pub(crate) fn signin(detail: impl Into<String>) -> Self {
        Self::new(401001, "Signin Error", detail)
    }
    pub(crate) fn no_token() -> Self {
        Self::new(
            401000,
            "Unauthorized Access",
            "No authentication credentials were provided.",
        )
    }
    pub(crate) fn session_expired() -> Self {
        Self::new(
            401000,
            "Unauthorized Access",
            "The session has expired; sign in again.",
        )
    }
    pub(crate) fn unauthorized() -> Self {
        Self::new(
            401002,
            "Unauthorized Access",
            "Invalid authentication credentials were provided.",
        )
    }
    pub(crate) fn scope(scope: &str) -> Self {
        Self::new(
            401002,
            "Unauthorized Access",
            format!("The access token does not grant the scope '{scope}' this request needs."),
        )
    }
    pub(crate) fn site_not_found(site: &str) -> Self {
        Self::new(
            404000,
            "Site Not Found",
            format!("Site '{site}' could not be found."),
        )
    }
    pub(crate) fn user_not_found(id: &str) -> Self {
        Self::new(
            404002,
            "Resource Not Found",
            format!("User '{id}' could not be found."),
        )
    }
    pub(crate) fn group_not_found(id: &str) -> Self {
        Self::new(
            404012,
            "Resource Not Found",
            format!("Group '{id}' could not be found."),
        )
    }
    pub(crate) fn unknown_resource(path: &str) -> Self {
        Self::new(
            404003,
            "Resource Not Found",
            format!("Unknown resource '{path}' specified in URI."),
        )
    }
    pub(crate) fn method(method: &str) -> Self {
        Self::new(
            405000,
            "Invalid Request Method",
            format!("Request type '{method}' is not supported for this URI."),
        )
    }
    pub(crate) fn rate_limited(retry_after: Option<u64>) -> Self {
        let mut e = Self::new(
            429000,
            "Too Many Requests",
            "The request was refused because the rate limit was exceeded. Retry later.",
        );
        e.retry_after = retry_after;
        e
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.code, self.summary, self.detail)
    }
}

impl std::error::Error for ApiError {}
