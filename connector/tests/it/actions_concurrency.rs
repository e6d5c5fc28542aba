//! Actions and syncs of one site at the same time, as two `tabgov`
//! processes sharing one store: the site's lock keeps a sync from writing
//! back what it listed before an action changed it, and keeps two actions
//! on one user from both acting.

use crate::action_helpers;
use crate::common;

use std::time::Duration;

use action_helpers::{act, assert_exit, command_line, empty_site, journal, sites};
use common::{Env, Run, PAT_SECRET};
use tabgov::site_lock::SiteLock;
use tabgov_state::{HeldSiteLock, JournalAction, JournalState, Store};

/// A second PAT, so that the processes' sign-ins do not end each other's
/// sessions and only the store decides who goes first.
const OTHER_PAT: &str = "other-pat";
const OTHER_SECRET: &str = "other-secret";
const THIRD_PAT: &str = "third-pat";
const THIRD_SECRET: &str = "third-secret";

/// Starts `tabgov ARGS <connection flags>` signed in with `pat`.
fn spawn(env: &Env, command: &str, args: &[&str], pat: (&str, &str)) -> tokio::process::Child {
    let mut line = command_line(env, command, args);
    let at = line.iter().position(|a| a == "--pat-name").unwrap();
    line[at + 1] = pat.0.to_owned();
    let refs: Vec<&str> = line.iter().map(String::as_str).collect();
    env.command(&env.db(), &refs, &[("TABGOV_PAT_SECRET", pat.1)])
        .spawn()
        .expect("tabgov starts")
}

