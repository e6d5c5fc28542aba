//! What an accepted offboarding job holds until it runs: the site, the
//! checked targets and how to act, as the JSON the store keeps.

use serde::{Deserialize, Serialize};

use crate::actions::TargetRequest;

/// An offboarding job as stored (`jobs.request`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSpec {
    /// The served site's label.
    pub site: String,
    pub dry_run: bool,
    /// Confirms a batch larger than the site's action limit (`--yes`).
    pub confirm: bool,
    pub requests: Vec<TargetRequest>,
}
