//! `StoreVersion`: a commit on another connection is noticed, the
//! connection's own reads are not.

use tabgov_state::{upsert_site, StoreVersion};

use crate::common::file_store;

#[tokio::test]
async fn only_another_connections_commit_changes_the_version() {
    let (_dir, store) = file_store().await;
    let mut reader = store.pool().acquire().await.unwrap();
    let before = StoreVersion::read(&mut reader).await.unwrap();
    assert_eq!(StoreVersion::read(&mut reader).await.unwrap(), before);

    // The pool hands out another connection while `reader` is held.
    upsert_site(store.pool(), "https://tableau.example.com", "ops", None)
        .await
        .unwrap();
    assert_ne!(StoreVersion::read(&mut reader).await.unwrap(), before);
}
