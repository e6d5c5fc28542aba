//! When to try a request again and how long to wait: exponential backoff
//! with full jitter, bounded in attempts and total time (every attempt's
//! own time-out included), and Tableau's `Retry-After` honoured, plus a
//! little jitter so that throttled requests do not all return at once.

use std::time::{Duration, SystemTime};

/// Retry limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// The first backoff ceiling; doubled each attempt.
    pub base_delay: Duration,
    /// The largest single wait, `Retry-After` included.
    pub max_delay: Duration,
    /// All attempts and waits of one request end within this time after
    /// the first attempt starts: an attempt's time-out is cut to fit.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1`, after `attempt` failures
    /// (from 1). `unit` is a uniform draw in [0, 1) for the jitter. A
    /// `Retry-After` from the server is waited in full (up to `max_delay`)
    /// plus up to `base_delay` of jitter, drawn by each request on its own.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
        let unit = unit.clamp(0.0, 1.0);
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay) + self.base_delay.mul_f64(unit);
        }
        let exp = attempt.saturating_sub(1).min(16);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        ceiling.mul_f64(unit)
    }

    /// Whether another attempt may start after `attempt` attempts, `elapsed`
    /// since the first, with `wait` still to sleep.
    pub fn allows(&self, attempt: u32, elapsed: Duration, wait: Duration) -> bool {
        attempt < self.max_attempts && elapsed + wait < self.max_elapsed
    }

    /// The time-out of an attempt starting `elapsed` after the first: the
    /// per-request time-out, cut to what is left of `max_elapsed`.
    pub(crate) fn attempt_timeout(&self, per_request: Duration, elapsed: Duration) -> Duration {
        per_request
            .min(self.max_elapsed.saturating_sub(elapsed))
            .max(Duration::from_millis(1))
    }
}

/// Whether an HTTP status is worth another attempt. 429 and 503 mean the
/// server did not do the work, so any method may repeat; 500, 502 and 504
/// may have done it, so only a request safe to repeat does.
pub(crate) fn retryable_status(status: u16, retry_safe: bool) -> bool {
    match status {
        429 | 503 => true,
        500 | 502 | 504 => retry_safe,
        _ => false,
    }
}

/// Parses `Retry-After`: delay-seconds or an HTTP date (RFC 9110).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_elapsed: Duration::from_secs(60),
        };
        let cases = [
            (1, 1.0, 100),
            (2, 1.0, 200),
            (3, 1.0, 400),
            (4, 1.0, 800),
            (5, 1.0, 1000),
            (30, 1.0, 1000),
            (3, 0.5, 200),
            (3, 0.0, 0),
        ];
        for (attempt, unit, ms) in cases {
            assert_eq!(
                p.delay(attempt, None, unit),
                Duration::from_millis(ms),
                "attempt {attempt} unit {unit}"
            );
        }
    }

    #[test]
    fn retry_after_is_waited_in_full_plus_jitter_and_capped() {
        let p = RetryPolicy::default();
        let two = Some(Duration::from_secs(2));
        assert_eq!(p.delay(1, two, 0.0), Duration::from_secs(2));
        assert_eq!(p.delay(5, two, 0.5), Duration::from_millis(2100));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600)), 1.0),
            p.max_delay + p.base_delay
        );
        assert_eq!(p.delay(1, Some(Duration::ZERO), 1.0), p.base_delay);
    }

    #[test]
    fn attempts_are_cut_to_the_total_time() {
        let p = RetryPolicy {
            max_elapsed: Duration::from_secs(180),
            ..RetryPolicy::default()
        };
        let per = Duration::from_secs(120);
        assert_eq!(p.attempt_timeout(per, Duration::ZERO), per);
        assert_eq!(
            p.attempt_timeout(per, Duration::from_secs(121)),
            Duration::from_secs(59)
        );
        assert_eq!(
            p.attempt_timeout(per, Duration::from_secs(200)),
            Duration::from_millis(1)
        );
    }

    #[test]
    fn attempts_and_time_are_bounded() {
        let p = RetryPolicy::default();
        assert!(p.allows(1, Duration::ZERO, Duration::from_secs(1)));
        assert!(!p.allows(p.max_attempts, Duration::ZERO, Duration::ZERO));
        assert!(!p.allows(1, p.max_elapsed, Duration::from_millis(1)));
    }

    #[test]
    fn statuses_by_method_safety() {
        for (status, safe, expected) in [
            (429, false, true),
            (503, false, true),
            (500, true, true),
            (500, false, false),
            (502, true, true),
            (504, true, true),
            (400, true, false),
            (401, true, false),
            (404, true, false),
            (409, true, false),
        ] {
            assert_eq!(retryable_status(status, safe), expected, "{status} {safe}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
