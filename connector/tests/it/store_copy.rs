//! `tabgov store copy`: a synced store with a journal moved into a new one
//! (another SQLite file, and a PostgreSQL database when a server is given)
//! reads the same, and goes on syncing there.

use crate::action_helpers::act;
use crate::common::{Env, Run, PAT_SECRET};

use serde_json::Value;
use tabgov_state::{JournalFilter, Store};
use tableau_sim::SimConfig;

fn site() -> SimConfig {
    SimConfig::new()
        .users(30)
        .groups(5)
        .memberships_per_user(2)
        .owners_fraction(0.2)
        .seed(17)
}

/// `tabgov --db DB ARGS` (for a store other than the test's own).
async fn on(env: &Env, db: &str, args: &[&str]) -> Run {
    let out = env
        .command(db, args, &[("TABGOV_PAT_SECRET", PAT_SECRET)])
        .output()
        .await
        .expect("tabgov runs");
    Run::from_output(out)
}

/// What a store shows: accounts, groups, the change feed and the journal.
async fn shown(env: &Env, db: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for command in ["accounts", "groups", "changes"] {
        all.push(
            on(env, db, &[command, "--format", "json"])
                .await
                .ok()
                .json(),
        );
    }
    let store = Store::open(db).await.unwrap();
    let journal = store.journal_list(&JournalFilter::default()).await.unwrap();
    store.close().await;
    all.push(serde_json::to_value(journal).unwrap());
    all
}

/// Syncs and suspends someone on the test's SQLite store, copies it to
/// `target`, and checks the copy.
async fn copy_to(env: &Env, target: &str) {
    env.sync(&[]).await.ok();
    let victim = env
        .sim
        .users("")
        .into_iter()
        .find(|u| u.name != "admin" && u.site_role != "Unlicensed")
        .expect("a licensed user");
    act(
        env,
        "suspend",
        &[victim.name.as_str(), "--reason", "leaver"],
    )
    .await
    .ok();
    let before = shown(env, &env.db()).await;

    let copied = env
        .tabgov(&["store", "copy", "--to", target, "--format", "json"])
        .await;
    let copied = copied.ok();
    let rows: Vec<Value> = copied.json().as_array().unwrap().clone();
    let journal = rows
        .iter()
        .find(|r| r["table"] == "action_journal")
        .unwrap();
    assert_eq!(journal["rows"], 1, "{rows:?}");
    assert_eq!(before[3].as_array().unwrap().len(), 1);
    assert_eq!(shown(env, target).await, before);
    assert_eq!(shown(env, &env.db()).await, before, "the source changed");

    // Into a store that holds something: refused, nothing written.
    let again = env.tabgov(&["store", "copy", "--to", target]).await;
    assert_eq!(again.code, 2, "{again:?}");
    assert!(
        again.stderr.contains("new, empty database"),
        "{}",
        again.stderr
    );
    assert_eq!(shown(env, target).await, before);

    // The copy goes on: a sync there gets a run id of its own.
    let mut conn = env.conn();
    let mut sync = vec!["sync"];
    sync.extend(conn.iter_mut().map(|s| s.as_str()));
    sync.extend(["--format", "json"]);
    let synced = on(env, target, &sync).await.ok().json();
    let first_run = before[2][0]["run_id"].as_i64().unwrap();
    assert!(
        synced[0]["run_id"].as_i64().unwrap() > first_run,
        "{synced}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_copied_to_another_file_reads_the_same_and_syncs_on() {
    let env = Env::start(site()).await;
    let target = format!("sqlite://{}", env.dir.path().join("copy.db").display());
    copy_to(&env, &target).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_copied_to_postgres_reads_the_same_and_syncs_on() {
    let Some(target) = tabgov_state::testing::fresh_postgres_url("store_copy_to_postgres").await
    else {
        return;
    };
    let env = Env::start(site()).await;
    copy_to(&env, &target).await;
}
