//! The sync's safety rails end to end: the mass-removal guard, failed and
//! killed runs that leave the store as it was, one sync per site.

use crate::common;

use std::time::Duration;

use common::{Env, PAT_SECRET};
use serde_json::Value;
use tabgov_state::RunStatus;
use tableau_sim::SimConfig;

fn site(users: usize) -> SimConfig {
    SimConfig::new()
        .users(users)
        .groups(8)
        .memberships_per_user(2)
        .seed(5)
}

/// Starts `tabgov sync` in small pages (so a latency makes it slow) without
/// waiting for it.
fn spawn_slow_sync(env: &Env, concurrency: &str) -> tokio::process::Child {
    let conn = env.conn();
    let args = env.sync_args(&conn, &["--page-size", "20", "--concurrency", concurrency]);
    env.command(&env.db(), &args, &[("TABGOV_PAT_SECRET", PAT_SECRET)])
        .spawn()
        .expect("tabgov starts")
}

/// A seeded user other than the PAT's owner.
fn some_user(env: &Env) -> tableau_sim::SimUser {
    env.sim
        .users("")
        .into_iter()
        .find(|u| u.name != "admin")
        .expect("a seeded user")
}

fn deprovisioned(accounts: &[Value]) -> usize {
    accounts
        .iter()
        .filter(|a| a["status"] == "Deprovisioned")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mass_removal_is_refused_unless_allowed() {
    let env = Env::start(site(200)).await;
    env.sync(&[]).await.ok();
    let users = env.sim.users("");
    let doomed: Vec<_> = users
        .iter()
        .filter(|u| u.name != "admin")
        .take(users.len() * 3 / 10)
        .collect();
    for u in &doomed {
        env.sim.remove_user("", &u.id);
    }

    let refused = env.sync(&[]).await;
    assert_eq!(refused.code, 3, "{refused:?}");
    assert!(
        refused.stderr.contains("--allow-mass-removal"),
        "{}",
        refused.stderr
    );
    assert_eq!(deprovisioned(&env.accounts().await), 0);
    let store = env.store().await;
    assert_eq!(
        store.list_runs(None).await.unwrap()[0].status,
        RunStatus::Refused
    );

    env.sync(&["--allow-mass-removal"]).await.ok();
    assert_eq!(deprovisioned(&env.accounts().await), doomed.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_fails_midway_records_a_failed_run_and_changes_nothing() {
    let env = Env::start(site(400)).await;
    env.sync(&[]).await.ok();
    let before = env.accounts().await;
    let victim = some_user(&env);
    env.sim.set_site_role("", &victim.id, "Unlicensed");
    env.sim.set_faults(0.0, 0.0, 150);

    let child = spawn_slow_sync(&env, "2");
    tokio::time::sleep(Duration::from_millis(700)).await;
    let Env { sim, dir, .. } = env;
    sim.stop().await;
    let out = child.wait_with_output().await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot reach the Tableau server"),
        "{stderr}"
    );

    let db = format!("sqlite://{}", dir.path().join("tabgov.db").display());
    let store = tabgov_state::Store::open(&db).await.unwrap();
    let runs = store.list_runs(None).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Failed, "{runs:#?}");
    assert!(runs[0]
        .error
        .as_deref()
        .unwrap_or("")
        .contains("cannot reach"));
    let after = store.list_accounts(&Default::default()).await.unwrap();
    let after = serde_json::to_value(after).unwrap();
    assert_eq!(after, Value::Array(before));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_sync_keeps_the_previous_snapshot_and_the_next_one_completes() {
    let env = Env::start(site(300)).await;
    env.sync(&[]).await.ok();
    let before = env.accounts().await;
    let victim = some_user(&env);
    env.sim.remove_user("", &victim.id);
    env.sim.set_faults(0.0, 0.0, 100);

    let mut child = spawn_slow_sync(&env, "1");
    tokio::time::sleep(Duration::from_millis(600)).await;
    child.start_kill().unwrap(); // SIGKILL
    child.wait().await.unwrap();
    assert_eq!(env.accounts().await, before);

    env.sim.set_faults(0.0, 0.0, 0);
    env.sync(&[]).await.ok();
    let store = env.store().await;
    let runs = store.list_runs(None).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Succeeded);
    assert_eq!(runs[1].status, RunStatus::Interrupted, "{runs:#?}");
    assert_eq!(deprovisioned(&env.accounts().await), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sync_of_the_same_site_exits_at_once() {
    let env = Env::start(site(300)).await;
    env.sim.set_faults(0.0, 0.0, 100);
    let first = spawn_slow_sync(&env, "1");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second = env.sync(&[]).await;
    assert_eq!(second.code, 1, "{second:?}");
    assert!(
        second.stderr.contains("already running"),
        "{}",
        second.stderr
    );
    let first = first.wait_with_output().await.unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("1 sign-ins"),
        "the second sync never signed in: {stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_given_a_lock_wait_waits_for_the_running_one() {
    let env = Env::start(site(300)).await;
    env.sim.set_faults(0.0, 0.0, 100);
    let first = spawn_slow_sync(&env, "1");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second = env.sync(&["--lock-wait-secs", "120"]).await.ok();
    assert!(
        second.stderr.contains("is running: waiting"),
        "{}",
        second.stderr
    );
    assert!(second.stdout.contains(" users"), "{}", second.stdout);
    let first = first.wait_with_output().await.unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let store = env.store().await;
    let runs = store.list_runs(None).await.unwrap();
    assert_eq!(runs.len(), 2, "{runs:#?}");
    assert!(runs.iter().all(|r| r.status == RunStatus::Succeeded));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_that_cannot_sign_in_leaves_no_trace_in_the_store() {
    let env = Env::start(site(10)).await;
    let conn = env.conn();
    let args = env.sync_args(&conn, &[]);
    let wrong = env
        .tabgov_env(&args, &[("TABGOV_PAT_SECRET", "wrong-secret")])
        .await;
    assert_eq!(wrong.code, 1, "{wrong:?}");
    let store = env.store().await;
    assert!(store.list_sites().await.unwrap().is_empty());
    assert!(store.list_runs(None).await.unwrap().is_empty());
}
