//! What an operator watches of a running `tabgov serve`: /metrics (linted
//! by promtool, its numbers those of the store) and the alert webhooks of a
//! failing sync (signed, retried).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use tableau_sim::SimConfig;

use crate::common::serve::ServeConfig;
use crate::common::Env;
use crate::serve_webhooks::{got, receiver};

/// The value of each series of `name` in `text`, keyed by its labels.
fn series(text: &str, name: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (key, value) = l.rsplit_once(' ')?;
            let labels = key.strip_prefix(name)?;
            if !(labels.is_empty() || labels.starts_with('{')) {
                return None;
            }
            Some((labels.to_owned(), value.parse().ok()?))
        })
        .collect()
}

/// Runs `promtool check metrics` on `text`; `None` when it is not
/// installed (the caller prints the skip).
fn promtool(text: &str) -> Option<(bool, String)> {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
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
    Some((out.status.success() && said.trim().is_empty(), said))
}

#[tokio::test]
async fn metrics_of_a_running_service_pass_promtool_and_match_the_store() {
    let env = Env::start(SimConfig::new().users(120).seed(5)).await;
    let served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;
    served.get("/v1/accounts?limit=10").await;

    let unauthenticated = served
        .call(reqwest::Method::GET, "/metrics", None, None, &[])
        .await;
    assert_eq!(unauthenticated.status, 401);
    let answer = served.get("/metrics").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = answer.body;

    // Accounts by licence and status, as the store (through the CLI) has them.
    let stored = env.accounts().await;
    assert_eq!(stored.len(), env.sim.users("").len());
    let mut expected: BTreeMap<(String, String), f64> = BTreeMap::new();
    for a in &stored {
        let key = (
            a["license"].as_str().unwrap().to_owned(),
            a["status"].as_str().unwrap().to_owned(),
        );
        *expected.entry(key).or_default() += 1.0;
    }
    let mut exposed: BTreeMap<(String, String), f64> = BTreeMap::new();
    for (labels, value) in series(&text, "tabgov_accounts") {
        let label = |name: &str| {
            let start = labels.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            labels[start..start + labels[start..].find('"').unwrap()].to_owned()
        };
        *exposed
            .entry((label("license"), label("status")))
            .or_default() += value;
    }
    assert_eq!(exposed, expected, "{text}");

    // One successful sync, its traffic and its time.
    let syncs = series(&text, "tabgov_syncs_total");
    assert_eq!(syncs.values().sum::<f64>(), 1.0, "{text}");
    assert!(syncs.keys().all(|k| k.contains("outcome=\"succeeded\"")));
    let requests: f64 = series(&text, "tabgov_tableau_requests_total")
        .values()
        .sum();
    assert!(requests >= 3.0, "sign-in, users, groups at least: {text}");
    let last = series(&text, "tabgov_last_sync_success_timestamp_seconds");
    let at = last.values().next().copied().expect("a last success");
    assert!((chrono::Utc::now().timestamp() as f64 - at).abs() < 120.0);
    // The service's own requests, by route template.
    let http = series(&text, "tabgov_http_requests_total");
    assert!(
        http.keys()
            .any(|k| k.contains("route=\"/v1/accounts\"") && k.contains("status=\"200\"")),
        "{text}"
    );

    // The licence report's reclaimable seats agree with the CLI's report.
    let report = env
        .tabgov(&["report", "licenses", "--format", "json"])
        .await
        .ok()
        .json();
    let candidates = report["candidates"].as_array().map(Vec::len).unwrap_or(0) as f64;
    let seats: f64 = series(&text, "tabgov_reclaimable_seats").values().sum();
    assert_eq!(seats, candidates, "{text}");

    match promtool(&text) {
        None => {
            eprintln!("skipped: promtool not installed");
            let _ = writeln!(std::io::stderr(), "skipped: promtool not installed");
        }
        Some((ok, said)) => assert!(ok, "promtool: {said}\n{text}"),
    }
    assert_eq!(served.stop().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_is_alerted_signed_and_retried() {
    let env = Env::start(SimConfig::new().users(5)).await;
    let (hook, url) = receiver("webhook-secret", &[503, 200], Duration::ZERO).await;
    let served = env
        .serve(ServeConfig {
            every: "1h",
            serve_extra: format!("[[serve.webhook]]\nurl = \"{url}\"\n"),
            env: vec![("TABGOV_PAT_SECRET", "not-the-secret")],
            ..ServeConfig::default()
        })
        .await;

    // Syncs are retried every second, each failure a new alert; the
    // receiver refuses the first request, so some delivery arrives twice.
    let mut retried = None;
    for _ in 0..300 {
        let attempts = got(&hook);
        let mut by_id: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for a in attempts {
            let id = a.headers["x-tabgov-delivery"].to_str().unwrap().to_owned();
            by_id.entry(id).or_default().push(a);
        }
        retried = by_id.into_values().find(|a| a.len() >= 2);
        if retried.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let attempts = retried.unwrap_or_else(|| panic!("no retried alert; log:\n{}", served.log()));
    assert!(
        attempts.iter().all(|a| a.valid),
        "signed with the shared secret"
    );
    let body: Value = serde_json::from_slice(&attempts[1].body).unwrap();
    assert_eq!(body["event"], "sign_in_failed", "{body}");
    assert_eq!(body["site"], "main");
    assert_eq!(body["detail"]["tableau_code"], "401001");
    assert!(!String::from_utf8_lossy(&attempts[1].body).contains("not-the-secret"));

    // The failure shows in /v1/sites and /readyz, and the service still stops cleanly.
    let sites = served.get("/v1/sites").await.json();
    let site = &sites["sites"][0];
    assert!(
        site["last_error"].as_str().unwrap().contains("401001"),
        "{sites}"
    );
    assert!(site["consecutive_failures"].as_u64().unwrap() >= 1);
    assert_eq!(served.get("/readyz").await.status, 503);
    assert_eq!(served.stop().await, 0);
}
