//! Alert webhooks against a real HTTP receiver that checks signatures with
//! its own HMAC computation: retries, final refusals, wrong secrets and a
//! full queue.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use tabgov::serve::webhook::{sign, Alert, AlertKind, WebhookOptions, WebhookTarget, Webhooks};
use tabgov::Secret;

/// One request the receiver got, and whether its signature was right.
#[derive(Clone)]
pub(crate) struct Got {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub valid: bool,
}

pub(crate) struct Receiver {
    secret: Vec<u8>,
    /// The status of each attempt in turn; the last one repeats.
    answers: Vec<u16>,
    /// How long to take before answering.
    delay: Duration,
    got: Mutex<Vec<Got>>,
    /// Requests that arrived, answered or not.
    arrived: AtomicUsize,
}

/// The receiver's own check: HMAC-SHA256 of "<timestamp>.<body>", and a
/// timestamp of now (a replay would be older).
fn signature_is_valid(secret: &[u8], headers: &HeaderMap, body: &[u8]) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(timestamp), Some(signature)) =
        (header("x-tabgov-timestamp"), header("x-tabgov-signature"))
    else {
        return false;
    };
    let Ok(seconds) = timestamp.parse::<i64>() else {
        return false;
    };
    if (chrono::Utc::now().timestamp() - seconds).abs() > 300 {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    expected == signature
}

async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    r.arrived.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(r.delay).await;
    let valid = signature_is_valid(&r.secret, &headers, &body);
    let attempt = {
        let mut got = r.got.lock().unwrap();
        got.push(Got {
            headers,
            body,
            valid,
        });
        got.len()
    };
    if !valid {
        return StatusCode::UNAUTHORIZED;
    }
    let status = r.answers[(attempt - 1).min(r.answers.len() - 1)];
    StatusCode::from_u16(status).unwrap()
}

/// Starts a receiver on 127.0.0.1; returns its shared state and URL.
pub(crate) async fn receiver(
    secret: &str,
    answers: &[u16],
    delay: Duration,
) -> (Arc<Receiver>, url::Url) {
    let state = Arc::new(Receiver {
        secret: secret.as_bytes().to_vec(),
        answers: answers.to_vec(),
        delay,
        got: Mutex::new(Vec::new()),
        arrived: AtomicUsize::new(0),
    });
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook?token=t0ken", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (state, url.parse().unwrap())
}

fn quick() -> WebhookOptions {
    WebhookOptions {
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(100),
        ..WebhookOptions::default()
    }
}

fn target(url: &url::Url, secret: &str) -> WebhookTarget {
    WebhookTarget {
        url: url.clone(),
        secret: Secret::new(secret),
    }
}