async fn finish(child: tokio::process::Child) -> Run {
    let out = child.wait_with_output().await.expect("tabgov runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Waits until the simulator has answered `n` more requests than `from`.
async fn requests_reach(env: &Env, from: u64, n: u64) {
    for _ in 0..600 {
        if env.sim.request_count() >= from + n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the simulator never saw {n} more requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_overlapping_a_suspend_and_a_deprovision_keeps_both() {
    let site = empty_site()
        .pat(OTHER_PAT, OTHER_SECRET)
        .pat(THIRD_PAT, THIRD_SECRET);
    let env = Env::start(site).await;
    let alice = env.sim.add_user("", "alice", "Creator");
    let bob = env.sim.add_user("", "bob", "Viewer");
    // Many groups make the listing long after its users page was read.
    for i in 0..100 {
        let g = env.sim.add_group("", &format!("team-{i:03}"), None, None);
        env.sim.add_member("", &g.id, &alice.id);
    }
    env.sync(&[]).await.ok();

    env.sim.set_faults(0.0, 0.0, 40);
    let before = env.sim.request_count();
    let conn_sync = env.conn();
    let sync_args = env.sync_args(&conn_sync, &["--concurrency", "1"]);
    let sync = env
        .command(&env.db(), &sync_args, &[("TABGOV_PAT_SECRET", PAT_SECRET)])
        .spawn()
        .expect("tabgov starts");
    // Sign-in, the users page and the groups page are read first.
    requests_reach(&env, before, 4).await;
    let other = (OTHER_PAT, OTHER_SECRET);
    let third = (THIRD_PAT, THIRD_SECRET);
    let suspend = spawn(&env, "suspend", &["alice", "--format", "json"], other);
    let deprovision = spawn(&env, "deprovision", &["bob", "--format", "json"], third);
    let (sync, suspend, deprovision) =
        tokio::join!(finish(sync), finish(suspend), finish(deprovision));
    let sync = sync.ok();
    assert_exit(&suspend, 0);
    assert_exit(&deprovision, 0);
    env.sim.set_faults(0.0, 0.0, 0);
    assert_eq!(
        suspend.json()[0]["result"],
        "completed",
        "{}",
        suspend.stderr
    );
    assert_eq!(
        deprovision.json()[0]["result"],
        "completed",
        "{}",
        deprovision.stderr
    );
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Unlicensed");
    assert!(env.sim.user("", &bob.id).is_none());
    assert!(sync.stdout.contains("users"), "{}", sync.stdout);
    // Both actions really overlapped the sync: they waited for it.
    for run in [&suspend, &deprovision] {
        assert!(run.stderr.contains("is running: waiting"), "{}", run.stderr);
    }

    // The store shows what Tableau shows and what the journal says.
    let entries = journal(&env).await;
    assert!(
        entries.iter().all(|e| e.state == JournalState::Completed),
        "{entries:?}"
    );
    let accounts = env.accounts().await;
    let row = |id: &str| accounts.iter().find(|a| a["id"] == id).unwrap().clone();
    assert_eq!(
        (
            row(&alice.id)["status"].as_str(),
            row(&alice.id)["site_role"].as_str()
        ),
        (Some("Suspended"), Some("Unlicensed"))
    );
    assert_eq!(row(&bob.id)["status"], "Deprovisioned");
    // No event after the first sync's says they came back.
    let changes = env
        .tabgov(&["changes", "--format", "json"])
        .await
        .ok()
        .json();
    let phantom: Vec<_> = changes
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["run_id"] != 1)
        .filter(|c| c["user_id"] == alice.id.as_str() || c["user_id"] == bob.id.as_str())
        .filter(|c| c["kind"] == "reactivated" || c["kind"] == "joined")
        .collect();
    assert!(phantom.is_empty(), "{phantom:#?}");
    // A sync now finds nothing the store does not already show.
    let again = env.sync(&["--format", "json"]).await.ok().json();
    let summary = &again[0]["summary"];
    for count in ["joined", "left", "changed", "memberships_added"] {
        assert_eq!(summary[count], 0, "{count}: {again:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_suspends_of_one_user_at_once_act_once() {
    let env = Env::start(empty_site().pat(OTHER_PAT, OTHER_SECRET)).await;
    let alice = env.sim.add_user("", "alice", "Creator");
    env.sync(&[]).await.ok();

    // Slow answers keep the first suspend's lock held while the second starts.
    env.sim.set_faults(0.0, 0.0, 300);
    let before = env.sim.request_count();
    let first = spawn(
        &env,
        "suspend",
        &["alice", "--format", "json"],
        (common::PAT_NAME, PAT_SECRET),
    );
    // Its lock is taken before its first request.
    requests_reach(&env, before, 1).await;
    let second = spawn(
        &env,
        "suspend",
        &["alice", "--format", "json"],
        (OTHER_PAT, OTHER_SECRET),
    );
    let (first, second) = tokio::join!(finish(first), finish(second));
    env.sim.set_faults(0.0, 0.0, 0);
    assert_exit(&first, 0);
    assert_exit(&second, 0);
    assert!(
        second.stderr.contains("is running: waiting"),
        "the second suspend overlapped the first and waited: {}",
        second.stderr
    );
    assert_eq!(
        (
            first.json()[0]["result"].as_str(),
            second.json()[0]["result"].as_str()
        ),
        (Some("completed"), Some("noop")),
        "{}\n{}",
        first.stderr,
        second.stderr
    );
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Unlicensed");

    let entries = journal(&env).await;
    let states: Vec<JournalState> = entries
        .iter()
        .filter(|e| e.intent.action == JournalAction::Suspend)
        .map(|e| e.state)
        .collect();
    assert_eq!(
        states,
        [JournalState::Completed, JournalState::Noop],
        "{entries:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_gives_up_after_its_lock_wait_and_changes_nothing() {
    let env = Env::start(empty_site()).await;
    let alice = env.sim.add_user("", "alice", "Creator");
    env.sync(&[]).await.ok();
    let store = env.store().await;
    let site = sites(&env).await[0].key;
    // What a running sync holds, as another process would.
    let held = HeldSiteLock::acquire(&store, site).await.unwrap();

    let run = act(&env, "suspend", &["alice", "--lock-wait-secs", "1"]).await;
    assert_exit(&run, 1);
    assert!(
        run.stderr
            .contains("stayed busy with another tabgov sync or action")
            && run.stderr.contains("nothing was changed"),
        "{}",
        run.stderr
    );
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Creator");
    assert!(journal(&env).await.is_empty());
    drop(held);
    store.close().await;
}

/// A sync of another site can hold SQLite's write lock longer than the
/// store's busy timeout (5 s); taking a site's lock meanwhile waits it out
/// instead of failing with "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taking_a_site_lock_waits_out_a_long_store_write() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let store = Store::open(&url).await.unwrap();
    let other_process = Store::open(&url).await.unwrap();
    let server = "https://tableau.example.com";
    let known = store.upsert_site(server, "finance", None).await.unwrap();
    let held = HeldSiteLock::acquire(&other_process, known).await.unwrap();
    let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
    let mut conn = raw.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *conn)
        .await
        .unwrap();
    let release = async move {
        tokio::time::sleep(Duration::from_secs(7)).await;
        sqlx::query("COMMIT").execute(&mut *conn).await.unwrap();
        drop(held);
    };
    let wait = Duration::from_secs(60);
    let (_, finance, sales) = tokio::join!(
        release,
        SiteLock::acquire_waiting(&store, server, "finance", wait),
        SiteLock::acquire_waiting(&store, server, "sales", wait),
    );
    assert_eq!(finance.unwrap().site(), known);
    let sales = sales.unwrap().site();
    assert_ne!(sales, known);
    let found = store.find_site(Some(server), "sales").await.unwrap();
    assert_eq!(found.map(|s| s.key), Some(sales));
    raw.close().await;
    other_process.close().await;
    store.close().await;
}
