//! `tabgov serve` end to end: the real binary against the simulator, its
//! API over real HTTP.

use reqwest::Method;
use tableau_sim::SimConfig;

use crate::common::serve::ServeConfig;
use crate::common::Env;

#[tokio::test]
async fn a_site_is_synced_on_start_and_shown_with_its_run() {
    let env = Env::start(SimConfig::new().users(40).seed(3)).await;
    let served = env.serve(ServeConfig::default()).await;
    let run = served.wait_for_success(0).await;

    let sites = served.get("/v1/sites").await;
    assert_eq!(sites.status, 200);
    let site = &sites.json()["sites"][0];
    assert_eq!(site["site"], "main");
    assert_eq!(site["last_run"]["id"], run);
    assert_eq!(site["fresh"], true);
    assert!(site["age_seconds"].as_i64().unwrap() < 60);
    assert!(site["next_sync_at"].is_string(), "{site}");
    assert_eq!(site["every_seconds"], 3600);

    let store = env.store().await;
    let runs = store.list_runs(None).await.unwrap();
    assert_eq!(runs.len(), 1, "one sync on start, the next in an hour");
    assert_eq!(served.get("/readyz").await.status, 200);
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn a_sync_asked_for_runs_at_once_and_only_act_tokens_may_ask() {
    let env = Env::start(SimConfig::new().users(20).seed(4)).await;
    let served = env.serve(ServeConfig::default()).await;
    let first = served.wait_for_success(0).await;

    let as_reader = served
        .call(
            Method::POST,
            "/v1/sites/main/sync",
            Some(&served.read),
            None,
            &[],
        )
        .await;
    assert_eq!(as_reader.status, 403);
    assert_eq!(as_reader.json()["error"]["code"], "forbidden");

    let asked = served
        .post_json("/v1/sites/main/sync", serde_json::json!({}))
        .await;
    assert_eq!(asked.status, 202, "{}", asked.body);
    let second = served.wait_for_success(first).await;
    assert!(second > first);

    let unknown = served
        .post_json("/v1/sites/nope/sync", serde_json::json!({}))
        .await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("GET /v1/sites"));
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn no_token_or_a_wrong_one_is_401_alike_and_healthz_needs_none() {
    let env = Env::start(SimConfig::new().users(5).seed(5)).await;
    let served = env.serve(ServeConfig::default()).await;

    let open = served.call(Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!(open.status, 200);
    let none = served.call(Method::GET, "/v1/sites", None, None, &[]).await;
    let wrong = served
        .call(Method::GET, "/v1/sites", Some("tgv_guessed"), None, &[])
        .await;
    let scim = served
        .call(Method::GET, "/v1/sites", Some(&served.scim), None, &[])
        .await;
    assert_eq!((none.status, wrong.status), (401, 401));
    assert_eq!(none.body, wrong.body, "no hint of which tokens exist");
    assert!(none.headers.contains_key("www-authenticate"));
    assert_eq!(scim.status, 403, "a SCIM token reads no /v1");
    for path in ["/readyz", "/metrics", "/v1/accounts", "/v1/journal"] {
        let answer = served.call(Method::GET, path, None, None, &[]).await;
        assert_eq!(answer.status, 401, "{path}");
    }
    let unknown = served.get("/v2/nothing").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
    assert!(!served.log().contains(&served.act), "tokens never logged");
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn readyz_names_the_site_that_never_synced_and_why() {
    let env = Env::start(SimConfig::new().users(5).seed(6)).await;
    let config = ServeConfig {
        // Nothing listens on port 9 of loopback.
        server: Some("http://127.0.0.1:9".into()),
        ..ServeConfig::default()
    };
    let served = env.serve(config).await;
    let mut answer = served.get("/readyz").await;
    for _ in 0..100 {
        if answer.body.contains("last sync failed") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        answer = served.get("/readyz").await;
    }
    assert_eq!(answer.status, 503);
    let problem = &answer.json()["problems"][0];
    assert_eq!(problem["site"], "main");
    let reason = problem["reason"].as_str().unwrap();
    assert!(reason.starts_with("never synced"), "{reason}");
    assert!(reason.contains("cannot reach"), "{reason}");
    let sites = served.get("/v1/sites").await.json();
    assert!(sites["sites"][0]["consecutive_failures"].as_u64().unwrap() >= 1);
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn json_logs_are_one_object_per_line_with_a_span_per_request_and_no_secret() {
    let env = Env::start(SimConfig::new().users(5).seed(8)).await;
    let config = ServeConfig {
        env: vec![("TABGOV_LOG_FORMAT", "json")],
        ..ServeConfig::default()
    };
    let served = env.serve(config).await;
    served.wait_for_success(0).await;
    served.get("/v1/accounts?limit=2").await;
    let log = served.log();
    let mut requests = 0;
    for line in log.lines().filter(|l| !l.starts_with("tabgov serve:")) {
        let entry: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
        if entry["span"]["route"] == "/v1/accounts" && entry["fields"]["message"] == "request done"
        {
            assert_eq!(entry["fields"]["status"], 200);
            requests += 1;
        }
    }
    assert_eq!(requests, 1, "{log}");
    assert!(log.contains("\"sync succeeded\""), "{log}");
    for secret in [
        crate::common::PAT_SECRET,
        served.read.as_str(),
        served.act.as_str(),
    ] {
        assert!(!log.contains(secret));
    }
    assert_eq!(served.stop().await, 0);
}
