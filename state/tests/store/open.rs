use tabgov_state::{list_sites, upsert_site, Store};

use crate::common::{count, file_store, url};

#[tokio::test]
async fn opening_a_file_twice_migrates_once_and_keeps_data() {
    let (dir, store) = file_store().await;
    let key = upsert_site(store.pool(), "https://t.example.com/", "", None)
        .await
        .unwrap();
    store.close().await;

    let again = Store::open(&url(&dir)).await.unwrap();
    let sites = list_sites(again.pool()).await.unwrap();
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
    let a = upsert_site(store.pool(), "https://t.example.com", "hr", None)
        .await
        .unwrap();
    let b = upsert_site(store.pool(), "https://t.example.com", "hr", Some("luid-1"))
        .await
        .unwrap();
    let c = upsert_site(store.pool(), "https://t.example.com", "hr", None)
        .await
        .unwrap();
    assert_eq!((a, a), (b, c));
    let site = tabgov_state::find_site(store.pool(), None, "hr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(site.site_luid.as_deref(), Some("luid-1"));
    assert!(
        tabgov_state::find_site(store.pool(), Some("https://other"), "hr")
            .await
            .unwrap()
            .is_none()
    );

    upsert_site(store.pool(), "https://other.example.com", "hr", None)
        .await
        .unwrap();
    let ambiguous = tabgov_state::find_site(store.pool(), None, "hr").await;
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
