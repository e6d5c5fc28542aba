//! The one session a run shares across all its concurrent requests.
//!
//! Tableau ends a PAT's session when the same PAT signs in again, so two
//! sign-ins must never race: renewal is single-flight. A request that meets
//! 401 renews only if nobody renewed since it sent; the others wait for
//! that one sign-in and reuse its token.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::api::auth::SessionCredentials;
use crate::Secret;

/// Sign-ins one request may cause on 401s: one renewal, and one more in
/// case another request's renewal ended the session it had just received.
pub const MAX_RENEWALS_PER_REQUEST: u32 = 2;

/// Tokens one request may try in all: its renewals and the sessions other
/// requests renewed while it was in flight.
pub const MAX_TOKENS_PER_REQUEST: u32 = 6;

/// A renewed session younger than this that is ended again was ended by
/// someone else signing in with the same PAT, not by its lifetime.
pub const MIN_SESSION_LIFE: Duration = Duration::from_secs(1);

/// Tableau sessions last hours (240 minutes by default): a third session in
/// one run ended within this time means another client keeps signing in
/// with the same PAT, however slowly.
pub const SHORT_SESSION_LIFE: Duration = Duration::from_secs(300);

/// One signed-in session.
#[derive(Debug)]
pub struct Active {
    pub credentials: SessionCredentials,
    /// Counts sign-ins of this transport: 1 for the first session.
    pub generation: u64,
    pub signed_in_at: Instant,
    /// Requests this session answered successfully.
    pub successes: AtomicU64,
}

/// The current session, swapped whole on renewal.
#[derive(Debug, Default)]
pub struct SessionSlot {
    current: RwLock<Option<Arc<Active>>>,
    /// Held while signing in, so that only one sign-in runs at a time.
    pub signing_in: tokio::sync::Mutex<()>,
}

impl SessionSlot {
    /// The current session, if signed in.
    pub fn current(&self) -> Option<Arc<Active>> {
        self.current
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Installs a fresh session and returns it.
    pub fn install(&self, credentials: SessionCredentials) -> Arc<Active> {
        let mut slot = self.current.write().unwrap_or_else(|p| p.into_inner());
        let generation = slot.as_ref().map_or(1, |a| a.generation + 1);
        let active = Arc::new(Active {
            credentials,
            generation,
            signed_in_at: Instant::now(),
            successes: AtomicU64::new(0),
        });
        *slot = Some(active.clone());
        active
    }

    /// Forgets the session (after sign-out).
    pub fn clear(&self) -> Option<Arc<Active>> {
        self.current
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}

impl Active {
    /// The token to send.
    pub fn token(&self) -> &Secret {
        &self.credentials.token
    }

    /// Records a successful answer.
    pub fn note_success(&self) {
        self.successes.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether this session, now ended, looks ended by another sign-in with
    /// the same PAT: a renewed session that died almost at once, or a third
    /// session that died young.
    pub fn ended_by_another_client(&self) -> bool {
        let age = self.signed_in_at.elapsed();
        (self.generation > 1 && age < MIN_SESSION_LIFE)
            || (self.generation > 2 && age < SHORT_SESSION_LIFE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(token: &str) -> SessionCredentials {
        SessionCredentials {
            token: Secret::new(token),
            site_id: "site".into(),
            site_content_url: String::new(),
            user_id: "me".into(),
        }
    }

    #[test]
    fn generations_count_sign_ins() {
        let slot = SessionSlot::default();
        assert!(slot.current().is_none());
        assert_eq!(slot.install(creds("a")).generation, 1);
        let second = slot.install(creds("b"));
        assert_eq!(second.generation, 2);
        assert_eq!(slot.current().unwrap().token().expose(), "b");
        assert!(
            second.ended_by_another_client(),
            "renewed and ended at once"
        );
        let third = slot.install(creds("c"));
        assert_eq!(third.generation, 3);
        assert!(slot.clear().is_some());
        assert!(slot.current().is_none());
    }

    #[test]
    fn a_third_session_that_dies_young_was_ended_by_another_client() {
        let aged = |generation, secs| Active {
            credentials: creds("t"),
            generation,
            signed_in_at: Instant::now()
                .checked_sub(Duration::from_secs(secs))
                .unwrap_or_else(Instant::now),
            successes: AtomicU64::new(0),
        };
        assert!(
            !aged(2, 30).ended_by_another_client(),
            "one renewal after an expiry"
        );
        assert!(
            aged(3, 30).ended_by_another_client(),
            "sessions keep dying young"
        );
        assert!(
            !aged(3, 600).ended_by_another_client(),
            "long-lived sessions expire"
        );
    }

    #[test]
    fn a_first_session_is_never_taken_for_a_stolen_one() {
        let slot = SessionSlot::default();
        assert!(!slot.install(creds("a")).ended_by_another_client());
    }
}
