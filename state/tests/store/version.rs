//! `StoreVersion`: a commit on another connection is noticed, the
//! connection's own reads are not.

use crate::common::file_store;

#[tokio::test]
async fn only_another_connections_commit_changes_the_version() {
    let (_dir, store) = file_store().await;
    let mut reader = store.pool().acquire().await.unwrap();
    let before = StoreVersion::read(&mut reader).await.unwrap();
    assert_eq!(StoreVersion::read(&mut reader).await.unwrap(), before);

    // The pool hands out another connection while `reader` is held.
    store
        .upsert_site("https://tableau.example.com", "ops", None)
        .await
        .unwrap();
    assert_ne!(StoreVersion::read(&mut reader).await.unwrap(), before);
}

#[tokio::test]
async fn a_write_transaction_that_reads_first_is_not_overtaken() {
    let (_dir, store) = file_store().await;
    let mut conn = store.pool().acquire().await.unwrap();
    let mut tx = begin_write(&mut conn).await.unwrap();
    let sites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    // Another writer now has to wait for this transaction, not overtake it
    // (which would make the write below fail with "database is locked").
    let pool = store.pool().clone();
    let other = tokio::spawn(async move {
        upsert_site(&pool, "https://tableau.example.com", "ops", None).await
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    sqlx::query("INSERT INTO sites (server, content_url, created_at) VALUES ('s', 'c', 'now')")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    other.await.unwrap().unwrap();
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(after, sites + 2);
}
