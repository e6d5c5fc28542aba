//! The site lock: file locks next to a SQLite store, in-process locks for
//! an in-memory one, advisory locks on PostgreSQL. A holder killed with
//! SIGKILL never blocks the next sync.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tabgov_state::{Error, HeldSiteLock, Result, SiteKey, Store};

use crate::common::{file_store, fresh_store, url, Engine};

const CHILD_DB: &str = "TABGOV_TEST_LOCK_CHILD_DB";

/// Takes the lock, retrying for up to `secs` while it is in use: a file
/// lock closed here may live on for a moment in a child process another
/// test forks, and a server ends a dropped connection's session (and its
/// advisory locks) a moment after the socket closes.
async fn acquire_within(store: &Store, site: SiteKey, secs: u64) -> Result<HeldSiteLock> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        match HeldSiteLock::acquire(store, site).await {
            Err(Error::SiteInUse { .. }) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => return other,
        }
    }
}

/// Whether `holder`, as a lock reports it, names the process `pid`
/// (PostgreSQL adds the host after the id).
fn names_process(holder: Option<&str>, pid: u32) -> bool {
    let first = holder.and_then(|h| h.split_whitespace().next());
    first == Some(pid.to_string().as_str())
}

/// Two takers of one site: the second fails at once, naming this process;
/// another site is free; the first letting go frees the site.
async fn second_taker_fails_fast_until_the_first_lets_go(store: &Store) {
    let first = HeldSiteLock::acquire(store, SiteKey(1)).await.unwrap();
    match HeldSiteLock::acquire(store, SiteKey(1)).await {
        Err(Error::SiteInUse { site, holder }) => {
            assert_eq!(site, SiteKey(1));
            assert!(
                names_process(holder.as_deref(), std::process::id()),
                "{holder:?}"
            );
        }
        other => panic!("expected SiteInUse, got {other:?}"),
    }
    let other_site = HeldSiteLock::acquire(store, SiteKey(2)).await.unwrap();
    drop(first);
    let again = acquire_within(store, SiteKey(1), 2).await.unwrap();
    assert_eq!((again.site(), other_site.site()), (SiteKey(1), SiteKey(2)));
}

#[tokio::test]
async fn a_second_sync_of_a_site_fails_fast_until_the_first_lets_go() {
    let (_dir, store) = file_store().await;
    second_taker_fails_fast_until_the_first_lets_go(&store).await;
}

#[tokio::test]
async fn a_second_sync_of_a_postgres_site_fails_fast_until_the_first_lets_go() {
    let test = "lock::a_second_sync_of_a_postgres_site_fails_fast_until_the_first_lets_go";
    let Some(t) = fresh_store(Engine::Postgres, test).await else {
        return;
    };
    second_taker_fails_fast_until_the_first_lets_go(&t.store).await;
}

#[tokio::test]
async fn in_memory_stores_lock_within_the_process() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let other = Store::open("sqlite::memory:").await.unwrap();
    let first = HeldSiteLock::acquire(&store, SiteKey(7)).await.unwrap();
    assert!(matches!(
        HeldSiteLock::acquire(&store, SiteKey(7)).await,
        Err(Error::SiteInUse {
            site: SiteKey(7),
            ..
        })
    ));
    let _separate_db = HeldSiteLock::acquire(&other, SiteKey(7)).await.unwrap();
    drop(first);
    HeldSiteLock::acquire(&store, SiteKey(7)).await.unwrap();
}

/// Not a test of its own: the holder process of the SIGKILL tests below.
#[tokio::test]
#[ignore = "child process of the tests of a killed holder"]
async fn child_holds_lock() {
    let Ok(url) = std::env::var(CHILD_DB) else {
        return;
    };
    let store = Store::open(&url).await.unwrap();
    let _lock = HeldSiteLock::acquire(&store, SiteKey(1)).await.unwrap();
    println!("locked");
    tokio::time::sleep(Duration::from_secs(120)).await;
}

/// Starts this test binary as a process holding site 1 of the store at
/// `url`, and waits until it holds it.
fn spawn_holder(url: &str) -> Child {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "lock::child_holds_lock",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_DB, url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let locked = stdout
        .lines()
        .map_while(std::io::Result::ok)
        .any(|line| line.trim() == "locked");
    assert!(locked, "the child never took the lock");
    child
}

/// The child holds the site; once it is killed (SIGKILL: no destructor
/// runs in it) the site can be taken.
async fn a_killed_holder_frees_the_site(store: &Store, url: &str) {
    let mut child = spawn_holder(url);
    match HeldSiteLock::acquire(store, SiteKey(1)).await {
        Err(Error::SiteInUse { holder, .. }) => {
            assert!(names_process(holder.as_deref(), child.id()), "{holder:?}");
        }
        other => panic!("expected SiteInUse, got {other:?}"),
    }
    child.kill().unwrap();
    child.wait().unwrap();
    acquire_within(store, SiteKey(1), 5).await.unwrap();
}

#[tokio::test]
async fn a_killed_holder_does_not_block_the_next_sync() {
    let (dir, store) = file_store().await;
    a_killed_holder_frees_the_site(&store, &url(&dir)).await;
}

#[tokio::test]
async fn a_killed_postgres_holder_does_not_block_the_next_sync() {
    let test = "lock::a_killed_postgres_holder_does_not_block_the_next_sync";
    let Some(t) = fresh_store(Engine::Postgres, test).await else {
        return;
    };
    a_killed_holder_frees_the_site(&t.store, &t.url).await;
}