pub(crate) fn got(r: &Receiver) -> Vec<Got> {
    r.got.lock().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_is_retried_and_the_second_attempt_accepted() {
    let (failing_once, url) = receiver("s3cret", &[500, 200], Duration::ZERO).await;
    let (healthy, healthy_url) = receiver("other", &[200], Duration::ZERO).await;
    let hooks = Webhooks::start_with(
        vec![target(&url, "s3cret"), target(&healthy_url, "other")],
        reqwest::Client::new(),
        quick(),
    );
    let alert = Alert::new(AlertKind::SyncFailed, "site sales: cannot reach Tableau")
        .with_site("sales")
        .with_detail(serde_json::json!({"run_id": 7}));
    hooks.send(alert.clone());
    hooks.shutdown(Duration::from_secs(10)).await;

    let attempts = got(&failing_once);
    assert_eq!(attempts.len(), 2, "500 then 200");
    assert!(attempts.iter().all(|g| g.valid), "signatures checked out");
    let ids: Vec<_> = attempts
        .iter()
        .map(|g| g.headers["x-tabgov-delivery"].clone())
        .collect();
    assert_eq!(ids[0], ids[1], "one delivery id across attempts");
    let first = &attempts[1];
    assert_eq!(first.headers["content-type"], "application/json");
    assert_eq!(first.headers["x-tabgov-event"], "sync_failed");
    let body: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(body["event"], "sync_failed");
    assert_eq!(body["site"], "sales");
    assert_eq!(body["message"], "site sales: cannot reach Tableau");
    assert_eq!(body["detail"]["run_id"], 7);
    assert_eq!(body["id"], ids[0].to_str().unwrap());
    let at: chrono::DateTime<chrono::Utc> = serde_json::from_value(body["at"].clone()).unwrap();
    assert_eq!(at, alert.at);
    // The library's own signature agrees with the receiver's.
    let timestamp: i64 = first.headers["x-tabgov-timestamp"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        first.headers["x-tabgov-signature"],
        sign(b"s3cret", timestamp, &first.body)
    );

    let other = got(&healthy);
    assert_eq!(other.len(), 1, "the healthy target got it once");
    assert!(other[0].valid);
    assert_eq!(other[0].headers["x-tabgov-delivery"], ids[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_that_times_out_is_retried_up_to_the_limit() {
    let (slow, url) = receiver("s3cret", &[200], Duration::from_secs(5)).await;
    let options = WebhookOptions {
        attempts: 3,
        attempt_timeout: Duration::from_millis(200),
        ..quick()
    };
    let hooks = Webhooks::start_with(
        vec![target(&url, "s3cret")],
        reqwest::Client::new(),
        options,
    );
    hooks.send(Alert::new(AlertKind::SyncFailed, "slow receiver"));
    hooks.shutdown(Duration::from_secs(10)).await;
    assert_eq!(
        slow.arrived.load(Ordering::SeqCst),
        3,
        "3 attempts, each timed out"
    );
    assert!(got(&slow).is_empty(), "none was answered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_4xx_is_final() {
    let (refusing, url) = receiver("s3cret", &[400, 200], Duration::ZERO).await;
    let hooks = Webhooks::start_with(
        vec![target(&url, "s3cret")],
        reqwest::Client::new(),
        quick(),
    );
    hooks.send(Alert::new(AlertKind::JobFinished, "job 3 finished"));
    hooks.shutdown(Duration::from_secs(10)).await;
    let attempts = got(&refusing);
    assert_eq!(attempts.len(), 1, "400 is not retried");
    assert!(attempts[0].valid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_fails_the_receivers_check() {
    let (checking, url) = receiver("right", &[200], Duration::ZERO).await;
    let hooks = Webhooks::start_with(vec![target(&url, "wrong")], reqwest::Client::new(), quick());
    hooks.send(Alert::new(
        AlertKind::MassRemovalRefused,
        "60% of accounts would go",
    ));
    hooks.shutdown(Duration::from_secs(10)).await;
    let attempts = got(&checking);
    assert_eq!(attempts.len(), 1, "the receiver's 401 is final");
    assert!(!attempts[0].valid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_on_a_full_queue_neither_blocks_nor_fails_and_shutdown_keeps_its_deadline() {
    let (slow, url) = receiver("s3cret", &[200], Duration::from_secs(30)).await;
    let options = WebhookOptions {
        queue: 2,
        max_in_flight: 1,
        ..quick()
    };
    let hooks = Webhooks::start_with(
        vec![target(&url, "s3cret")],
        reqwest::Client::new(),
        options,
    );
    let started = Instant::now();
    for n in 0..200 {
        hooks.send(Alert::new(AlertKind::SignInFailed, format!("attempt {n}")));
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(hooks.dropped() >= 190, "{} dropped", hooks.dropped());

    let started = Instant::now();
    hooks.shutdown(Duration::from_millis(300)).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "shutdown took {took:?}");
    assert!(got(&slow).is_empty(), "the receiver never answered in time");
}

#[test]
fn a_target_never_prints_its_secret_or_its_url_token() {
    let t = target(
        &"https://hooks.example.com/T0/abc?token=t0ken"
            .parse()
            .unwrap(),
        "s3cret",
    );
    let printed = format!("{t:?}");
    assert!(printed.contains("https://hooks.example.com"), "{printed}");
    assert!(
        !printed.contains("s3cret") && !printed.contains("t0ken") && !printed.contains("abc"),
        "{printed}"
    );
}
