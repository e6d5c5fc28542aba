//! `tabgov` processes sharing one PostgreSQL store: syncs, actions and the
//! per-site advisory lock, end to end against the simulator. Each test is
//! skipped (and says so) when `TABGOV_TEST_POSTGRES` names no server; CI
//! always sets it.

use crate::action_helpers::{act, journal, sites};
use crate::common::{Env, Run, PAT_NAME, PAT_SECRET};

use std::time::Duration;

use tabgov_state::{JournalAction, JournalState, RunStatus, Store};
use tableau_sim::SimConfig;

fn site(users: usize) -> SimConfig {
    SimConfig::new()
        .users(users)
        .groups(6)
        .memberships_per_user(2)
        .seed(11)
}

/// `tabgov sync` of `content_url` with small pages, one request at a time,
/// so that it is still running while the test acts.
fn spawn_slow_sync(env: &Env, content_url: &str) -> tokio::process::Child {
    spawn_slow_sync_as(env, content_url, (PAT_NAME, PAT_SECRET))
}

/// [`spawn_slow_sync`] signed in with another token (one token's sessions
/// end each other's).
fn spawn_slow_sync_as(env: &Env, content_url: &str, pat: (&str, &str)) -> tokio::process::Child {
    let mut conn = env.conn();
    conn[3] = content_url.to_owned();
    conn[5] = pat.0.to_owned();
    let args = env.sync_args(&conn, &["--page-size", "10", "--concurrency", "1"]);
    env.command(&env.db(), &args, &[("TABGOV_PAT_SECRET", pat.1)])
        .spawn()
        .expect("tabgov starts")
}

async fn finish(child: tokio::process::Child) -> Run {
    Run::from_output(child.wait_with_output().await.expect("tabgov runs"))
}

