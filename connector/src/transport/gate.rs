//! The slots requests take before they are sent, as many as the adaptive
//! window (see [`Aimd`]) allows. A request answered 429 keeps its slot
//! while it waits out `Retry-After`, so a throttled server sees fewer
//! requests at once instead of the same number again after the pause.

use std::sync::Mutex;
use std::time::Instant;

use tokio::sync::Notify;

use super::aimd::Aimd;

#[derive(Debug)]
struct State {
    aimd: Aimd,
    in_flight: usize,
}

/// Slots for requests in flight, sized by an AIMD window.
#[derive(Debug)]
pub struct Gate {
    state: Mutex<State>,
    freed: Notify,
}

/// One request's place in the window; freed on drop.
#[derive(Debug)]
pub struct Slot<'a> {
    gate: &'a Gate,
}

impl Gate {
    /// A gate whose window starts at `max` and never exceeds it.
    pub fn new(max: usize) -> Gate {
        Gate {
            state: Mutex::new(State {
                aimd: Aimd::new(max),
                in_flight: 0,
            }),
            freed: Notify::new(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a free slot.
    pub async fn acquire(&self) -> Slot<'_> {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            // Registered before the check, so a slot freed in between wakes it.
            freed.as_mut().enable();
            {
                let mut s = self.state();
                if s.in_flight < s.aimd.window() {
                    s.in_flight += 1;
                    return Slot { gate: self };
                }
            }
            freed.await;
        }
    }

    /// A request was answered without throttling: the window may grow.
    pub fn succeeded(&self) {
        self.state().aimd.on_success();
        self.freed.notify_waiters();
    }

    /// A request sent at `sent_at` was answered 429.
    pub fn throttled(&self, sent_at: Instant) {
        let mut s = self.state();
        if s.aimd.on_throttled(sent_at, Instant::now()) {
            tracing::debug!(
                window = s.aimd.window(),
                "rate limited: fewer requests at once"
            );
        }
    }

    /// Requests allowed in flight now.
    #[cfg(test)]
    pub fn window(&self) -> usize {
        self.state().aimd.window()
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.gate.state().in_flight -= 1;
        self.gate.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_shrunk_window_holds_requests_back_until_slots_free() {
        let gate = Gate::new(2);
        let a = gate.acquire().await;
        let b = gate.acquire().await;
        let third = tokio::time::timeout(Duration::from_millis(50), gate.acquire()).await;
        assert!(third.is_err(), "two slots at most");
        gate.throttled(Instant::now());
        assert_eq!(gate.window(), 1);
        drop(a);
        let still = tokio::time::timeout(Duration::from_millis(50), gate.acquire()).await;
        assert!(still.is_err(), "one in flight fills a window of one");
        drop(b);
        let c = tokio::time::timeout(Duration::from_millis(50), gate.acquire()).await;
        assert!(c.is_ok(), "a freed slot lets the next in");
    }
}
