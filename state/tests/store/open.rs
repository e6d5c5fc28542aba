use tabgov_state::Store;

use crate::common::{count, file_store, url};

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
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count() as i64;
    assert_eq!(
        count(&again, "SELECT COUNT(*) FROM _sqlx_migrations").await,
        migrations
    );
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(again.pool())
        .await
        .unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(again.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
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
    assert!(matches!(
        ambiguous,
        Err(tabgov_state::Error::AmbiguousSite { .. })
    ));
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
        format!("{migrations}/0001_store.sql"),
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
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM owned_content")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(kinds, ["workbook"]);
}
