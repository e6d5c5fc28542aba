//! Time and size limits of one request: a server that accepts and never
//! answers costs at most the documented total, and a request that cannot
//! be sent (a value far too long for a URL) fails at once as the user's
//! error instead of being retried and blamed on the server.

use crate::common;

use std::time::{Duration, Instant};

use common::{Env, PAT_NAME, PAT_SECRET};
use tabgov::api::{users, PageRequest};
use tabgov::credentials::{Credential, Scope};
use tabgov::transport::{RetryPolicy, Transport, TransportOptions};
use tabgov::{Error, Secret};
use tableau_sim::SimConfig;

fn pat() -> Credential {
    Credential::Pat {
        name: PAT_NAME.into(),
        secret: Secret::new(PAT_SECRET),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_costs_at_most_the_total_time() {
    // Accepts every connection and never writes a byte.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut options = TransportOptions::new(url, "");
    options.request_timeout = Duration::from_secs(1);
    options.retry = RetryPolicy {
        max_elapsed: Duration::from_millis(2500),
        ..RetryPolicy::default()
    };
    let started = Instant::now();
    let err = Transport::connect(options, pat(), Scope::SYNC)
        .await
        .unwrap_err();
    let took = started.elapsed();
    silent.abort();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(
        took < Duration::from_millis(2500 + 400),
        "all attempts end within the total time: {took:?}"
    );
    assert!(took >= Duration::from_secs(2), "it did retry: {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_too_long_for_a_url_fails_at_once_as_the_users_error() {
    let env = Env::start(SimConfig::new().users(3)).await;
    let mut options = TransportOptions::new(env.sim.base_url(), "");
    options.max_rps = 0;
    let t = Transport::connect(options, pat(), Scope::SYNC)
        .await
        .unwrap();
    let mut request = users::list_users(
        t.site_id(),
        PageRequest {
            number: 1,
            size: 10,
        },
    );
    let huge = "x".repeat(10 * 1024 * 1024);
    request
        .query
        .push(("filter".into(), format!("name:eq:{huge}")));
    let before = env.sim.request_count();
    let started = Instant::now();
    let err = t.send(&request).await.unwrap_err();
    assert!(
        matches!(err, Error::Config(_)),
        "a usage error (exit 2): {err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("far too long"), "{message}");
    assert!(message.len() < 400, "the message does not carry the value");
    assert_eq!(t.stats().retries, 0);
    assert_eq!(env.sim.request_count(), before, "nothing was sent");
    assert!(started.elapsed() < Duration::from_secs(2));
    // The transport still works for requests that fit.
    t.send(&users::list_users(
        t.site_id(),
        PageRequest {
            number: 1,
            size: 10,
        },
    ))
    .await
    .unwrap();
}
