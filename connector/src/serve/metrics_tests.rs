//! Rendering against a store filled by a real sync of the simulator.

use std::io::Write;
use std::process::{Command, Stdio};

use tabgov_state::Store;

use super::*;
use crate::credentials::{Credential, Scope};
use crate::site_lock::SiteLock;
use crate::sync::{sync_site, SyncOptions};
use crate::transport::{Transport, TransportOptions};
use crate::Secret;

/// A store holding one synced site of `users` users (plus the admin).
async fn synced_store(users: usize) -> (Store, TransportStats) {
    let sim = tableau_sim::Simulator::start(tableau_sim::SimConfig::new().users(users).seed(11))
        .await
        .unwrap();
    let server = sim.base_url();
    let store = Store::open("sqlite::memory:").await.unwrap();
    let lock = SiteLock::acquire(&store, &server, "").await.unwrap();
    let credential = Credential::Pat {
        name: "admin-pat".to_owned(),
        secret: Secret::new("admin-secret"),
    };
    let transport = Transport::connect(TransportOptions::new(&server, ""), credential, Scope::SYNC)
        .await
        .unwrap();
    let report = sync_site(&transport, &store, &lock, &SyncOptions::default())
        .await
        .unwrap();
    drop(lock);
    sim.stop().await;
    (store, report.transport)
}

/// The samples of `name` (exactly; not its `_bucket`s etc.), as (labels, value).
fn samples<'t>(text: &'t str, name: &str) -> Vec<(&'t str, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (series, value) = l.rsplit_once(' ')?;
            let labels = series.strip_prefix(name)?;
            (labels.is_empty() || labels.starts_with('{')).then(|| (labels, value.parse().unwrap()))
        })
        .collect()
}

fn sum(text: &str, name: &str) -> f64 {
    samples(text, name).iter().map(|(_, v)| v).sum()
}

#[tokio::test]
async fn store_gauges_match_the_store_and_the_licence_report() {
    let (store, traffic) = synced_store(40).await;
    let now = Utc::now();
    let metrics = Metrics::new();
    metrics.record_sync(
        "",
        SyncOutcome::Succeeded,
        Duration::from_millis(1500),
        &traffic,
        now,
    );
    let opts = LicenseReportOptions::new(now);
    let text = metrics.render(&store, now, &opts).await.unwrap();

    let accounts = store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap();
    assert_eq!(
        sum(&text, "tabgov_accounts") as usize,
        accounts.len(),
        "{text}"
    );
    let report = license_report(&store, &opts).await.unwrap();
    assert_eq!(
        sum(&text, "tabgov_reclaimable_seats") as usize,
        report.reclaimable_seats,
        "{text}"
    );
    let cost = sum(&text, "tabgov_reclaimable_monthly_cost");
    assert!((cost - report.reclaimable_monthly).abs() < 1e-6, "{text}");
    assert!(
        text.contains(&format!(
            "tabgov_tableau_requests_total{{site=\"\"}} {}\n",
            traffic.requests
        )),
        "{text}"
    );
    assert!(
        text.contains("tabgov_tableau_rate_limited_total{site=\"\"} 0\n"),
        "{text}"
    );
    assert!(
        text.contains("tabgov_syncs_total{site=\"\",outcome=\"succeeded\"} 1\n"),
        "{text}"
    );
    assert_eq!(
        sum(&text, "tabgov_last_sync_success_timestamp_seconds"),
        now.timestamp_millis() as f64 / 1000.0
    );
}

#[test]
fn only_a_success_sets_the_last_success_timestamp() {
    let metrics = Metrics::new();
    let traffic = TransportStats {
        requests: 9,
        rate_limited: 3,
        retries: 4,
        sign_ins: 1,
        pages: 2,
    };
    let at = Utc::now();
    metrics.record_sync(
        "sales",
        SyncOutcome::Refused,
        Duration::from_secs(2),
        &traffic,
        at,
    );
    metrics.record_sync(
        "sales",
        SyncOutcome::Failed,
        Duration::from_secs(2),
        &traffic,
        at,
    );
    let mut text = String::new();
    prometheus_text::encode(&mut text, &metrics.inner.registry).unwrap();
    assert!(
        samples(&text, "tabgov_last_sync_success_timestamp_seconds").is_empty(),
        "{text}"
    );
    assert!(
        text.contains("tabgov_tableau_rate_limited_total{site=\"sales\"} 6\n"),
        "{text}"
    );
    assert!(
        text.contains("tabgov_syncs_total{site=\"sales\",outcome=\"refused\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains("tabgov_sync_duration_seconds_count{site=\"sales\",outcome=\"failed\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE tabgov_sync_duration_seconds histogram\n"),
        "{text}"
    );
}

#[test]
fn label_values_are_escaped() {
    let metrics = Metrics::new();
    metrics.record_action("sus\"pend\\\n", "done");
    metrics.record_http("/v1/accounts/{id}", "GET", 200, Duration::from_millis(3));
    let mut text = String::new();
    prometheus_text::encode(&mut text, &metrics.inner.registry).unwrap();
    assert!(
        text.contains(r#"tabgov_actions_total{verb="sus\"pend\\\n",outcome="done"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"tabgov_http_requests_total{route="/v1/accounts/{id}",method="GET",status="200"} 1"#
        ),
        "{text}"
    );
}

/// `promtool check metrics` accepts the exposition (lint included), when
/// promtool is installed; CI installs it and fails on the skip.
#[tokio::test]
async fn promtool_accepts_the_exposition() {
    if Command::new("promtool").arg("--version").output().is_err() {
        eprintln!("skipped: promtool not installed");
        // Past the harness's capture: a skip must be seen.
        let _ = writeln!(std::io::stderr(), "skipped: promtool not installed");
        return;
    }
    let (store, traffic) = synced_store(25).await;
    let now = Utc::now();
    let metrics = Metrics::new();
    for outcome in [
        SyncOutcome::Succeeded,
        SyncOutcome::Failed,
        SyncOutcome::Refused,
    ] {
        metrics.record_sync("", outcome, Duration::from_secs(3), &traffic, now);
    }
    metrics.record_sync(
        "sales \"eu\"",
        SyncOutcome::Succeeded,
        Duration::from_secs(1),
        &traffic,
        now,
    );
    metrics.record_http("/v1/accounts", "GET", 200, Duration::from_millis(4));
    metrics.record_http("/metrics", "GET", 200, Duration::from_millis(1));
    metrics.record_action("suspend", "done");
    let text = metrics
        .render(&store, now, &LicenseReportOptions::new(now))
        .await
        .unwrap();

    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "promtool: {said}\n{text}");
    assert!(said.trim().is_empty(), "promtool lint: {said}\n{text}");
}
