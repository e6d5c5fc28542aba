//! `tabgov demo` never replaces a store it did not create: not the one
//! TABGOV_DB names (the demo ignores it), and not one given with --db, even
//! when its site was synced from a loopback URL and it holds a journal.

use crate::common;

use common::bare::tabgov_bare;
use common::settle::settle;
use common::{Env, PAT_SECRET};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use tableau_sim::SimConfig;

async fn journal_rows(env: &Env) -> i64 {
    let store = env.raw_db().await;
    let n = sqlx::query_scalar("SELECT count(*) FROM action_journal")
        .fetch_one(&store)
        .await
        .unwrap();
    store.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_synced_store_with_a_journal_survives_the_demo() {
    let env = Env::start(SimConfig::new().users(20).groups(3).seed(5)).await;
    env.sync(&[]).await.ok();
    let target = env.sim.users("")[3].name.clone();
    let conn = env.conn();
    let mut suspend: Vec<&str> = vec!["suspend", &target, "--reason", "left"];
    suspend.extend(conn.iter().map(String::as_str));
    env.tabgov(&suspend).await.ok();
    let journalled = journal_rows(&env).await;
    assert!(journalled > 0, "the suspend was journalled");
    let accounts = env.accounts().await;

    settle(&env).await;
    let store = env.dir.path().join("tabgov.db");
    let before = std::fs::read(&store).unwrap();
    let store_path = store.to_str().unwrap();

    // TABGOV_DB names the real store: the demo leaves it and writes its own.
    let out = tabgov_bare(
        env.dir.path(),
        &["demo", "--users", "10"],
        &[("TABGOV_DB", store_path), ("TABGOV_PAT_SECRET", PAT_SECRET)],
    )
    .await;
    out.ok();
    assert!(env.dir.path().join("tabgov-demo.db").exists());
    assert!(std::fs::read(&store).unwrap() == before, "byte for byte");

    // Given with --db (here and through TABGOV_DB too), it is refused.
    for (args, vars) in [
        (vec!["--db", store_path, "demo", "--users", "10"], vec![]),
        (
            vec!["--db", store_path, "demo", "--users", "10"],
            vec![("TABGOV_DB", store_path)],
        ),
    ] {
        let out = tabgov_bare(env.dir.path(), &args, &vars).await;
        let stderr = &out.stderr;
        assert_eq!(out.code, 2, "{stderr}");
        assert!(
            stderr.contains("was not created by tabgov demo")
                && stderr.contains("pass another --db"),
            "{stderr}"
        );
        assert!(std::fs::read(&store).unwrap() == before, "byte for byte");
    }
    assert_eq!(journal_rows(&env).await, journalled, "row for row");
    assert_eq!(env.accounts().await, accounts, "row for row");
}

/// A store at `path` with a site of `server`, marked only if it was.
async fn unmarked_store(path: &std::path::Path, server: &str) {
    let store = tabgov_state::Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store.upsert_site(server, "", None).await.unwrap();
    store.close().await;
    // Everything in the database file, so its bytes can be compared.
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

async fn is_marked(path: &std::path::Path) -> bool {
    let store = tabgov_state::Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let marked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'tabgov_demo_store'")
            .fetch_one(&raw)
            .await
            .unwrap();
    raw.close().await;
    store.close().await;
    marked == 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_store_an_earlier_demo_left_unmarked_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let default = dir.path().join("tabgov-demo.db");
    unmarked_store(&default, "http://127.0.0.1:4711").await;
    let out = tabgov_bare(dir.path(), &["demo", "--users", "10"], &[]).await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("Replacing the earlier demo store"),
        "{}",
        out.stdout
    );
    assert!(is_marked(&default).await, "the new demo store is marked");

    // The same unmarked store named with --db is not taken for the demo's.
    let named = dir.path().join("named.db");
    unmarked_store(&named, "http://127.0.0.1:4711").await;
    let out = tabgov_bare(
        dir.path(),
        &["demo", "--users", "10", "--db", named.to_str().unwrap()],
        &[],
    )
    .await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("was not created by tabgov demo"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_default_store_holding_a_real_site_is_kept_with_a_hint_that_fits() {
    let dir = tempfile::tempdir().unwrap();
    let default = dir.path().join("tabgov-demo.db");
    unmarked_store(&default, "https://tableau.example.com").await;
    let before = std::fs::read(&default).unwrap();
    let out = tabgov_bare(dir.path(), &["demo", "--users", "10"], &[]).await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("holds data synced from https://tableau.example.com")
            && out.stderr.contains("pass --db with a new file")
            && !out.stderr.contains("no --db"),
        "{}",
        out.stderr
    );
    assert!(std::fs::read(&default).unwrap() == before, "byte for byte");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn db_after_the_subcommand_wins_over_tabgov_db() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.db");
    unmarked_store(&real, "https://tableau.example.com").await;
    let before = std::fs::read(&real).unwrap();
    let real_path = real.to_str().unwrap();
    let chosen = dir.path().join("chosen.db");
    let out = tabgov_bare(
        dir.path(),
        &["demo", "--users", "10", "--db", chosen.to_str().unwrap()],
        &[("TABGOV_DB", real_path)],
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        is_marked(&chosen).await,
        "the demo wrote the store --db named"
    );
    assert!(!dir.path().join("tabgov-demo.db").exists());
    assert!(std::fs::read(&real).unwrap() == before, "byte for byte");

    // Naming the real store after the subcommand is refused like before it.
    let out = tabgov_bare(
        dir.path(),
        &["demo", "--users", "10", "--db", real_path],
        &[("TABGOV_DB", real_path)],
    )
    .await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("was not created by tabgov demo"),
        "{}",
        out.stderr
    );
    assert!(std::fs::read(&real).unwrap() == before, "byte for byte");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_store_a_real_server_was_synced_into_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.db");
    let args = ["demo", "--users", "10", "--db", demo.to_str().unwrap()];
    assert_eq!(tabgov_bare(dir.path(), &args, &[]).await.code, 0);
    assert!(is_marked(&demo).await);
    // Later the user syncs a real server into the demo's store.
    unmarked_store(&demo, "https://tableau.example.com").await;
    let before = std::fs::read(&demo).unwrap();
    let out = tabgov_bare(dir.path(), &args, &[]).await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("holds data synced from https://tableau.example.com"),
        "{}",
        out.stderr
    );
    assert!(std::fs::read(&demo).unwrap() == before, "byte for byte");
}
