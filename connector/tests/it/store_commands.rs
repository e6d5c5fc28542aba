//! `tabgov store check` and `tabgov store migrate` against real SQLite
//! files: an up-to-date store reported as such, a synced one counted, a
//! damaged one failing the check, a newer one refused, and a check that
//! never changes the file.

use crate::common;

use common::settle::settle;
use common::{Env, Run};
use serde_json::Value;
use tableau_sim::SimConfig;

fn report(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{run:?}");
    let rows: Value = serde_json::from_str(&run.stdout).expect("JSON");
    rows[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_creates_an_up_to_date_store_and_check_counts_a_synced_one() {
    let env = Env::start(SimConfig::new().users(20).groups(3).seed(71)).await;
    let created = report(&env.tabgov(&["store", "migrate", "--format", "json"]).await);
    assert_eq!(created["version"], created["latest"], "{created}");
    assert_eq!(created["pending"], serde_json::json!([]));
    assert_eq!(
        (created["sound"].clone(), created["sites"].clone()),
        (true.into(), 0.into())
    );

    assert_eq!(env.sync(&[]).await.code, 0);
    let synced = report(&env.tabgov(&["store", "check", "--format", "json"]).await);
    assert_eq!(synced["sites"], 1, "{synced}");
    assert_eq!(synced["accounts"], 21, "20 users and the admin: {synced}");
    assert_eq!(synced["foreign_key_violations"], 0);
    let table = env.tabgov(&["store", "check"]).await;
    assert!(
        table.stdout.contains("| sound") && table.stdout.contains("true"),
        "{table:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_changes_nothing_and_a_missing_or_newer_store_is_refused() {
    let env = Env::start(SimConfig::new().users(5).seed(72)).await;
    let missing = env.tabgov(&["store", "check"]).await;
    assert_ne!(missing.code, 0, "{missing:?}");
    assert!(missing.stderr.contains("no store at"), "{}", missing.stderr);
    assert!(
        !env.dir.path().join("tabgov.db").exists(),
        "check created no store"
    );

    assert_eq!(env.sync(&[]).await.code, 0);
    settle(&env).await;
    let file = env.dir.path().join("tabgov.db");
    let synced = std::fs::read(&file).unwrap();
    assert_eq!(env.tabgov(&["store", "check"]).await.code, 0);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        synced,
        "the check changed the file"
    );

    let store = env.raw_db().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (20991231, 'a later tabgov', 1, x'00', 1)",
    )
    .execute(&store)
    .await
    .unwrap();
    store.close().await;
    settle(&env).await;
    let before = std::fs::read(&file).unwrap();
    let newer = env.tabgov(&["store", "check"]).await;
    assert_eq!(newer.code, 2, "{newer:?}");
    assert!(newer.stderr.contains("upgrade tabgov"), "{}", newer.stderr);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the check changed the file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_with_a_broken_reference_fails_the_check() {
    let env = Env::start(SimConfig::new().users(5).seed(73)).await;
    assert_eq!(env.sync(&[]).await.code, 0);
    let store = env.raw_db().await;
    let mut conn = store.acquire().await.unwrap();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("UPDATE sync_runs SET site_id = 999")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    store.close().await;
    let run = env.tabgov(&["store", "check", "--format", "json"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    let rows: Value = serde_json::from_str(&run.stdout).expect("the report is still printed");
    assert_eq!(rows[0]["sound"], false);
    assert!(rows[0]["foreign_key_violations"].as_u64().unwrap() >= 1);
    assert!(
        run.stderr.contains("damaged") && run.stderr.contains("restore it from a backup"),
        "{}",
        run.stderr
    );
}
