//! Fault injection over HTTP: rates, Retry-After, max rps, latency, sign-in
//! spared, determinism.

use crate::common;

use common::*;
use std::time::{Duration, Instant};
use tableau_sim::SimConfig;

async fn statuses(c: &Client, n: usize) -> Vec<(u16, Option<String>, Option<String>)> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let r = c.get("users?pageSize=1").await;
        out.push((r.status, error_code(&r.body), r.retry_after));
    }
    out
}

#[tokio::test]
async fn fault_rates_within_tolerance() {
    let (sim, c) = start(SimConfig::new().rate_429(0.1).rate_5xx(0.05).seed(3)).await;
    let s = statuses(&c, 2000).await;
    let n429 = s.iter().filter(|x| x.0 == 429).count();
    let n5xx = s.iter().filter(|x| x.0 == 500 || x.0 == 503).count();
    assert!((140..=260).contains(&n429), "429s: {n429}");
    assert!((55..=145).contains(&n5xx), "5xx: {n5xx}");
    assert!(s
        .iter()
        .filter(|x| x.0 == 429)
        .all(|x| x.1.as_deref() == Some("429000")));
    let with_ra = s
        .iter()
        .filter(|x| x.0 == 429 && x.2.as_deref() == Some("1"))
        .count();
    assert!(with_ra > 0 && with_ra < n429, "{with_ra} of {n429}");
    assert!(s
        .iter()
        .any(|x| x.0 == 500 && x.1.as_deref() == Some("500000")));
    assert!(s.iter().any(|x| x.0 == 503));
    sim.stop().await;
}

#[tokio::test]
async fn faults_are_deterministic_under_seed() {
    let (a, ca) = start(SimConfig::new().rate_429(0.2).rate_5xx(0.1).seed(9)).await;
    let (b, cb) = start(SimConfig::new().rate_429(0.2).rate_5xx(0.1).seed(9)).await;
    let sa: Vec<u16> = statuses(&ca, 200).await.into_iter().map(|x| x.0).collect();
    let sb: Vec<u16> = statuses(&cb, 200).await.into_iter().map(|x| x.0).collect();
    assert_eq!(sa, sb);
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn sign_in_is_spared_unless_asked() {
    let (sim, c) = start(SimConfig::new().rate_429(1.0)).await;
    for _ in 0..20 {
        assert_eq!(
            sign_in(
                &c.http,
                &c.base,
                signin_body("admin-pat", "admin-secret", "")
            )
            .await
            .status,
            200
        );
    }
    sim.stop().await;
    let sim = tableau_sim::Simulator::start(SimConfig::new().rate_429(1.0).faults_on_signin(true))
        .await
        .unwrap();
    let r = sign_in(
        &reqwest::Client::new(),
        &sim.base_url(),
        signin_body("admin-pat", "admin-secret", ""),
    )
    .await;
    assert_eq!(r.status, 429);
    sim.stop().await;
}

#[tokio::test]
async fn max_rps_is_enforced_with_429() {
    let (sim, c) = start(SimConfig::new().max_rps(Some(20))).await;
    let s = statuses(&c, 60).await;
    let limited = s.iter().filter(|x| x.0 == 429).count();
    assert!(limited >= 30, "{limited}");
    assert!(s
        .iter()
        .filter(|x| x.0 == 429)
        .all(|x| x.2.as_deref() == Some("1")));
    sim.set_max_rps(None);
    assert_eq!(c.get("users").await.status, 200);
    sim.stop().await;
}

#[tokio::test]
async fn latency_and_runtime_changes() {
    let (sim, c) = start(SimConfig::new().latency_ms(60)).await;
    let t = Instant::now();
    assert_eq!(c.get("users").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(60));
    sim.set_faults(1.0, 0.0, 0);
    assert_eq!(c.get("users").await.status, 429);
    sim.set_faults(0.0, 1.0, 0);
    assert!(matches!(c.get("users").await.status, 500 | 503));
    sim.set_faults(0.0, 0.0, 0);
    assert_eq!(c.get("users").await.status, 200);
    // The control endpoint does the same for the binary.
    let r = raw(
        &c.http,
        reqwest::Method::POST,
        &format!("{}/_sim/faults?rate429=1", c.base),
        None,
        None,
        false,
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(c.get("users").await.status, 429);
    sim.stop().await;
}
