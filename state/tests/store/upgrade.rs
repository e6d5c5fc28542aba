//! A store written before memberships referred to keys (schema version 4)
//! keeps its memberships through migration 0005, on both engines.

use std::path::Path;

use sqlx::migrate::Migrator;
use tabgov_state::{SiteKey, Store};

/// A synced site as version 4 held it: two accounts in one group, and one
/// membership naming a group the store never held (dropped by 0005).
const SEED: &[&str] = &[
    "INSERT INTO sites (id, server, content_url, created_at) \
     VALUES (1, 'https://tableau.example.com', '', '2026-01-01T00:00:00.000000Z')",
    "INSERT INTO sync_runs (id, site_id, started_at, finished_at, status) \
     VALUES (1, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:01.000000Z', 'succeeded')",
    "UPDATE sites SET last_success_run_id = 1, last_success_at = '2026-01-01T00:00:01.000000Z'",
    "INSERT INTO accounts (site_id, id, name, site_role, license, status, first_seen) VALUES \
     (1, 'u-alice', 'alice', 'Creator', 'Creator', 'Active', '2026-01-01T00:00:00.000000Z'), \
     (1, 'u-bob', 'bob', 'Viewer', 'Viewer', 'Active', '2026-01-01T00:00:00.000000Z')",
    "INSERT INTO groups (site_id, id, name) VALUES (1, 'g-sales', 'Sales')",
    "INSERT INTO memberships (site_id, group_id, user_id) VALUES \
     (1, 'g-sales', 'u-alice'), (1, 'g-sales', 'u-bob'), (1, 'g-gone', 'u-alice')",
];

/// This engine's migrations up to version 4, as a directory of their own.
async fn version_4(engine: &str, into: &Path) -> Migrator {
    let all = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(engine);
    for entry in std::fs::read_dir(all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.as_str() < "0005" {
            std::fs::copy(&path, into.join(&name)).unwrap();
        }
    }
    Migrator::new(into).await.unwrap()
}

/// Opens the seeded store with this tabgov (which applies 0005) and reads
/// the memberships back.
async fn upgraded_reads_the_same(url: &str) {
    let store = Store::open(url).await.unwrap();
    let groups = store.list_groups(SiteKey(1)).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].members, ["alice", "bob"]);
    assert_eq!(
        store
            .scalar_for_test("SELECT COUNT(*) FROM memberships")
            .await,
        2
    );
    let alice = store
        .find_accounts(SiteKey(1), "alice")
        .await
        .unwrap()
        .remove(0);
    assert_eq!(alice.groups, ["Sales"]);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memberships_survive_the_move_to_keys_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let migrations = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
    let pool = sqlx::SqlitePool::connect_with(options.create_if_missing(true))
        .await
        .unwrap();
    version_4("sqlite", migrations.path())
        .await
        .run(&pool)
        .await
        .unwrap();
    for sql in SEED {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    upgraded_reads_the_same(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memberships_survive_the_move_to_keys_on_postgres() {
    let test = "upgrade::memberships_survive_the_move_to_keys_on_postgres";
    let Some(url) = tabgov_state::testing::fresh_postgres_url(test).await else {
        return;
    };
    let migrations = tempfile::tempdir().unwrap();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    version_4("postgres", migrations.path())
        .await
        .run(&pool)
        .await
        .unwrap();
    for sql in SEED {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;
    upgraded_reads_the_same(&url).await;
}
