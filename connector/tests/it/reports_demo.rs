//! `tabgov demo`: the whole flow against its own in-process simulated site.

use crate::common;

use std::process::Stdio;

use common::Env;
use tableau_sim::SimConfig;

const SECTIONS: [&str; 3] = [
    "== Accounts",
    "== Licence report",
    "== Offboarding plan (dry run",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_prints_its_three_sections_and_leaves_a_usable_store() {
    // The harness's simulator is not used: the demo starts its own.
    let env = Env::start(SimConfig::new()).await;
    let run = env.tabgov(&["demo"]).await.ok();
    let out = &run.stdout;
    let mut at = 0;
    for section in SECTIONS {
        let found = out[at..]
            .find(section)
            .unwrap_or_else(|| panic!("no {section:?} after byte {at}:\n{out}"));
        at += found;
    }
    for expected in [
        "Creator",
        "reclaimable seat(s)",
        "Service Accounts",
        "planned",
        "tabgov sync",
        "--server https://",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }
    let plan = &out[out.find("== Offboarding plan").unwrap()..];
    assert!(
        plan.contains("deprovision") && plan.contains("suspend"),
        "{plan}"
    );
    assert!(!out.contains("Replacing"), "a fresh store replaces nothing");

    // The store stays and the other commands read it.
    let accounts = env.accounts().await;
    assert!(accounts.len() > 300, "{}", accounts.len());
    assert!(accounts.iter().any(|a| a["name"] == "svc-extract-refresh"));
    let report = env
        .tabgov(&["report", "licenses", "--format", "json"])
        .await
        .ok()
        .json();
    assert!(!report["candidates"].as_array().unwrap().is_empty());
    assert!(
        accounts.iter().all(|a| a["status"] != "Deprovisioned"),
        "the plan was a dry run"
    );

    // A second demo replaces the first one's store, and says so.
    let again = env.tabgov(&["demo", "--users", "50"]).await.ok();
    assert!(
        again.stdout.contains("Replacing the earlier demo store"),
        "{}",
        again.stdout
    );
    assert!(
        env.accounts().await.len() < 100,
        "a fresh store, not the old one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_db_the_demo_writes_tabgov_demo_db_and_never_replaces_a_real_store() {
    let dir = tempfile::tempdir().unwrap();
    let demo = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tabgov"));
        for (key, _) in std::env::vars() {
            if key.starts_with("TABGOV_") {
                cmd.env_remove(key);
            }
        }
        cmd.current_dir(dir.path())
            .args(args)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        cmd
    };
    let out = demo(&["demo", "--users", "20"]).output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("tabgov-demo.db").exists());

    let real = dir.path().join("governance.db");
    let store = tabgov_state::Store::open(&format!("sqlite://{}", real.display()))
        .await
        .unwrap();
    store
        .upsert_site("https://tableau.example.com", "finance", None)
        .await
        .unwrap();
    store.close().await;
    let out = demo(&["--db", real.to_str().unwrap(), "demo"])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("was not created by tabgov demo") && stderr.contains("another --db"),
        "{stderr}"
    );
    let store = tabgov_state::Store::open(&format!("sqlite://{}", real.display()))
        .await
        .unwrap();
    let sites = store.list_sites().await.unwrap();
    store.close().await;
    let kept: Vec<(&str, &str)> = sites
        .iter()
        .map(|s| (s.server.as_str(), s.content_url.as_str()))
        .collect();
    assert_eq!(
        kept,
        [("https://tableau.example.com", "finance")],
        "the real store is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_closes_the_pipe_early_ends_the_demo_quietly() {
    // `tabgov demo | head -1`: the reader is gone before most of the output.
    let env = Env::start(SimConfig::new()).await;
    let mut child = env
        .command(&env.db(), &["demo", "--users", "40"], &[])
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
