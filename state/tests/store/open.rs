//! Opening stores: migrations applied once, refusals, and (SQLite) the
//! file's settings and older formats.

use tabgov_state::{Error, Store};

use crate::common::{file_store, fresh_store, url, Engine};

/// How many migrations this build embeds for an engine.
fn migrations(engine: &str) -> i64 {
    let dir = format!("{}/migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(dir).unwrap().count() as i64
}

#[tokio::test]
async fn opening_a_file_twice_migrates_once_and_keeps_data() {
    let (dir, store) = file_store().await;
    let key = store
        .upsert_site("https://t.example.com/", "", None)
        .await
        .unwrap();
    store.close().await;

    let again = Store::open(&url(&dir)).await.unwrap();
    let sites = again.list_sites().await.unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].key, key);
    assert_eq!(sites[0].server, "https://t.example.com");
    assert_eq!(
        again
            .scalar_for_test("SELECT COUNT(*) FROM _sqlx_migrations")
            .await,
        migrations("sqlite")
    );
    let wal = "SELECT journal_mode = 'wal' FROM pragma_journal_mode";
    assert_eq!(again.scalar_for_test(wal).await, 1);
    assert_eq!(again.scalar_for_test("PRAGMA foreign_keys").await, 1);
}

#[tokio::test]
async fn upsert_site_keeps_the_key_and_learns_the_luid() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let a = store
        .upsert_site("https://t.example.com", "hr", None)
        .await
        .unwrap();
    let b = store
        .upsert_site("https://t.example.com", "hr", Some("luid-1"))
        .await
        .unwrap();
    let c = store
        .upsert_site("https://t.example.com", "hr", None)
        .await
        .unwrap();
    assert_eq!((a, a), (b, c));
    let site = store.find_site(None, "hr").await.unwrap().unwrap();
    assert_eq!(site.site_luid.as_deref(), Some("luid-1"));
    assert!(store
        .find_site(Some("https://other"), "hr")
        .await
        .unwrap()
        .is_none());

    store
        .upsert_site("https://other.example.com", "hr", None)
        .await
        .unwrap();
    let ambiguous = store.find_site(None, "hr").await;
    assert!(matches!(ambiguous, Err(Error::AmbiguousSite { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_opened_at_once_on_a_new_file_all_open() {
    for _ in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let url = url(&dir);
                tokio::spawn(async move { Store::open(&url).await.map(drop) })
            })
            .collect();
        for open in opens {
            open.await.unwrap().expect("every open succeeds");
        }
    }
}

/// A store synced before views stopped counting as owned content holds
/// rows of kind `view`; opening it drops them (they would read as corrupt).
#[tokio::test]
async fn opening_an_older_store_drops_stored_views() {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::ConnectOptions;
    let dir = tempfile::tempdir().unwrap();
    let first_only = tempfile::tempdir().unwrap();
    let migrations = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    std::fs::copy(
        format!("{migrations}/sqlite/0001_store.sql"),
        first_only.path().join("0001_store.sql"),
    )
    .unwrap();
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.path().join("tabgov.db"))
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(first_only.path())
        .await
        .unwrap()
        .run(&mut conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO sites (id, server, content_url, created_at) \
         VALUES (1, 'https://t.example.com', '', '2026-01-01T00:00:00.000000Z')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    for (kind, id) in [("view", "v1"), ("workbook", "w1")] {
        sqlx::query(
            "INSERT INTO owned_content (site_id, kind, content_id, owner_id) VALUES (1, ?, ?, 'u')",
        )
        .bind(kind)
        .bind(id)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    drop(conn);

    let store = Store::open(&url(&dir)).await.unwrap();
    let kinds = "SELECT COUNT(*) FROM owned_content WHERE kind = 'view'";
    assert_eq!(store.scalar_for_test(kinds).await, 0, "views remain");
    let kinds = "SELECT COUNT(*) FROM owned_content WHERE kind = 'workbook'";
    assert_eq!(store.scalar_for_test(kinds).await, 1, "workbooks went");
}

#[tokio::test]
async fn opening_a_postgres_store_twice_migrates_once_and_keeps_data() {
    let test = "open::opening_a_postgres_store_twice_migrates_once_and_keeps_data";
    let Some(t) = fresh_store(Engine::Postgres, test).await else {
        return;
    };
    let key = t
        .store
        .upsert_site("https://t.example.com/", "", None)
        .await
        .unwrap();
    t.store.close().await;
    for _ in 0..2 {
        let again = Store::open(&t.url).await.unwrap();
        let sites = again.list_sites().await.unwrap();
        assert_eq!(sites.len(), 1);
        assert_eq!(sites[0].key, key);
        let applied = "SELECT COUNT(*) FROM _sqlx_migrations";
        assert_eq!(again.scalar_for_test(applied).await, migrations("postgres"));
        again.close().await;
    }
}

#[tokio::test]
async fn a_postgres_store_from_a_newer_tabgov_is_refused_and_left_unchanged() {
    let test = "open::a_postgres_store_from_a_newer_tabgov_is_refused_and_left_unchanged";
    let Some(t) = fresh_store(Engine::Postgres, test).await else {
        return;
    };
    t.store
        .upsert_site("https://t.example.com", "", None)
        .await
        .unwrap();
    t.store
        .execute_for_test(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (20991231, 'a later tabgov', TRUE, '\\x00', 1)",
        )
        .await;
    let migrated = "SELECT COUNT(*) FROM _sqlx_migrations";
    let before = (
        t.store.scalar_for_test(migrated).await,
        t.store.list_sites().await.unwrap(),
    );
    for opened in [
        Store::open(&t.url).await,
        Store::open_for_reading(&t.url).await,
    ] {
        let err = opened.unwrap_err();
        assert!(
            matches!(
                err,
                Error::NewerStore {
                    version: 20991231,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("upgrade tabgov"), "{err}");
    }
    let after = (
        t.store.scalar_for_test(migrated).await,
        t.store.list_sites().await.unwrap(),
    );
    assert_eq!(after, before, "the store was changed");
}

#[tokio::test]
async fn a_refused_postgres_connection_fails_at_once_without_showing_the_password() {
    // Nothing listens on port 1 of the loopback address.
    let url = "postgres://tabgov:Hunter2-secret@127.0.0.1:1/tabgov";
    let started = std::time::Instant::now();
    let err = Store::open(url).await.unwrap_err();
    let waited = started.elapsed();
    assert!(waited.as_secs() < 5, "a refused connection took {waited:?}");
    let shown = err.to_string();
    assert!(!shown.contains("Hunter2-secret"), "{shown}");
    assert!(!format!("{err:?}").contains("Hunter2-secret"), "{err:?}");
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    assert!(shown.contains("127.0.0.1:1"), "{shown}");
}
