//! Each site's sync loop: one task per site, so one site's sync never runs
//! twice at once and a slow site does not hold back the others. Intervals
//! are jittered; a failure is retried sooner, with backoff, never later
//! than the interval; the API can ask for a sync now.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rand::Rng;

use super::served_site::SiteHandle;
use super::site_sync::run_sync;
use super::AppState;

/// Runs `handle`'s loop until the service stops. The first sync is at once
/// unless the store holds a success younger than the interval.
pub async fn site_loop(state: AppState, handle: Arc<SiteHandle>) {
    let mut stop = state.stop.subscribe();
    let mut wait = first_wait(&state, &handle).await;
    loop {
        set_next(&handle, wait).await;
        let woken = handle.wake.notified();
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = woken => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
        {
            let mut status = handle.status.lock().await;
            status.syncing = true;
            status.requested = false;
            status.next_sync_at = None;
        }
        let result = run_sync(&state, &handle.site).await;
        let mut status = handle.status.lock().await;
        status.syncing = false;
        wait = match result {
            Ok(_) => {
                status.consecutive_failures = 0;
                status.last_error = None;
                jittered(handle.site.every, state.settings.jitter)
            }
            Err(message) => {
                status.consecutive_failures += 1;
                status.last_error = Some(message);
                retry_wait(
                    state.settings.retry_after,
                    handle.site.every,
                    status.consecutive_failures,
                )
            }
        };
    }
}

async fn first_wait(state: &AppState, handle: &SiteHandle) -> Duration {
    let site = &handle.site.options;
    let Ok(Some(record)) = state.store.find_site(Some(&site.server), &site.site).await else {
        return Duration::ZERO;
    };
    let Ok(latest) = state.store.latest_runs(record.key).await else {
        return Duration::ZERO;
    };
    let Some(done) = latest.last_success.and_then(|r| r.finished_at) else {
        return Duration::ZERO;
    };
    // A restarted service still shows when the site last synced, so an
    // alert on that timestamp's age does not fire on every restart.
    state.metrics.set_last_success(&handle.site.label, done);
    let age = (Utc::now() - done).to_std().unwrap_or_default();
    handle.site.every.saturating_sub(age)
}

async fn set_next(handle: &SiteHandle, wait: Duration) {
    let mut status = handle.status.lock().await;
    status.next_sync_at = chrono::Duration::from_std(wait)
        .ok()
        .map(|d| Utc::now() + d);
}

/// `every` moved by up to `jitter` of itself either way.
pub fn jittered(every: Duration, jitter: f64) -> Duration {
    if jitter <= 0.0 {
        return every;
    }
    let factor = 1.0 + rand::rng().random_range(-jitter..=jitter);
    every.mul_f64(factor)
}

/// The wait after the `failures`th failure in a row: `first`, doubling,
/// never more than the interval.
pub fn retry_wait(first: Duration, every: Duration, failures: u32) -> Duration {
    let doubled = first.saturating_mul(1u32 << failures.saturating_sub(1).min(20));
    doubled.min(every)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_the_interval() {
        let first = Duration::from_secs(60);
        let every = Duration::from_secs(1800);
        let waits: Vec<u64> = (1..=7)
            .map(|n| retry_wait(first, every, n).as_secs())
            .collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1800, 1800]);
        assert_eq!(retry_wait(first, every, u32::MAX).as_secs(), 1800);
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let every = Duration::from_secs(1000);
        for _ in 0..200 {
            let d = jittered(every, 0.1).as_secs_f64();
            assert!((900.0..=1100.0).contains(&d), "{d}");
        }
        assert_eq!(jittered(every, 0.0), every);
    }
}
