//! A site's first sync, written while it is listed: nothing of it can be
//! read before it succeeds, a failed one leaves nothing behind, and a killed
//! one is cleared by the next.

use crate::common;

use std::time::Duration;

use common::{Env, PAT_SECRET};
use serde_json::Value;
use tabgov_state::{RunStatus, Store};
use tableau_sim::SimConfig;

fn site() -> SimConfig {
    SimConfig::new()
        .users(300)
        .groups(8)
        .memberships_per_user(2)
        .seed(9)
}

/// Rows of every synced table, readable or not (none while the store is
/// still being created).
async fn raw_rows(db: &str) -> i64 {
    let Ok(raw) = sqlx::SqlitePool::connect(db).await else {
        return 0;
    };
    let mut total = 0;
    for table in [
        "accounts",
        "groups",
        "memberships",
        "owned_content",
        "change_events",
    ] {
        let n: Result<i64, _> = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&raw)
            .await;
        total += n.unwrap_or(0);
    }
    raw.close().await;
    total
}

/// Starts a slow first sync (small pages, one request at a time) and waits
/// until it has written its first rows.
async fn start_slow_first_sync(env: &Env) -> tokio::process::Child {
    env.sim.set_faults(0.0, 0.0, 60);
    let conn = env.conn();
    let args = env.sync_args(&conn, &["--page-size", "20", "--concurrency", "1"]);
    let child = env
        .command(&env.db(), &args, &[("TABGOV_PAT_SECRET", PAT_SECRET)])
        .spawn()
        .expect("tabgov starts");
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(25)).await;
        if raw_rows(&env.db()).await > 0 {
            return child;
        }
    }
    panic!("the first sync wrote nothing while it listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_is_unreadable_until_it_succeeds_and_a_killed_one_is_cleared() {
    let env = Env::start(site()).await;
    let mut child = start_slow_first_sync(&env).await;
    let store = env.store().await;
    assert!(env.accounts().await.is_empty());
    let sites = store.list_sites().await.unwrap();
    assert!(store.list_groups(sites[0].key).await.unwrap().is_empty());
    let changes = env.tabgov(&["changes", "--format", "json"]).await.ok();
    assert_eq!(changes.json(), Value::Array(vec![]));

    child.start_kill().unwrap(); // SIGKILL
    child.wait().await.unwrap();
    assert!(raw_rows(&env.db()).await > 0);
    assert!(env.accounts().await.is_empty());

    env.sim.set_faults(0.0, 0.0, 0);
    env.sync(&[]).await.ok();
    let accounts = env.accounts().await;
    assert_eq!(accounts.len(), env.sim.users("").len());
    let runs = store.list_runs(None).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Succeeded);
    assert_eq!(runs[1].status, RunStatus::Interrupted, "{runs:#?}");
    // Every account joined once: the killed run's rows are gone.
    let changes = env.tabgov(&["changes", "--format", "json"]).await.ok();
    assert_eq!(changes.json().as_array().unwrap().len(), accounts.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_that_fails_midway_leaves_only_its_failed_run() {
    let env = Env::start(site()).await;
    let child = start_slow_first_sync(&env).await;
    let Env { sim, dir, .. } = env;
    sim.stop().await;
    let out = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot reach the Tableau server"),
        "{stderr}"
    );

    let db = format!("sqlite://{}", dir.path().join("tabgov.db").display());
    let store = Store::open(&db).await.unwrap();
    assert_eq!(raw_rows(&db).await, 0);
    let runs = store.list_runs(None).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Failed, "{runs:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_whose_store_writes_fail_stops_listing() {
    // Few users (their listing is written early) and many groups (whose
    // member listings go on long after).
    let env = Env::start(
        SimConfig::new()
            .users(20)
            .groups(120)
            .memberships_per_user(6)
            .seed(9),
    )
    .await;
    // A clean listing of the site in the same small pages, for its size.
    let full = {
        let before = env.sim.request_count();
        let conn = env.conn();
        let args = env.sync_args(&conn, &["--page-size", "5"]);
        let other = env.dir.path().join("other.db");
        let db = format!("sqlite://{}", other.display());
        let out = env
            .command(&db, &args, &[("TABGOV_PAT_SECRET", PAT_SECRET)])
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        env.sim.request_count() - before
    };

    // Slow enough that the listing would outlast the blocked writer's
    // busy timeout (5 s) by far, even when the machine is busy with other
    // tests: about 24 s for the whole listing, which the sync must not reach.
    env.sim.set_faults(0.0, 0.0, 150);
    let before = env.sim.request_count();
    let conn = env.conn();
    let args = env.sync_args(&conn, &["--page-size", "5", "--concurrency", "1"]);
    let store = env.raw_db().await;
    let mut child = env
        .command(&env.db(), &args, &[("TABGOV_PAT_SECRET", PAT_SECRET)])
        .spawn()
        .expect("tabgov starts");
    loop {
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&store)
            .await
            .unwrap();
        if accounts > 0 {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().await.unwrap();
            panic!(
                "the sync ended ({status}) before writing its accounts: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Another writer holds the store longer than its busy timeout (5 s),
    // while member listings are still coming in to be written.
    let mut blocker = store.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let out = child.wait_with_output().await.unwrap();
    sqlx::query("ROLLBACK")
        .execute(&mut *blocker)
        .await
        .unwrap();
    drop(blocker);

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("locked"), "the store's own error: {stderr}");
    let made = env.sim.request_count() - before;
    assert!(made < full, "{made} requests, a whole listing is {full}");
    // Its cleanup met the same lock: what it wrote stays unreadable.
    assert!(env.accounts().await.is_empty());
}
