//! The SCIM face's mass-removal guard. An identity provider deletes one
//! user per request, so the batch guard of `tabgov offboard` never sees a
//! burst; this one counts the site's completed removals in the journal
//! over the policy's window (so a restart does not reset it) and refuses
//! the next one past the limit, with an alert, instead of carrying it out.

use chrono::Utc;
use serde_json::json;
use tabgov_state::{JournalAction, JournalFilter, JournalState};

use super::scim_session::ScimSite;
use super::webhook::{Alert, AlertKind};
use super::AppState;

/// The limit was reached: how many removals, within what window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalsExceeded {
    pub removed: usize,
    pub limit: u32,
    pub window: String,
}

impl RemovalsExceeded {
    /// The sentence the caller and the alert get.
    pub fn message(&self) -> String {
        format!(
            "refused: {} users were removed from this site in the last {} and the limit is {}; \
             check the identity provider's assignments, then raise [site.scim] max_removals or wait",
            self.removed, self.window, self.limit
        )
    }
}

/// Allows one more removal on `site`, or refuses it (and alerts).
pub async fn allow_removal(state: &AppState, site: &ScimSite) -> Result<(), GuardError> {
    let policy = &site.handle.site.scim;
    let window = chrono::Duration::from_std(policy.removal_window).unwrap_or(chrono::Duration::MAX);
    let filter = JournalFilter {
        site: Some(site.key),
        action: Some(JournalAction::Deprovision),
        state: Some(JournalState::Completed),
        since: Utc::now().checked_sub_signed(window),
        limit: Some(policy.max_removals.saturating_add(1)),
        ..JournalFilter::default()
    };
    let removed = state
        .store
        .journal_list(&filter)
        .await
        .map_err(|e| GuardError::Store(e.to_string()))?
        .into_iter()
        .filter(|e| !e.intent.dry_run)
        .count();
    if removed < policy.max_removals as usize {
        return Ok(());
    }
    let exceeded = RemovalsExceeded {
        removed,
        limit: policy.max_removals,
        window: humantime::format_duration(policy.removal_window).to_string(),
    };
    tracing::warn!(site = %site.handle.site.label, "{}", exceeded.message());
    state.webhooks.send(
        Alert::new(AlertKind::MassRemovalRefused, exceeded.message())
            .with_site(site.handle.site.label.clone())
            .with_detail(json!({
                "source": "scim",
                "removed": exceeded.removed,
                "limit": exceeded.limit,
                "window": exceeded.window,
            })),
    );
    Err(GuardError::Exceeded(exceeded))
}

/// Why a removal may not go ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardError {
    Exceeded(RemovalsExceeded),
    /// The journal could not be read: no removal without the count.
    Store(String),
}
