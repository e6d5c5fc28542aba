use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use tabgov_state::{Error, SiteKey, Store};

use crate::common::file_store;

const CHILD_DB: &str = "TABGOV_TEST_LOCK_CHILD_DB";

#[tokio::test]
async fn a_second_sync_of_a_site_fails_fast_until_the_first_lets_go() {
    let (_dir, store) = file_store().await;
    let first = SiteLockFile::acquire(&store, SiteKey(1)).unwrap();
    match SiteLockFile::acquire(&store, SiteKey(1)) {
        Err(Error::SiteInUse { site, holder }) => {
            assert_eq!(site, SiteKey(1));
            assert_eq!(holder, Some(std::process::id().to_string()));
        }
        other => panic!("expected SiteInUse, got {other:?}"),
    }
    let other_site = SiteLockFile::acquire(&store, SiteKey(2)).unwrap();
    drop(first);
    // Another test of this binary spawning a child process may hold a copy
    // of the closed descriptor (and so the lock) between its fork and exec.
    let mut again = SiteLockFile::acquire(&store, SiteKey(1));
    for _ in 0..50 {
        if again.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        again = SiteLockFile::acquire(&store, SiteKey(1));
    }
    let again = again.unwrap();
    assert_eq!((again.site(), other_site.site()), (SiteKey(1), SiteKey(2)));
}

#[tokio::test]
async fn in_memory_stores_lock_within_the_process() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let other = Store::open("sqlite::memory:").await.unwrap();
    let first = SiteLockFile::acquire(&store, SiteKey(7)).unwrap();
    assert!(matches!(
        SiteLockFile::acquire(&store, SiteKey(7)),
        Err(Error::SiteInUse {
            site: SiteKey(7),
            ..
        })
    ));
    let _separate_db = SiteLockFile::acquire(&other, SiteKey(7)).unwrap();
    drop(first);
    SiteLockFile::acquire(&store, SiteKey(7)).unwrap();
}

/// Not a test of its own: the holder process of the SIGKILL test below.
#[tokio::test]
#[ignore = "child process of a_killed_holder_does_not_block_the_next_sync"]
async fn child_holds_lock() {
    let Ok(url) = std::env::var(CHILD_DB) else {
        return;
    };
    let store = Store::open(&url).await.unwrap();
    let _lock = SiteLockFile::acquire(&store, SiteKey(1)).unwrap();
    println!("locked");
    tokio::time::sleep(std::time::Duration::from_secs(120)).await;
}

#[tokio::test]
async fn a_killed_holder_does_not_block_the_next_sync() {
    let (dir, store) = file_store().await;
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "lock::child_holds_lock",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_DB, crate::common::url(&dir))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let locked = stdout
        .lines()
        .map_while(Result::ok)
        .any(|line| line.trim() == "locked");
    assert!(locked, "the child never took the lock");

    match SiteLockFile::acquire(&store, SiteKey(1)) {
        Err(Error::SiteInUse { holder, .. }) => {
            assert_eq!(holder, Some(child.id().to_string()));
        }
        other => panic!("expected SiteInUse, got {other:?}"),
    }
    child.kill().unwrap(); // SIGKILL: no destructor runs in the child
    child.wait().unwrap();
    SiteLockFile::acquire(&store, SiteKey(1)).unwrap();
}
