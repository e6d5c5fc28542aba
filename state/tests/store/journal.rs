use chrono::Utc;
use tabgov_mapping::SiteRole;
use tabgov_state::{
    Closing, Error, JournalAction, JournalFilter, JournalId, JournalState, NewJournalEntry,
    SiteKey, Store, StoreChange,
};

use crate::common::{on_both_engines, site, TestStore};

on_both_engines!(
    an_intent_is_found_open_until_completed_once,
    a_restore_finds_the_last_completed_suspend_only,
    the_journal_filters_by_user_name_or_id_time_and_pages,
);

async fn the_journal_filters_by_user_name_or_id_time_and_pages(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let mut ids = Vec::new();
    for user in ["u-alice", "u-bob", "u-alice"] {
        let mut entry = suspend(s, user, SiteRole::Creator);
        entry.target_user_name = Some(user.trim_start_matches("u-").to_owned());
        ids.push(intent(&store, &entry).await);
    }
    let list = |filter: JournalFilter| {
        let store = &store;
        async move {
            let entries = store.journal_list(&filter).await.unwrap();
            entries.into_iter().map(|e| e.id).collect::<Vec<_>>()
        }
    };
    let by = |user: &str| JournalFilter {
        user: Some(user.to_owned()),
        ..JournalFilter::default()
    };
    assert_eq!(list(by("ALICE")).await, [ids[0], ids[2]], "name, any case");
    assert_eq!(list(by("u-bob")).await, [ids[1]], "LUID");
    let page = |after: Option<JournalId>| JournalFilter {
        after,
        limit: Some(2),
        ..JournalFilter::default()
    };
    assert_eq!(list(page(None)).await, [ids[0], ids[1]]);
    assert_eq!(list(page(Some(ids[1]))).await, [ids[2]]);
    let future = Utc::now() + chrono::Duration::hours(1);
    let until = JournalFilter {
        until: Some(future),
        since: Some(future - chrono::Duration::days(1)),
        ..JournalFilter::default()
    };
    assert_eq!(list(until).await.len(), 3);
    let before = JournalFilter {
        until: Some(future - chrono::Duration::days(1)),
        ..JournalFilter::default()
    };
    assert!(list(before).await.is_empty());
}

fn suspend(site: SiteKey, user: &str, previous: SiteRole) -> NewJournalEntry {
    NewJournalEntry {
        target_user_name: Some("alice".into()),
        actor: Some("hr-feed".into()),
        reason: Some("leaver".into()),
        ticket: Some("HR-42".into()),
        previous_site_role: Some(previous),
        new_site_role: Some(SiteRole::Unlicensed),
        groups_removed: vec!["g-ops".into()],
        ..NewJournalEntry::new(site, JournalAction::Suspend, &user.into(), Utc::now())
    }
}

async fn intent(store: &Store, entry: &NewJournalEntry) -> JournalId {
    store.journal_intent(entry).await.unwrap()
}

/// Ends the intent `id`, an action on `user`, as `state`.
async fn complete(
    store: &Store,
    (site, user): (SiteKey, &str),
    id: JournalId,
    state: JournalState,
) -> Result<(), Error> {
    let closing = Closing {
        state,
        outcome: "done",
        tableau_code: None,
    };
    let change = StoreChange::none();
    store
        .journal_close(site, id, &user.into(), closing, &change)
        .await
}

async fn an_intent_is_found_open_until_completed_once(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let id = intent(&store, &suspend(s, "u-alice", SiteRole::Creator)).await;

    let open = store
        .journal_open_intent(s, &"u-alice".into(), &JournalAction::Suspend)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(open.id, id);
    assert_eq!(open.state, JournalState::Intent);
    assert_eq!(open.intent.groups_removed, ["g-ops"]);
    assert_eq!(open.intent.previous_site_role, Some(SiteRole::Creator));
    assert_eq!(open.intent.ticket.as_deref(), Some("HR-42"));
    let other_action = store
        .journal_open_intent(s, &"u-alice".into(), &JournalAction::Deprovision)
        .await
        .unwrap();
    assert!(other_action.is_none());

    complete(&store, (s, "u-alice"), id, JournalState::Completed)
        .await
        .unwrap();
    let open = store
        .journal_open_intent(s, &"u-alice".into(), &JournalAction::Suspend)
        .await
        .unwrap();
    assert!(open.is_none());
    let again = complete(&store, (s, "u-alice"), id, JournalState::Failed).await;
    assert!(matches!(again, Err(Error::JournalNotOpen { .. })));
    let id2 = intent(&store, &suspend(s, "u-bob", SiteRole::Viewer)).await;
    let to_intent = complete(&store, (s, "u-bob"), id2, JournalState::Intent).await;
    assert!(matches!(to_intent, Err(Error::JournalNotOpen { .. })));

    let entries = store.journal_list(&JournalFilter::default()).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].state, JournalState::Completed);
    assert_eq!(entries[0].outcome.as_deref(), Some("done"));
    assert!(entries[0].completed_at.is_some());
    let json = serde_json::to_value(&entries[0]).unwrap();
    assert_eq!(json["action"], "suspend");
    assert_eq!(json["state"], "completed");
}

async fn a_restore_finds_the_last_completed_suspend_only(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let first = intent(&store, &suspend(s, "u-alice", SiteRole::Creator)).await;
    complete(&store, (s, "u-alice"), first, JournalState::Completed)
        .await
        .unwrap();
    // A repeated suspend of a suspended user is a no-op, and a failed one
    // did nothing: neither may replace the role to restore.
    let noop = suspend(s, "u-alice", SiteRole::Unlicensed);
    let change = StoreChange::none();
    store
        .journal_noop(&noop, "already suspended", &change)
        .await
        .unwrap();
    let failed = intent(&store, &suspend(s, "u-alice", SiteRole::Viewer)).await;
    complete(&store, (s, "u-alice"), failed, JournalState::Failed)
        .await
        .unwrap();
    let dry = NewJournalEntry {
        dry_run: true,
        ..suspend(s, "u-alice", SiteRole::Explorer)
    };
    let dry = intent(&store, &dry).await;
    complete(&store, (s, "u-alice"), dry, JournalState::Completed)
        .await
        .unwrap();
    let open_dry = NewJournalEntry {
        dry_run: true,
        ..suspend(s, "u-alice", SiteRole::Explorer)
    };
    intent(&store, &open_dry).await;

    let last = store
        .journal_last_suspend(s, &"u-alice".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.id, first);
    assert_eq!(last.intent.previous_site_role, Some(SiteRole::Creator));
    let open = store
        .journal_open_intent(s, &"u-alice".into(), &JournalAction::Suspend)
        .await
        .unwrap();
    assert!(open.is_none(), "dry runs are never open intents");
    assert!(store
        .journal_last_suspend(s, &"u-bob".into())
        .await
        .unwrap()
        .is_none());

    let suspends = store
        .journal_list(&JournalFilter {
            user_id: Some("u-alice".into()),
            state: Some(JournalState::Completed),
            ..JournalFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(suspends.len(), 2);
}
