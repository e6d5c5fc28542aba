//! Builders and a complete sync, as the sync engine runs it.

use chrono::{DateTime, Utc};
use tabgov_mapping::{diff, Account, GrantLicenseMode, Group, OwnedItem, SiteRole, SiteSnapshot};
use tabgov_state::{ApplySummary, RunId, RunOutcome, RunTraffic, SiteKey, Store};
use tempfile::TempDir;

/// A fresh file store in its own directory (kept alive by the `TempDir`).
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

/// Runs one complete sync of `next` and commits it; returns the run id.
pub async fn sync(
    store: &Store,
    site: SiteKey,
    next: &SiteSnapshot,
    owned: &[OwnedItem],
    now: DateTime<Utc>,
) -> (RunId, ApplySummary) {
    let run = begin_run(store.pool(), site).await.unwrap();
    let mut tx = store.pool().begin().await.unwrap();
    let previous = load_snapshot(&mut tx, site).await.unwrap();
    let changes = diff(&previous, next);
    let summary = apply_sync(&mut tx, site, run, &previous, next, &changes, owned, now)
        .await
        .unwrap();
    let outcome = RunOutcome {
        finished_at: now,
        counts: summary.counts,
        traffic: RunTraffic::default(),
    };
    finish_run(&mut tx, run, &outcome).await.unwrap();
    tx.commit().await.unwrap();
    (run, summary)
}

/// `next` with owned counts taken from `owned`, as the engine builds it.
pub fn with_owned(mut next: SiteSnapshot, owned: &[OwnedItem]) -> SiteSnapshot {
    next.owned = OwnedItem::count_by_owner(owned);
    next
}

pub async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}
