//! Sync runs that do not succeed: failed, refused, abandoned, or left
//! running by a process that died. None changes the published snapshot.

use tabgov_mapping::{diff, SiteSnapshot};
use tabgov_state::{AccountFilter, Difference, Error, RunStatus, RunTraffic};

use crate::common::{
    abandoned_run_ends_failed, at, base, lock, on_both_engines, site, stored_snapshot, sync,
    TestStore,
};

on_both_engines!(
    a_failed_run_changes_nothing_but_its_own_record,
    an_abandoned_resync_writes_nothing_and_records_its_run_as_failed,
    a_run_left_running_is_interrupted_by_the_next_and_cannot_publish,
    the_latest_runs_are_the_newest_and_the_newest_success,
);

async fn the_latest_runs_are_the_newest_and_the_newest_success(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    assert_eq!(store.latest_runs(s).await.unwrap(), Default::default());
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    let held = lock(&store, s).await;
    let writer = store.begin_sync(&held).await.unwrap();
    let failed = writer.run_id();
    writer
        .fail(RunStatus::Failed, "HTTP 500", RunTraffic::default())
        .await
        .unwrap();

    let latest = store.latest_runs(s).await.unwrap();
    assert_eq!(latest.last.map(|r| r.id), Some(failed));
    let success = latest.last_success.unwrap();
    assert_eq!(success.status, RunStatus::Succeeded);
    assert!(success.id < failed);
}

async fn a_failed_run_changes_nothing_but_its_own_record(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    let before_site = store.site(s).await.unwrap().unwrap();
    let before = store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap();

    let held = lock(&store, s).await;
    let writer = store.begin_sync(&held).await.unwrap();
    let traffic = RunTraffic {
        pages: 2,
        requests: 9,
        retries: 6,
    };
    let failure = "page 3 of users: HTTP 500";
    writer
        .fail(RunStatus::Failed, failure, traffic)
        .await
        .unwrap();

    assert_eq!(store.site(s).await.unwrap().unwrap(), before_site);
    let after = store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap();
    assert_eq!(after, before);
    let runs = store.list_runs(Some(s)).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Failed);
    assert_eq!(runs[0].error.as_deref(), Some(failure));
    assert!(runs[0].finished_at.is_some());
    assert_eq!(
        (
            runs[0].traffic.pages,
            runs[0].traffic.requests,
            runs[0].traffic.retries
        ),
        (2, 9, 6),
        "a failed run keeps the traffic it caused"
    );

    // Success is recorded only by publishing; the run is left running, and
    // the next sync of the site marks it interrupted.
    let writer = store.begin_sync(&held).await.unwrap();
    let wrong_run = writer.run_id();
    let wrong = writer
        .fail(RunStatus::Succeeded, "no", RunTraffic::default())
        .await;
    assert!(matches!(wrong, Err(Error::InvalidRunEnd(_))), "{wrong:?}");
    let writer = store.begin_sync(&held).await.unwrap();
    writer
        .fail(
            RunStatus::Refused,
            "12 of 40 would vanish",
            RunTraffic::default(),
        )
        .await
        .unwrap();
    let runs = store.list_runs(Some(s)).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Refused);
    assert_eq!(
        (runs[1].id, runs[1].status),
        (wrong_run, RunStatus::Interrupted)
    );
    assert_eq!(store.site(s).await.unwrap().unwrap(), before_site);
}

/// A re-sync dropped after reading the snapshot (an error that skipped its
/// ending, a cancelled task): its run ends as failed on a task of its own,
/// and the published snapshot and feed stay as they were.
async fn an_abandoned_resync_writes_nothing_and_records_its_run_as_failed(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;

    let held = lock(&store, s).await;
    let mut writer = store.begin_sync(&held).await.unwrap();
    let run = writer.run_id();
    let previous = writer.load_snapshot().await.unwrap();
    assert_eq!(previous, base());
    drop(writer);
    drop(held);

    abandoned_run_ends_failed(&store, run).await;
    assert_eq!(stored_snapshot(&store, s).await, base());
    let events = store
        .scalar_for_test("SELECT COUNT(*) FROM change_events")
        .await;
    assert_eq!(events, 3);
}

/// A process that died mid-sync leaves its run `running` (no destructor
/// ran) and its lock released. The next sync marks that run interrupted;
/// a writer of the dead run, were one still alive, could not publish.
async fn a_run_left_running_is_interrupted_by_the_next_and_cannot_publish(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;

    let held = lock(&store, s).await;
    let mut stale = store.begin_sync(&held).await.unwrap();
    let stale_run = stale.run_id();
    let previous = stale.load_snapshot().await.unwrap();
    drop(held);

    let held = lock(&store, s).await;
    let next = store.begin_sync(&held).await.unwrap();
    let runs = store.list_runs(Some(s)).await.unwrap();
    assert_eq!(
        (runs[0].id, runs[0].status),
        (next.run_id(), RunStatus::Running)
    );
    assert_eq!(
        (runs[1].id, runs[1].status),
        (stale_run, RunStatus::Interrupted)
    );
    assert!(runs[1].finished_at.is_some());

    // Everyone left: the stale writer's difference is refused whole.
    let empty = SiteSnapshot::default();
    let changes = diff(&previous, &empty);
    let difference = Difference {
        previous: &previous,
        next: &empty,
        changes: &changes,
        owned: &[],
    };
    let late = stale
        .publish_difference(
            difference,
            RunTraffic::default(),
            at("2026-02-02T00:00:00Z"),
        )
        .await;
    assert!(
        matches!(
            late,
            Err(Error::RunNotRunning {
                status: Some(RunStatus::Interrupted),
                ..
            })
        ),
        "{late:?}"
    );
    let traffic = RunTraffic::default();
    next.fail(RunStatus::Refused, "test", traffic)
        .await
        .unwrap();
    drop(held);
    assert_eq!(stored_snapshot(&store, s).await, base());
    let events = store
        .scalar_for_test("SELECT COUNT(*) FROM change_events")
        .await;
    assert_eq!(events, 3);
    let runs = store.list_runs(Some(s)).await.unwrap();
    assert_eq!(runs[2].status, RunStatus::Interrupted, "still interrupted");
}

/// A status the store does not know (a hand edit; SQLite has no CHECK on
/// it) is an error naming the value, not a run with a made-up status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_stored_status_is_an_error_naming_it() {
    let (_dir, store) = crate::common::file_store().await;
    let s = site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    store
        .execute_for_test("UPDATE sync_runs SET status = 'paused'")
        .await;
    let err = store.list_runs(Some(s)).await.unwrap_err();
    assert!(err.to_string().contains("\"paused\""), "{err}");
}
