//! The REST API version, through the binary against the simulator: tabgov
//! needs 3.9 (Tableau Server 2020.3) for `mapAssetsTo` and group imports,
//! so an older server, or an older or malformed `--api-version`, stops
//! before sign-in with one sentence and exit 2.

use crate::common;

use common::Env;
use tableau_sim::SimConfig;

#[track_caller]
fn assert_usage(run: &common::Run, parts: &[&str]) {
    assert_eq!(run.code, 2, "{run:?}");
    let line = run.error_line();
    for part in parts {
        assert!(line.contains(part), "{part:?} missing from {line:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_older_than_3_9_is_refused_by_name() {
    let env = Env::start(SimConfig::new().users(2).api_version("3.8")).await;
    let mut args = vec!["check"];
    let conn = env.conn();
    args.extend(conn.iter().map(String::as_str));
    let run = env.tabgov(&args).await;
    assert_usage(&run, &["3.8", "2020.2", "3.9", "upgrade"]);
    assert_eq!(
        env.sim.sign_in_count(),
        0,
        "nothing signs in to a server too old"
    );

    let current = Env::start(SimConfig::new().users(2).api_version("3.9")).await;
    let conn = current.conn();
    let mut args = vec!["check"];
    args.extend(conn.iter().map(String::as_str));
    let ok = current.tabgov(&args).await.ok();
    assert!(ok.stdout.contains("3.9"), "{}", ok.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_version_below_3_9_or_malformed_is_a_usage_error() {
    let env = Env::start(SimConfig::new().users(2)).await;
    let conn = env.conn();
    for (forced, says) in [
        ("3.7", &["--api-version 3.7", "3.9"][..]),
        ("2.8", &["--api-version 2.8", "3.9"][..]),
        ("three", &["--api-version 'three'", "3.21"][..]),
        ("3.x", &["--api-version '3.x'", "3.21"][..]),
    ] {
        let mut args = vec!["check", "--api-version", forced];
        args.extend(conn.iter().map(String::as_str));
        let run = env.tabgov(&args).await;
        assert_usage(&run, says);
    }
    assert_eq!(
        env.sim.request_count(),
        0,
        "a bad --api-version is refused before any request"
    );
    let mut args = vec!["check", "--api-version", "3.9"];
    args.extend(conn.iter().map(String::as_str));
    let ok = env.tabgov(&args).await.ok();
    assert!(ok.stdout.contains("3.9"), "{}", ok.stdout);
}
