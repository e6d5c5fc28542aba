//! Fault injection: latency, a share of 429 and 500/503 answers and a
//! requests-per-second cap, drawn from a seeded generator so that a given
//! request order always meets the same faults.

use crate::error::ApiError;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

/// Fault settings and the generator that draws them.
#[derive(Debug)]
pub struct Faults {
    rng: ChaCha8Rng,
    /// Share of requests answered 429.
    pub rate_429: f64,
    /// Share of requests answered 500 or 503.
    pub rate_5xx: f64,
    /// Delay before every answer.
    pub latency: Duration,
    /// Requests per second above which requests get 429.
    pub max_rps: Option<u32>,
    /// `Retry-After` seconds carried by half of the random 429s and all rps 429s.
    pub retry_after: u64,
    window_start: Instant,
    window_count: u32,
}

impl Faults {
    /// Faults drawn from `seed`.
    pub fn new(
        seed: u64,
        rate_429: f64,
        rate_5xx: f64,
        latency_ms: u64,
        max_rps: Option<u32>,
        retry_after: u64,
    ) -> Self {
        Faults {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0xFA17_5EED),
            rate_429,
            rate_5xx,
            latency: Duration::from_millis(latency_ms),
            max_rps,
            retry_after,
            window_start: Instant::now(),
            window_count: 0,
        }
    }

    /// The latency to add and the fault (if any) for the next request.
    pub fn decide(&mut self, now: Instant) -> (Duration, Option<ApiError>) {
        if let Some(max) = self.max_rps {
            if now.duration_since(self.window_start) >= Duration::from_secs(1) {
                self.window_start = now;
                self.window_count = 0;
            }
            self.window_count += 1;
            if self.window_count > max {
                return (
                    Duration::ZERO,
                    Some(ApiError::rate_limited(Some(self.retry_after))),
                );
            }
        }
        if self.rate_429 <= 0.0 && self.rate_5xx <= 0.0 {
            return (self.latency, None);
        }
        let r: f64 = self.rng.random();
        let fault = if r < self.rate_429 {
            let ra = self.rng.random_bool(0.5).then_some(self.retry_after);
            Some(ApiError::rate_limited(ra))
        } else if r < self.rate_429 + self.rate_5xx {
            Some(if self.rng.random_bool(0.5) {
                ApiError::new(
                    500000,
                    "Internal Server Error",
                    "An unexpected error occurred on the server (injected).",
                )
            } else {
                ApiError::new(
                    503000,
                    "Service Unavailable",
                    "The service is temporarily unavailable (injected).",
                )
            })
        } else {
            None
        };
        (self.latency, fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_close_and_deterministic() {
        let run = || {
            let mut f = Faults::new(7, 0.1, 0.05, 0, None, 1);
            let now = Instant::now();
            (0..10_000)
                .map(|_| f.decide(now).1.map(|e| e.code))
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let n429 = a.iter().filter(|c| **c == Some(429000)).count();
        let n5xx = a
            .iter()
            .filter(|c| matches!(c, Some(500000) | Some(503000)))
            .count();
        assert!((800..1200).contains(&n429), "{n429}");
        assert!((350..650).contains(&n5xx), "{n5xx}");
    }

    #[test]
    fn max_rps_caps_a_window() {
        let mut f = Faults::new(1, 0.0, 0.0, 0, Some(5), 1);
        let now = Instant::now();
        let limited = (0..10).filter(|_| f.decide(now).1.is_some()).count();
        assert_eq!(limited, 5);
    }
}
