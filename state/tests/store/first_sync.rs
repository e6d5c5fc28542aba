//! A first sync written as it is listed: unreadable until its run
//! succeeds, and cleared when it does not.

use tabgov_mapping::{ContentKind, OwnedItem, SiteRole};
use tabgov_state::{
    AccountFilter, ChangeFilter, RunOutcome, RunStatus, RunTraffic, SiteKey, Store, SyncCounts,
    SyncWriter,
};

use crate::common::{
    abandoned_run_ends_failed, account, at, base, group, lock, on_both_engines, site, sync,
    TestStore,
};

on_both_engines!(
    parts_of_a_first_sync_are_unread_until_its_run_succeeds,
    clearing_removes_an_unfinished_first_sync_and_spares_a_published_site,
    an_abandoned_first_sync_is_unread_and_cleared_by_the_next,
);

const TABLES: [&str; 5] = [
    "accounts",
    "groups",
    "memberships",
    "owned_content",
    "change_events",
];

/// Writes two accounts, a group, a membership and an item of an unpublished
/// site, each part in its own transaction as the sync engine does.
async fn write_parts(writer: &mut SyncWriter) {
    assert!(writer.is_first());
    let alice = account("u-alice", "alice", SiteRole::Creator);
    let bob = account("u-bob", "bob", SiteRole::Viewer);
    let sales = group("g-sales", "Sales");
    let item = OwnedItem {
        id: "wb-1".into(),
        kind: ContentKind::Workbook,
        name: Some("Pipeline".into()),
        owner_id: "u-alice".into(),
    };
    let now = at("2026-03-01T00:00:00Z");
    writer
        .write_joined_accounts(&[&alice, &bob], now)
        .await
        .unwrap();
    writer.write_groups(&[&sales]).await.unwrap();
    writer
        .write_memberships(&[("g-sales", "u-bob")])
        .await
        .unwrap();
    writer.write_owned_items(&[&item]).await.unwrap();
}

async fn rows(store: &Store, site: SiteKey) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE site_id = {site}");
        counts.push(store.scalar_for_test(&sql).await);
    }
    counts
}

async fn readable(store: &Store, site: SiteKey) -> (usize, usize, usize) {
    let accounts = store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap();
    let groups = store.list_groups(site).await.unwrap();
    let events = store.list_changes(&ChangeFilter::default()).await.unwrap();
    (accounts.len(), groups.len(), events.len())
}

async fn parts_of_a_first_sync_are_unread_until_its_run_succeeds(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let lock = lock(&store, s).await;
    let mut writer = store.begin_sync(&lock).await.unwrap();
    write_parts(&mut writer).await;
    assert_eq!(rows(&store, s).await, [2, 1, 1, 1, 2]);
    assert_eq!(readable(&store, s).await, (0, 0, 0));
    assert!(store.find_site(None, "finance").await.unwrap().is_some());

    let outcome = RunOutcome {
        finished_at: at("2026-03-01T00:00:05Z"),
        counts: SyncCounts::default(),
        traffic: RunTraffic::default(),
    };
    writer.finish(&outcome).await.unwrap();
    assert_eq!(readable(&store, s).await, (2, 1, 2));
    let alice = &store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap()[0];
    assert_eq!(
        (alice.account.name.as_str(), alice.owned.total()),
        ("alice", 1)
    );
    assert_eq!(alice.groups, Vec::<String>::new());
    assert_eq!(alice.first_seen, at("2026-03-01T00:00:00Z"));
    let runs = store.list_runs(Some(s)).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Succeeded);
}

async fn clearing_removes_an_unfinished_first_sync_and_spares_a_published_site(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let held = lock(&store, s).await;
    let mut writer = store.begin_sync(&held).await.unwrap();
    write_parts(&mut writer).await;
    assert_eq!(writer.clear_unpublished().await.unwrap(), 7);
    assert_eq!(rows(&store, s).await, [0, 0, 0, 0, 0]);
    let traffic = RunTraffic::default();
    writer
        .fail(RunStatus::Failed, "listing failed", traffic)
        .await
        .unwrap();
    drop(held);

    sync(&store, s, &base(), &[], at("2026-03-02T00:00:00Z")).await;
    let before = rows(&store, s).await;
    let held = lock(&store, s).await;
    let mut writer = store.begin_sync(&held).await.unwrap();
    assert!(!writer.is_first());
    assert_eq!(writer.clear_unpublished().await.unwrap(), 0);
    assert_eq!(rows(&store, s).await, before);
    // A failed re-sync leaves the published rows too.
    writer
        .fail(RunStatus::Failed, "listing failed", traffic)
        .await
        .unwrap();
    assert_eq!(rows(&store, s).await, before);
}

/// A writer dropped unfinished (an error that skipped its ending, a
/// cancelled task) fails its run and removes what it wrote, on its own.
async fn an_abandoned_first_sync_is_unread_and_cleared_by_the_next(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let held = lock(&store, s).await;
    let mut writer = store.begin_sync(&held).await.unwrap();
    let run = writer.run_id();
    write_parts(&mut writer).await;
    drop(writer);
    drop(held);

    abandoned_run_ends_failed(&store, run).await;
    // Its rows stay, unpublished and unread: the run may have been ended
    // after another sync of the site took the lock, whose rows these could
    // be by then.
    assert_ne!(rows(&store, s).await, [0, 0, 0, 0, 0]);
    assert!(store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap()
        .is_empty());

    // The next first sync clears them, starts clean and publishes.
    let (_, summary) = sync(&store, s, &base(), &[], at("2026-03-02T00:00:00Z")).await;
    assert_eq!(summary.counts.joined, 3);
    assert_eq!(readable(&store, s).await, (3, 2, 3));
}
