//! The change feed read as a cursor: a poller paging by the last id it saw
//! gets every event once, whatever order the writers committed in.

use std::time::Duration;

use tabgov_mapping::{Change, SiteRole, SiteSnapshot};
use tabgov_state::{ChangeFilter, RunOutcome, RunTraffic, SiteKey, Store, SyncCounts};

use crate::common::{
    account, at, base, fresh_store, group, lock, on_both_engines, site, sync, Engine, TestStore,
};

on_both_engines!(
    pages_of_three_return_every_event_once,
    a_first_sync_published_after_other_events_is_not_skipped,
);

async fn other_site(store: &Store) -> SiteKey {
    store
        .upsert_site("https://tableau.example.com", "ops", None)
        .await
        .unwrap()
}

/// Pages through the feed `size` events at a time; returns the ids.
async fn page_all(store: &Store, after: Option<i64>, size: u32, site: Option<SiteKey>) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut last = after;
    loop {
        let page = store.changes_after(last, size, site).await.unwrap();
        assert!(page.len() <= size as usize);
        let Some(tail) = page.last() else {
            return ids;
        };
        last = Some(tail.id);
        ids.extend(page.iter().map(|e| e.id));
    }
}

/// A second snapshot of `base()` that differs in several ways.
fn changed() -> SiteSnapshot {
    let mut next = base();
    next.accounts.remove("u-carol");
    next.insert_account(account("u-dave", "dave", SiteRole::Viewer));
    next.insert_account(account("u-alice", "alice", SiteRole::Viewer));
    next.insert_group(group("g-new", "New"));
    next.add_membership("u-dave", "g-new");
    next
}

async fn pages_of_three_return_every_event_once(t: TestStore) {
    let store = t.store;
    let (a, b) = (site(&store).await, other_site(&store).await);
    sync(&store, a, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    sync(&store, b, &base(), &[], at("2026-02-01T00:01:00Z")).await;
    sync(&store, a, &changed(), &[], at("2026-02-02T00:00:00Z")).await;
    sync(&store, b, &changed(), &[], at("2026-02-02T00:01:00Z")).await;

    let all: Vec<i64> = store
        .list_changes(&ChangeFilter::default())
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert!(all.len() > 10, "{all:?}");
    assert_eq!(page_all(&store, None, 3, None).await, all);
    let of_b: Vec<i64> = store
        .list_changes(&ChangeFilter {
            site: Some(b),
            ..ChangeFilter::default()
        })
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(page_all(&store, None, 3, Some(b)).await, of_b);
    // From the middle: what comes after, and nothing after the end.
    assert_eq!(page_all(&store, Some(all[4]), 3, None).await, all[5..]);
    let end = store.changes_after(all.last().copied(), 3, None).await;
    assert!(end.unwrap().is_empty());
}

async fn a_first_sync_published_after_other_events_is_not_skipped(t: TestStore) {
    let store = t.store;
    let (a, b) = (site(&store).await, other_site(&store).await);
    sync(&store, a, &base(), &[], at("2026-02-01T00:00:00Z")).await;

    // b's first sync writes its accounts (and their events) unpublished...
    let b_lock = lock(&store, b).await;
    let mut writer = store.begin_sync(&b_lock).await.unwrap();
    assert!(writer.is_first());
    let newcomers = [
        account("u-erin", "erin", SiteRole::Viewer),
        account("u-finn", "finn", SiteRole::Creator),
    ];
    let listed: Vec<_> = newcomers.iter().collect();
    writer
        .write_joined_accounts(&listed, at("2026-02-02T00:00:00Z"))
        .await
        .unwrap();

    // ...while a re-sync of a publishes events a poller reads.
    sync(&store, a, &changed(), &[], at("2026-02-02T00:01:00Z")).await;
    let seen = page_all(&store, None, 3, None).await;
    let last = *seen.last().unwrap();

    let outcome = RunOutcome {
        finished_at: at("2026-02-02T00:02:00Z"),
        counts: SyncCounts::default(),
        traffic: RunTraffic::default(),
    };
    writer.finish(&outcome).await.unwrap();
    drop(b_lock);

    let next = store.changes_after(Some(last), 10, None).await.unwrap();
    let names: Vec<_> = next
        .iter()
        .map(|e| (e.user_name.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(names, [("erin", "joined"), ("finn", "joined")]);
    let all = store.list_changes(&ChangeFilter::default()).await.unwrap();
    assert_eq!(all.len(), seen.len() + 2);
    // A new event still comes after them.
    sync(&store, b, &base(), &[], at("2026-02-03T00:00:00Z")).await;
    let newest = store
        .changes_after(Some(next[1].id), 100, None)
        .await
        .unwrap();
    assert!(!newest.is_empty());
}

/// While one transaction that added an event is open, another writer of
/// the feed waits: nothing with a larger id can become visible before it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_feed_writer_holds_back_the_next_on_postgres() {
    let test = "feed::an_open_feed_writer_holds_back_the_next_on_postgres";
    let Some(t) = fresh_store(Engine::Postgres, test).await else {
        return;
    };
    let store = t.store;
    let (a, b) = (site(&store).await, other_site(&store).await);
    let (run_a, _) = sync(&store, a, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    sync(&store, b, &base(), &[], at("2026-02-01T00:01:00Z")).await;
    let before = page_all(&store, None, 100, None).await;
    let last = *before.last().unwrap();

    let late = account("u-late", "late", SiteRole::Viewer);
    let open = store
        .open_feed_writer_for_test(a, run_a, &Change::joined(&late))
        .await
        .unwrap();
    let resync = tokio::spawn({
        let store = store.clone();
        async move { sync(&store, b, &changed(), &[], at("2026-02-02T00:00:00Z")).await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !resync.is_finished(),
        "the second writer waits for the first"
    );
    assert!(store
        .changes_after(Some(last), 100, None)
        .await
        .unwrap()
        .is_empty());

    open.commit().await;
    resync.await.unwrap();
    let after = store.changes_after(Some(last), 100, None).await.unwrap();
    assert_eq!(
        after[0].user_name, "late",
        "the open writer's event comes first"
    );
    assert!(after.len() > 1);
    assert!(after.windows(2).all(|w| w[0].id < w[1].id));
}
