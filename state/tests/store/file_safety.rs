//! What the store does to files: owner-only modes, and a store from a newer
//! tabgov refused without being touched.

use std::os::unix::fs::PermissionsExt;

use tabgov_state::{Error, HeldSiteLock, Store};

use crate::common::{file_store, url};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_store_its_wal_files_and_its_locks_are_owner_only() {
    let (dir, store) = file_store().await;
    let site = store
        .upsert_site("https://t.example.com", "", None)
        .await
        .unwrap();
    let _lock = HeldSiteLock::acquire(&store, site).await.unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        checked += 1;
    }
    // tabgov.db, -wal, -shm, .open.lock and the sync lock.
    assert!(checked >= 5, "{checked} files");
    store.close().await;
}

#[tokio::test]
async fn a_store_from_a_newer_tabgov_is_refused_and_left_unchanged() {
    let (dir, store) = file_store().await;
    store
        .upsert_site("https://t.example.com", "", None)
        .await
        .unwrap();
    store
        .execute_for_test(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (999999, 'from the future', 1, x'00', 1)",
        )
        .await;
    store
        .execute_for_test("PRAGMA wal_checkpoint(TRUNCATE)")
        .await;
    store.close().await;
    let file = dir.path().join("tabgov.db");
    let before = std::fs::read(&file).unwrap();

    for opened in [
        Store::open(&url(&dir)).await,
        Store::open_for_reading(&url(&dir)).await,
    ] {
        let err = opened.unwrap_err();
        assert!(
            matches!(
                err,
                Error::NewerStore {
                    version: 999999,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("upgrade tabgov"), "{err}");
    }
    assert!(std::fs::read(&file).unwrap() == before, "not altered");
}

#[tokio::test]
async fn lock_files_of_a_group_shared_store_are_group_shared_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tabgov.db");
    // A store its owner shares with a group on purpose, made before any lock.
    std::fs::write(&file, b"").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o660)).unwrap();
    let store = Store::open(&url(&dir)).await.unwrap();
    let site = store
        .upsert_site("https://t.example.com", "", None)
        .await
        .unwrap();
    let _lock = HeldSiteLock::acquire(&store, site).await.unwrap();
    let mut locks = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "lock") {
            assert_eq!(mode(&path), 0o660, "{}", path.display());
            locks += 1;
        }
    }
    assert_eq!(locks, 2, ".open.lock and the sync lock");
    store.close().await;
}
