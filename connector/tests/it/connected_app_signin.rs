//! A refused connected-app sign-in, through the binary against the
//! simulator: each of Tableau's sub-codes ends in one sentence naming its
//! fix, Tableau's `401001` kept, exit 1.

use crate::common;

use common::Env;
use tableau_sim::SimConfig;

const CLIENT: &str = "tabgov-app";
const SECRET_ID: &str = "kid-1";
const SECRET: &str = "connected-app-secret";

/// `tabgov check` signed in as the connected app with these values.
async fn check(env: &Env, client: &str, secret_id: &str, secret: &str, user: &str) -> common::Run {
    let server = env.sim.base_url();
    env.tabgov_env(
        &[
            "check",
            "--server",
            &server,
            "--site",
            "",
            "--jwt-client-id",
            client,
            "--jwt-secret-id",
            secret_id,
            "--jwt-username",
            user,
        ],
        &[("TABGOV_JWT_SECRET", secret)],
    )
    .await
}

#[track_caller]
fn assert_refused(run: &common::Run, parts: &[&str]) {
    assert_eq!(run.code, 1, "{run:?}");
    let line = run.error_line();
    for part in parts.iter().chain(&["sign-in failed", "401001"]) {
        assert!(line.contains(part), "{part:?} missing from {line:?}");
    }
    assert!(!run.stderr.contains(SECRET), "the secret is never printed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_refusal_names_its_fix() {
    let env = Env::start(
        SimConfig::new()
            .users(3)
            .connected_app(CLIENT, SECRET_ID, SECRET),
    )
    .await;

    check(&env, CLIENT, SECRET_ID, SECRET, "admin").await.ok();

    // 5: the user the JWT signs in as does not exist.
    let ghost = check(&env, CLIENT, SECRET_ID, SECRET, "ghost").await;
    assert_refused(&ghost, &["--jwt-username", "not a user of the site"]);
    // 10089: no connected app has this client id.
    let client = check(&env, "no-such-app", SECRET_ID, SECRET, "admin").await;
    assert_refused(&client, &["--jwt-client-id", "no connected app"]);
    // 127: the secret id is unknown, or the value is not that secret's.
    let secret_id = check(&env, CLIENT, "kid-2", SECRET, "admin").await;
    assert_refused(&secret_id, &["--jwt-secret-id", "TABGOV_JWT_SECRET"]);
    let value = check(&env, CLIENT, SECRET_ID, "not-the-value", "admin").await;
    assert_refused(&value, &["--jwt-secret-id", "TABGOV_JWT_SECRET"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_connected_app_is_reported_as_disabled() {
    let env = Env::start(
        SimConfig::new()
            .users(3)
            .connected_app(CLIENT, SECRET_ID, SECRET)
            .disable_connected_app(CLIENT),
    )
    .await;
    let run = check(&env, CLIENT, SECRET_ID, SECRET, "admin").await;
    assert_refused(&run, &["disabled", "enable it"]);
}
