//! `tabgov demo` never replaces a store it did not create: not the one
//! TABGOV_DB names (the demo ignores it), and not one given with --db, even
//! when its site was synced from a loopback URL and it holds a journal.

mod common;

use common::bare::tabgov_bare;
use common::settle::settle;
use common::{Env, PAT_SECRET};
use tableau_sim::SimConfig;

async fn journal_rows(env: &Env) -> i64 {
    let store = env.store().await;
    let n = sqlx::query_scalar("SELECT count(*) FROM action_journal")
        .fetch_one(store.pool())
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
