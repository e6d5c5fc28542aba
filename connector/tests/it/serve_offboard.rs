//! `POST /v1/offboard` end to end: a job accepted with 202 changes the
//! simulator and writes the journal, an Idempotency-Key acts once, bad
//! requests change nothing, and a server killed after a 202 finishes the
//! job after a restart without acting twice.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tabgov_state::JournalState;

use crate::action_helpers::{empty_site, journal};
use crate::common::serve::{ServeConfig, Served};
use crate::common::Env;

/// Polls the job at `href` until it has ended, and returns it.
async fn finished(served: &Served, href: &str) -> serde_json::Value {
    for _ in 0..300 {
        let job = served.get(href).await.json();
        if matches!(job["state"].as_str(), Some("succeeded" | "failed")) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {href} did not end; log:\n{}", served.log());
}

#[tokio::test]
async fn an_offboard_post_suspends_and_removes_and_is_journalled_with_the_caller() {
    let env = Env::start(empty_site()).await;
    let alice = env.sim.add_user("", "alice", "Creator");
    let bob = env.sim.add_user("", "bob", "Viewer");
    let served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;

    let accepted = served
        .post_json(
            "/v1/offboard",
            json!({
                "reason": "left", "ticket": "HR-7",
                "rows": [
                    {"user": "alice", "action": "suspend"},
                    {"user": "bob", "action": "deprovision"}
                ]
            }),
        )
        .await;
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    let job = accepted.json();
    assert_eq!(job["rows"], 2);
    assert_eq!(job["submitted_by"], "hr-feed");
    let job = finished(&served, job["href"].as_str().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let results = job["results"].as_array().unwrap();
    assert_eq!(results[0]["result"], "completed", "{job}");
    assert_eq!(results[0]["line"], 1);
    assert_eq!(results[1]["result"], "completed", "{job}");

    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Unlicensed");
    assert!(env.sim.user("", &bob.id).is_none());
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.state == JournalState::Completed
        && e.intent.actor.as_deref() == Some("hr-feed")
        && e.intent.ticket.as_deref() == Some("HR-7")));

    let by_user = served.get("/v1/journal?user=alice").await.json();
    assert_eq!(by_user["items"].as_array().unwrap().len(), 1);
    assert_eq!(by_user["items"][0]["action"], "suspend");
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn the_same_idempotency_key_acts_once_and_a_reused_key_is_refused() {
    let env = Env::start(empty_site()).await;
    env.sim.add_user("", "carol", "Explorer");
    let served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;
    let body =
        serde_json::to_vec(&json!({"rows": [{"user": "carol", "action": "suspend"}]})).unwrap();
    let post = |key: &'static str, body: Vec<u8>| {
        let served = &served;
        async move {
            served
                .call(
                    Method::POST,
                    "/v1/offboard",
                    Some(&served.act),
                    Some(("application/json", body)),
                    &[("Idempotency-Key", key)],
                )
                .await
        }
    };
    let first = post("hr-ticket-1", body.clone()).await;
    assert_eq!(first.status, 202, "{}", first.body);
    let again = post("hr-ticket-1", body.clone()).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["id"], first.json()["id"]);
    finished(&served, first.json()["href"].as_str().unwrap()).await;
    let after = post("hr-ticket-1", body).await;
    assert_eq!(after.json()["id"], first.json()["id"]);
    assert_eq!(after.json()["state"], "succeeded");

    let other =
        serde_json::to_vec(&json!({"rows": [{"user": "carol", "action": "deprovision"}]})).unwrap();
    let reused = post("hr-ticket-1", other).await;
    assert_eq!(reused.status, 422, "{}", reused.body);
    assert_eq!(reused.json()["error"]["code"], "idempotency_key_reused");

    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1, "one suspend: {entries:?}");
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn bad_requests_are_refused_whole_and_keep_nothing() {
    let env = Env::start(empty_site()).await;
    env.sim.add_user("", "dave", "Creator");
    let config = ServeConfig {
        serve_extra: "max_body_bytes = 2048".into(),
        ..ServeConfig::default()
    };
    let served = env.serve(config).await;
    served.wait_for_success(0).await;
    let post = |content_type: &'static str, body: Vec<u8>, token: String| {
        let served = &served;
        async move {
            served
                .call(
                    Method::POST,
                    "/v1/offboard",
                    Some(&token),
                    Some((content_type, body)),
                    &[],
                )
                .await
        }
    };
    let act = served.act.clone();

    let malformed = post("application/json", b"{\"rows\": [".to_vec(), act.clone()).await;
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));

    let rows = json!({"rows": [{"user": "dave"}, {"user": "dave", "action": "suspend"}, {"user": "x", "action": "delete"}]});
    let invalid = post(
        "application/json",
        serde_json::to_vec(&rows).unwrap(),
        act.clone(),
    )
    .await;
    assert_eq!(invalid.status, 400);
    let error = &invalid.json()["error"];
    assert_eq!(error["code"], "invalid_rows");
    let message = error["message"].as_str().unwrap();
    for part in ["row 1: no action", "row 3: unknown action 'delete'"] {
        assert!(message.contains(part), "{message}");
    }

    let csv = b"user,action\ndave,suspend\n,suspend\n".to_vec();
    let bad_csv = post("text/csv", csv, act.clone()).await;
    assert_eq!(bad_csv.status, 400);
    assert!(
        bad_csv.body.contains("line 3: the user is empty"),
        "{}",
        bad_csv.body
    );

    let huge = vec![b'a'; 4096];
    let oversized = post("text/csv", huge, act.clone()).await;
    assert_eq!(oversized.status, 413);

    let as_reader = post("text/csv", b"user\ndave\n".to_vec(), served.read.clone()).await;
    assert_eq!(as_reader.status, 403);
    let no_token = served
        .call(
            Method::POST,
            "/v1/offboard",
            None,
            Some(("text/csv", b"user\ndave\n".to_vec())),
            &[],
        )
        .await;
    assert_eq!(no_token.status, 401);
    let xml = post("application/xml", b"<rows/>".to_vec(), act).await;
    assert_eq!(xml.status, 415);

    let store = env.store().await;
    assert!(
        store.list_jobs(10).await.unwrap().is_empty(),
        "nothing kept"
    );
    assert!(journal(&env).await.is_empty());
    assert_eq!(
        env.sim.user_by_name("", "dave").unwrap().site_role,
        "Creator"
    );
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn a_csv_body_with_query_options_runs_as_a_dry_run() {
    let env = Env::start(empty_site()).await;
    env.sim.add_user("", "erin", "Creator");
    let served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;
    let answer = served
        .call(
            Method::POST,
            "/v1/offboard?dry_run=true&action=suspend&site=main",
            Some(&served.act),
            Some(("text/csv", b"user\nerin\n".to_vec())),
            &[],
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let job = finished(&served, answer.json()["href"].as_str().unwrap()).await;
    assert_eq!(job["dry_run"], true);
    assert_eq!(job["results"][0]["result"], "planned", "{job}");
    assert_eq!(
        env.sim.user_by_name("", "erin").unwrap().site_role,
        "Creator"
    );
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn a_job_accepted_before_a_kill_is_finished_after_the_restart_and_acts_once() {
    let env = Env::start(empty_site()).await;
    let names: Vec<String> = (0..6).map(|i| format!("leaver{i}")).collect();
    for name in &names {
        env.sim.add_user("", name, "Creator");
    }
    let mut served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;
    // Slow Tableau: the kill lands while the job runs.
    env.sim.set_faults(0.0, 0.0, 150);
    let rows: Vec<_> = names
        .iter()
        .map(|n| json!({"user": n, "action": "suspend"}))
        .collect();
    let accepted = served
        .post_json("/v1/offboard", json!({"rows": rows}))
        .await;
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    let href = accepted.json()["href"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(400)).await;
    served.child.start_kill().unwrap();
    served.child.wait().await.unwrap();
    env.sim.set_faults(0.0, 0.0, 0);

    let (read, act, scim) = (served.read.clone(), served.act.clone(), served.scim.clone());
    let restarted = env.start_serve(read, act, scim).await;
    let job = finished(&restarted, &href).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    for name in &names {
        assert_eq!(
            env.sim.user_by_name("", name).unwrap().site_role,
            "Unlicensed"
        );
    }
    let entries = journal(&env).await;
    let completed = entries
        .iter()
        .filter(|e| e.state == JournalState::Completed)
        .count();
    assert_eq!(completed, names.len(), "each suspend once: {entries:?}");
    assert!(job["attempts"].as_u64().unwrap() >= 1);
    assert_eq!(restarted.stop().await, 0);
}
