//! A server that allows few requests per second: with default flags the
//! transport sends fewer at once after each 429 and waits `Retry-After`,
//! so the sync completes instead of failing after its retries.

use crate::common;

use common::Env;
use tableau_sim::SimConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_limited_to_5_requests_a_second_syncs_to_completion() {
    let env = Env::start(
        SimConfig::new()
            .users(600)
            .groups(8)
            .seed(9)
            .max_rps(Some(5))
            .retry_after_secs(1),
    )
    .await;
    let run = env
        .sync(&["--page-size", "25", "--format", "json"])
        .await
        .ok();
    let report = run.json();
    let summary = &report[0]["summary"];
    assert_eq!(summary["users"], 601, "{summary}");
    assert_eq!(summary["groups"], 9, "{summary}");
    let traffic = &report[0]["transport"];
    let rate_limited = traffic["rate_limited"].as_u64().unwrap();
    assert!(rate_limited > 0, "the site answered 429: {traffic}");
    assert!(
        traffic["retries"].as_u64().unwrap() >= rate_limited,
        "each 429 here was retried: {traffic}"
    );
    let accounts = env.accounts().await;
    assert_eq!(accounts.len(), 601);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_without_a_rate_limit_counts_no_429() {
    let env = Env::start(SimConfig::new().users(40).groups(2).seed(9)).await;
    let run = env
        .sync(&["--page-size", "10", "--format", "json"])
        .await
        .ok();
    let report = run.json();
    let traffic = &report[0]["transport"];
    assert!(traffic["requests"].as_u64().unwrap() > 4, "{traffic}");
    assert_eq!(traffic["rate_limited"], 0, "{traffic}");
}
