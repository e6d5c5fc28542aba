//! The test fixture (a fresh store on either engine), builders, and a
//! complete sync as the sync engine runs it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tabgov_mapping::{diff, Account, GrantLicenseMode, Group, OwnedItem, SiteRole, SiteSnapshot};
use tabgov_state::{
    ApplySummary, Difference, Error, HeldSiteLock, RunId, RunStatus, RunTraffic, SiteKey, Store,
};
use tempfile::TempDir;

/// The engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A new, migrated store of a test.
pub struct TestStore {
    pub store: Store,
    /// The URL it was opened from.
    pub url: String,
    /// SQLite only: the directory holding the file, removed on drop.
    pub _dir: Option<TempDir>,
}

/// A new store on `engine`, or `None` (the test is skipped, as
/// [`tabgov_state::testing::fresh_postgres_url`] says) when no PostgreSQL
/// server was given.
pub async fn fresh_store(engine: Engine, test: &str) -> Option<TestStore> {
    let (url, dir) = match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            (url(&dir), Some(dir))
        }
        Engine::Postgres => (tabgov_state::testing::fresh_postgres_url(test).await?, None),
    };
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("{test}: the new store opens: {e}"));
    Some(TestStore {
        store,
        url,
        _dir: dir,
    })
}

/// Instantiates each named `async fn name(t: TestStore)` once per engine:
/// `name::sqlite` and `name::postgres` (skipped without a server).
macro_rules! on_both_engines {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            use $crate::common::{fresh_store, Engine};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test = concat!(module_path!(), "::sqlite");
                if let Some(t) = fresh_store(Engine::Sqlite, test).await {
                    super::$name(t).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let test = concat!(module_path!(), "::postgres");
                if let Some(t) = fresh_store(Engine::Postgres, test).await {
                    super::$name(t).await;
                }
            }
        }
    )+};
}
pub(crate) use on_both_engines;

/// A fresh file store in its own directory (kept alive by the `TempDir`),
/// for tests of what only SQLite does.
pub async fn file_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&url(&dir)).await.unwrap();
    (dir, store)
}

pub fn url(dir: &TempDir) -> String {
    format!("sqlite://{}", dir.path().join("tabgov.db").display())
}

pub async fn site(store: &Store) -> SiteKey {
    store
        .upsert_site("https://tableau.example.com", "finance", Some("site-luid"))
        .await
        .unwrap()
}

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn account(id: &str, name: &str, role: SiteRole) -> Account {
    Account {
        email: Some(format!("{name}@Example.com")),
        full_name: Some(format!("{name} Example")),
        last_login: Some(at("2026-01-10T08:00:00Z")),
        auth_setting: Some("ServerDefault".into()),
        domain: Some("local".into()),
        ..Account::for_test(id, name, role)
    }
}

pub fn group(id: &str, name: &str) -> Group {
    Group {
        id: id.into(),
        name: name.into(),
        domain: Some("local".into()),
        minimum_site_role: None,
        grant_license_mode: None,
    }
}

/// alice (Creator) and bob (Viewer) in Sales; carol (Explorer) in Ops,
/// which grants Explorer on sign-in.
pub fn base() -> SiteSnapshot {
    let mut s = SiteSnapshot::default();
    s.insert_account(account("u-alice", "alice", SiteRole::Creator));
    s.insert_account(account("u-bob", "bob", SiteRole::Viewer));
    s.insert_account(account("u-carol", "carol", SiteRole::Explorer));
    s.insert_group(group("g-sales", "Sales"));
    s.insert_group(Group {
        minimum_site_role: Some(SiteRole::Explorer),
        grant_license_mode: Some(GrantLicenseMode::OnLogin),
        ..group("g-ops", "Ops")
    });
    s.add_membership("u-alice", "g-sales");
    s.add_membership("u-bob", "g-sales");
    s.add_membership("u-carol", "g-ops");
    s
}

/// Takes the site's lock, waiting briefly: another test of this binary that
/// spawns a child process may hold a copy of a just-closed lock file's
/// descriptor between its fork and exec.
pub async fn lock(store: &Store, site: SiteKey) -> HeldSiteLock {
    for _ in 0..50 {
        match HeldSiteLock::acquire(store, site).await {
            Err(Error::SiteInUse { .. }) => tokio::time::sleep(Duration::from_millis(20)).await,
            taken => return taken.unwrap(),
        }
    }
    HeldSiteLock::acquire(store, site).await.unwrap()
}

/// Runs one complete sync of `next` through the store's writer, as the
/// sync engine does; returns the run id and what was written.
pub async fn sync(
    store: &Store,
    site: SiteKey,
    next: &SiteSnapshot,
    owned: &[OwnedItem],
    now: DateTime<Utc>,
) -> (RunId, ApplySummary) {
    let lock = lock(store, site).await;
    let mut writer = store.begin_sync(&lock).await.unwrap();
    let run = writer.run_id();
    if writer.is_first() {
        // As the sync engine does: rows an abandoned first sync left go.
        writer.clear_unpublished().await.unwrap();
    }
    let previous = writer.load_snapshot().await.unwrap();
    let changes = diff(&previous, next);
    let difference = Difference {
        previous: &previous,
        next,
        changes: &changes,
        owned,
    };
    let summary = writer
        .publish_difference(difference, RunTraffic::default(), now)
        .await
        .unwrap();
    (run, summary)
}

/// The stored snapshot of a published site, read as a re-sync reads it;
/// the run this takes is then refused, writing nothing.
pub async fn stored_snapshot(store: &Store, site: SiteKey) -> SiteSnapshot {
    let lock = lock(store, site).await;
    let mut writer = store.begin_sync(&lock).await.unwrap();
    assert!(!writer.is_first(), "only a published site has a snapshot");
    let snapshot = writer.load_snapshot().await.unwrap();
    let traffic = RunTraffic::default();
    writer
        .fail(RunStatus::Refused, "read by a test", traffic)
        .await
        .unwrap();
    snapshot
}

/// `next` with owned counts taken from `owned`, as the engine builds it.
pub fn with_owned(mut next: SiteSnapshot, owned: &[OwnedItem]) -> SiteSnapshot {
    next.owned = OwnedItem::count_by_owner(owned);
    next
}

/// Waits (up to 5 s) for the run of a dropped, unfinished `SyncWriter` to be
/// ended by its own task, and checks it ended as failed, saying why.
pub async fn abandoned_run_ends_failed(store: &Store, run: RunId) {
    let mut status = RunStatus::Running;
    for _ in 0..250 {
        status = store.run(run).await.unwrap().unwrap().status;
        if status != RunStatus::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status, RunStatus::Failed);
    let record = store.run(run).await.unwrap().unwrap();
    assert_eq!(
        record.error.as_deref(),
        Some("the sync stopped before it finished")
    );
}
