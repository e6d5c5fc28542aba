//! A first sync written as it is listed: unreadable until its run
//! succeeds, and cleared when it does not.

use tabgov_mapping::{ContentKind, OwnedItem, SiteRole};
use tabgov_state::{
    AccountFilter, ChangeFilter, RunId, RunOutcome, RunTraffic, SiteKey, Store, SyncCounts,
};

use crate::common::{account, at, base, count, file_store, group, site, sync};

const TABLES: [&str; 5] = [
    "accounts",
    "groups",
    "memberships",
    "owned_content",
    "change_events",
];

/// Writes two accounts, a group, a membership and an item of an unpublished
/// site, each part in its own transaction as the sync engine does.
async fn write_parts(store: &Store, site: SiteKey, run: RunId) {
    let alice = account("u-alice", "alice", SiteRole::Creator);
    let bob = account("u-bob", "bob", SiteRole::Viewer);
    let sales = group("g-sales", "Sales");
    let item = OwnedItem {
        id: "wb-1".into(),
        kind: ContentKind::Workbook,
        name: Some("Pipeline".into()),
        owner_id: "u-alice".into(),
    };
    let mut tx = store.pool().begin().await.unwrap();
    write_joined_accounts(
        &mut tx,
        site,
        run,
        &[&alice, &bob],
        at("2026-03-01T00:00:00Z"),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.pool().begin().await.unwrap();
    write_groups(&mut tx, site, run, &[&sales]).await.unwrap();
    write_memberships(&mut tx, site, &[("g-sales", "u-bob")])
        .await
        .unwrap();
    write_owned_items(&mut tx, site, &[&item]).await.unwrap();
    tx.commit().await.unwrap();
}

async fn rows(store: &Store, site: SiteKey) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(
            count(
                store,
                &format!("SELECT COUNT(*) FROM {table} WHERE site_id = {site}"),
            )
            .await,
        );
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

#[tokio::test]
async fn parts_of_a_first_sync_are_unread_until_its_run_succeeds() {
    let (_dir, store) = file_store().await;
    let s = site(&store).await;
    let run = begin_run(store.pool(), s).await.unwrap();
    write_parts(&store, s, run).await;
    assert_eq!(rows(&store, s).await, [2, 1, 1, 1, 2]);
    assert_eq!(readable(&store, s).await, (0, 0, 0));
    let mut conn = store.pool().acquire().await.unwrap();
    assert!(!is_published(&mut conn, s).await.unwrap());
    drop(conn);

    let mut tx = store.pool().begin().await.unwrap();
    let outcome = RunOutcome {
        finished_at: at("2026-03-01T00:00:05Z"),
        counts: SyncCounts::default(),
        traffic: RunTraffic::default(),
    };
    finish_run(&mut tx, run, &outcome).await.unwrap();
    tx.commit().await.unwrap();
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
}

#[tokio::test]
async fn clearing_removes_an_unfinished_first_sync_and_spares_a_published_site() {
    let (_dir, store) = file_store().await;
    let s = site(&store).await;
    let run = begin_run(store.pool(), s).await.unwrap();
    write_parts(&store, s, run).await;
    let mut tx = store.pool().begin().await.unwrap();
    assert_eq!(clear_unpublished(&mut tx, s).await.unwrap(), 7);
    tx.commit().await.unwrap();
    assert_eq!(rows(&store, s).await, [0, 0, 0, 0, 0]);

    sync(&store, s, &base(), &[], at("2026-03-02T00:00:00Z")).await;
    let before = rows(&store, s).await;
    let mut tx = store.pool().begin().await.unwrap();
    assert_eq!(clear_unpublished(&mut tx, s).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(rows(&store, s).await, before);
}