/// Waits until the store records a running sync (the lock is then held).
async fn sync_running(env: &Env) {
    for _ in 0..400 {
        if let Ok(store) = Store::open(&env.db()).await {
            let runs = store.list_runs(None).await.unwrap_or_default();
            store.close().await;
            if runs.iter().any(|r| r.status == RunStatus::Running) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no sync started");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_and_a_suspend_on_postgres_match_the_simulator_and_the_journal() {
    let Some(env) = Env::start_on_postgres(site(40), "sync_and_suspend").await else {
        return;
    };
    env.sync(&[]).await.ok();
    let accounts = env.accounts().await;
    assert_eq!(accounts.len(), env.sim.users("").len());
    let victim = env
        .sim
        .users("")
        .into_iter()
        .find(|u| u.name != "admin" && u.site_role != "Unlicensed")
        .expect("a licensed user");
    act(&env, "suspend", &[victim.name.as_str()]).await.ok();
    assert_eq!(
        env.sim.user("", &victim.id).unwrap().site_role,
        "Unlicensed"
    );
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0].intent.action, JournalAction::Suspend);
    assert_eq!(entries[0].state, JournalState::Completed);
    // The store shows the suspension at once, and a re-sync agrees.
    let shown = |accounts: &[serde_json::Value]| {
        accounts
            .iter()
            .find(|a| a["id"] == victim.id.as_str())
            .map(|a| a["status"].clone())
    };
    assert_eq!(shown(&env.accounts().await), Some("Suspended".into()));
    env.sync(&[]).await.ok();
    assert_eq!(shown(&env.accounts().await), Some("Suspended".into()));

    // `store check` reads the PostgreSQL store as it reads a file.
    let check = env
        .tabgov(&["store", "check", "--format", "json"])
        .await
        .ok();
    let report = &check.json()[0];
    assert_eq!(report["version"], report["latest"], "{report}");
    assert_eq!(report["sound"], true);
    assert_eq!(report["sites"], 1);
    assert_eq!(report["accounts"], env.sim.users("").len());
    assert_eq!(report["journal_entries"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_syncs_of_one_site_on_postgres_run_one_at_a_time() {
    let Some(env) = Env::start_on_postgres(site(120), "two_syncs_one_site").await else {
        return;
    };
    env.sim.set_faults(0.0, 0.0, 60);
    let first = spawn_slow_sync(&env, "");
    sync_running(&env).await;
    let second = env.sync(&[]).await;
    assert_eq!(second.code, 1, "{second:?}");
    assert!(
        second.stderr.contains("already running") && second.stderr.contains("process"),
        "{}",
        second.stderr
    );
    let waited = env.sync(&["--lock-wait-secs", "120"]);
    let (first, waited) = tokio::join!(finish(first), waited);
    first.ok();
    waited.ok();
    let store = Store::open(&env.db()).await.unwrap();
    let runs = store.list_runs(None).await.unwrap();
    store.close().await;
    let succeeded = runs
        .iter()
        .filter(|r| r.status == RunStatus::Succeeded)
        .count();
    assert_eq!(succeeded, 2, "{runs:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncs_of_different_sites_on_postgres_run_at_once() {
    let config = site(60)
        .sites(vec![String::new(), "finance".into()])
        .pat("finance-pat", "finance-secret");
    let Some(env) = Env::start_on_postgres(config, "syncs_different_sites").await else {
        return;
    };
    env.sim.set_faults(0.0, 0.0, 30);
    let default_site = spawn_slow_sync(&env, "");
    sync_running(&env).await;
    // Fails at once if it had to wait: no lock wait is given.
    let finance = spawn_slow_sync_as(&env, "finance", ("finance-pat", "finance-secret"));
    let finance = finish(finance).await;
    finance.ok();
    finish(default_site).await.ok();
    assert_eq!(sites(&env).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspend_during_a_sync_of_its_site_waits_for_the_sync() {
    let Some(env) = Env::start_on_postgres(site(120), "suspend_waits").await else {
        return;
    };
    env.sync(&[]).await.ok();
    let victim = env
        .sim
        .users("")
        .into_iter()
        .find(|u| u.name != "admin" && u.site_role != "Unlicensed")
        .expect("a licensed user");
    env.sim.set_faults(0.0, 0.0, 60);
    let sync = spawn_slow_sync(&env, "");
    sync_running(&env).await;
    let args = [victim.name.as_str(), "--lock-wait-secs", "120"];
    let suspend = act(&env, "suspend", &args);
    let (sync, suspend) = tokio::join!(finish(sync), suspend);
    sync.ok();
    let suspend = suspend.ok();
    assert!(
        suspend.stderr.contains("waiting up to"),
        "the suspend did not wait: {}",
        suspend.stderr
    );
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].state, JournalState::Completed);
    // Written after the sync: the sync's snapshot did not undo it.
    let accounts = env.accounts().await;
    let status = accounts
        .iter()
        .find(|a| a["id"] == victim.id.as_str())
        .map(|a| a["status"].clone());
    assert_eq!(status, Some("Suspended".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_holding_the_postgres_lock_does_not_block_the_next() {
    let Some(env) = Env::start_on_postgres(site(120), "killed_holder").await else {
        return;
    };
    env.sim.set_faults(0.0, 0.0, 60);
    let mut killed = spawn_slow_sync(&env, "");
    sync_running(&env).await;
    killed.start_kill().unwrap(); // SIGKILL
    killed.wait().await.unwrap();
    env.sim.set_faults(0.0, 0.0, 0);
    // The server ends the dead connection's session, and its lock with it.
    env.sync(&[]).await.ok();
    let store = Store::open(&env.db()).await.unwrap();
    let runs = store.list_runs(None).await.unwrap();
    store.close().await;
    assert_eq!(runs[0].status, RunStatus::Succeeded, "{runs:#?}");
    assert_eq!(runs[1].status, RunStatus::Interrupted, "{runs:#?}");
    assert_eq!(env.accounts().await.len(), env.sim.users("").len());
}
