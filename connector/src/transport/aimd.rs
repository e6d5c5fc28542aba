//! How many requests may be in flight, adapted to what the server allows
//! (additive increase, multiplicative decrease). A run starts at the
//! concurrency limit, halves the window when Tableau answers 429, and
//! grows it back by about one request per window of successes, so a server
//! with no limit is never slowed down and one with a low limit is not
//! hammered. Pure: the caller passes the clock.

use std::time::Instant;

/// The window of requests in flight.
#[derive(Debug, Clone)]
pub struct Aimd {
    /// The window, fractional so that growth is gradual.
    window: f64,
    max: f64,
    /// When the window was last cut: a 429 to a request sent before this
    /// belongs to the same burst and does not cut it again.
    last_cut: Option<Instant>,
}

impl Aimd {
    /// A window starting at `max` (at least 1).
    pub fn new(max: usize) -> Aimd {
        let max = max.max(1) as f64;
        Aimd {
            window: max,
            max,
            last_cut: None,
        }
    }

    /// Requests allowed in flight now (at least 1).
    pub fn window(&self) -> usize {
        (self.window.floor() as usize).max(1)
    }

    /// A request succeeded: grow by one request per window of successes.
    pub fn on_success(&mut self) {
        self.window = (self.window + 1.0 / self.window.max(1.0)).min(self.max);
    }

    /// A request sent at `sent_at` was answered 429 at `now`: halve the
    /// window, once per burst of 429s. Returns whether it was cut.
    pub fn on_throttled(&mut self, sent_at: Instant, now: Instant) -> bool {
        if self.last_cut.is_some_and(|cut| sent_at < cut) {
            return false;
        }
        self.window = (self.window / 2.0).max(1.0);
        self.last_cut = Some(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn starts_at_the_concurrency_limit_and_never_exceeds_it() {
        let mut a = Aimd::new(8);
        assert_eq!(a.window(), 8);
        for _ in 0..100 {
            a.on_success();
        }
        assert_eq!(a.window(), 8);
        assert_eq!(Aimd::new(0).window(), 1);
    }

    #[test]
    fn a_429_halves_the_window_once_per_burst() {
        let t0 = Instant::now();
        let mut a = Aimd::new(8);
        assert!(a.on_throttled(t0, t0 + Duration::from_millis(10)));
        assert_eq!(a.window(), 4);
        // The other requests of the same burst were sent before the cut.
        for _ in 0..7 {
            assert!(!a.on_throttled(t0, t0 + Duration::from_millis(20)));
        }
        assert_eq!(a.window(), 4);
        // A request sent after the cut that is refused again cuts again.
        let later = t0 + Duration::from_millis(30);
        assert!(a.on_throttled(later, later));
        assert_eq!(a.window(), 2);
        assert!(a.on_throttled(
            later + Duration::from_millis(1),
            later + Duration::from_millis(2)
        ));
        assert!(a.on_throttled(
            later + Duration::from_millis(3),
            later + Duration::from_millis(4)
        ));
        assert_eq!(a.window(), 1, "never below one request");
    }

    #[test]
    fn recovers_additively_about_one_request_per_window() {
        let t0 = Instant::now();
        let mut a = Aimd::new(8);
        a.on_throttled(t0, t0);
        a.on_throttled(t0 + Duration::from_millis(1), t0 + Duration::from_millis(1));
        assert_eq!(a.window(), 2);
        // About a window's worth of successes adds one request.
        for _ in 0..3 {
            a.on_success();
        }
        assert_eq!(a.window(), 3);
        let mut successes = 3;
        while a.window() < 8 {
            a.on_success();
            successes += 1;
        }
        // About 2 + 3 + ... + 7 = 27 successes back to the limit.
        assert!((25..=32).contains(&successes), "{successes}");
    }
}
