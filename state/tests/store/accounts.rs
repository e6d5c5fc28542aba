use tabgov_mapping::{AccountStatus, License, OwnedItem, SiteRole, UserId};
use tabgov_state::{
    AccountFilter, Closing, JournalAction, JournalState, NewJournalEntry, SiteKey, Store,
    StoreChange,
};

use crate::common::{
    account as acct, at, base, on_both_engines, site, stored_snapshot, sync, TestStore,
};

on_both_engines!(
    filters_narrow_by_status_licence_group_and_inactivity,
    records_have_the_documented_json_shape,
    find_accounts_matches_id_name_or_email_case_insensitively,
    actions_show_in_the_store_without_a_resync,
);

fn names(records: &[tabgov_state::AccountRecord]) -> Vec<&str> {
    records.iter().map(|r| r.account.name.as_str()).collect()
}

async fn filters_narrow_by_status_licence_group_and_inactivity(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let mut snap = base();
    snap.accounts.get_mut("u-bob").unwrap().last_login = Some(at("2025-06-01T00:00:00Z"));
    snap.accounts.get_mut("u-carol").unwrap().last_login = None;
    let mut eve = acct("u-eve", "eve", SiteRole::Unlicensed);
    eve.last_login = None;
    snap.insert_account(eve);
    sync(&store, s, &snap, &[], at("2026-01-01T00:00:00Z")).await;
    let mut later = snap.clone();
    later.insert_account(acct("u-zed", "zed", SiteRole::Viewer));
    later.accounts.get_mut("u-zed").unwrap().last_login = None;
    sync(&store, s, &later, &[], at("2026-02-04T00:00:00Z")).await;

    let filter = |f: AccountFilter| {
        let store = store.clone();
        async move { store.list_accounts(&f).await.unwrap() }
    };
    let all = filter(AccountFilter::default()).await;
    assert_eq!(names(&all), ["alice", "bob", "carol", "eve", "zed"]);
    let suspended = filter(AccountFilter {
        status: Some(AccountStatus::Suspended),
        ..AccountFilter::default()
    })
    .await;
    assert_eq!(names(&suspended), ["eve"]);
    let viewers = filter(AccountFilter {
        license: Some(License::Viewer),
        site: Some(s),
        ..AccountFilter::default()
    })
    .await;
    assert_eq!(names(&viewers), ["bob", "zed"]);
    let sales = filter(AccountFilter {
        group: Some("sales".into()),
        ..AccountFilter::default()
    })
    .await;
    assert_eq!(names(&sales), ["alice", "bob"]);
    let everyone = filter(AccountFilter {
        group: Some("All Users".into()),
        ..AccountFilter::default()
    })
    .await;
    assert_eq!(everyone.len(), 5);
    // bob last signed in long ago; carol and eve never did and were first
    // seen 35 days before; zed never did but is new; alice signed in lately.
    let inactive = filter(AccountFilter {
        inactive_days: Some(30),
        now: Some(at("2026-02-05T00:00:00Z")),
        ..AccountFilter::default()
    })
    .await;
    assert_eq!(names(&inactive), ["bob", "carol", "eve"]);
    let none = filter(AccountFilter {
        site: Some(SiteKey(s.get() + 1)),
        ..AccountFilter::default()
    })
    .await;
    assert!(none.is_empty());
}

async fn records_have_the_documented_json_shape(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let owned = [OwnedItem {
        id: "w1".into(),
        kind: tabgov_mapping::ContentKind::Workbook,
        name: None,
        owner_id: "u-alice".into(),
    }];
    let mut snap = base();
    snap.add_membership("u-alice", "g-ops");
    snap.owned = OwnedItem::count_by_owner(&owned);
    sync(&store, s, &snap, &owned, at("2026-02-01T00:00:00Z")).await;

    let alice = store.account(s, &"u-alice".into()).await.unwrap().unwrap();
    let json = serde_json::to_value(&alice).unwrap();
    for key in [
        "site",
        "id",
        "name",
        "email",
        "full_name",
        "site_role",
        "license",
        "status",
        "last_login",
        "groups",
        "owned_content",
        "first_seen",
        "last_seen",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["site"], "finance");
    assert_eq!(json["site_role"], "Creator");
    assert_eq!(json["license"], "Creator");
    assert_eq!(json["status"], "Active");
    assert_eq!(json["last_login"], "2026-01-10T08:00:00Z");
    assert_eq!(json["groups"], serde_json::json!(["Ops", "Sales"]));
    assert_eq!(json["owned_content"], 1);
    assert_eq!(json["owned"]["workbooks"], 1);
}

async fn find_accounts_matches_id_name_or_email_case_insensitively(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    for query in ["u-bob", "BOB", "bob@example.COM"] {
        let found = store.find_accounts(s, query).await.unwrap();
        assert_eq!(names(&found), ["bob"], "{query}");
    }
    assert!(store.find_accounts(s, "bo").await.unwrap().is_empty());
    assert!(store
        .account(s, &"u-nobody".into())
        .await
        .unwrap()
        .is_none());
}

/// Journals an action on `user` as the actions do: its intent, then its
/// outcome with what it changed in the store.
async fn act(store: &Store, site: SiteKey, action: JournalAction, user: &str, change: StoreChange) {
    let user: UserId = user.into();
    let entry = NewJournalEntry::new(site, action, &user, at("2026-02-01T12:00:00Z"));
    let id = store.journal_intent(&entry).await.unwrap();
    let closing = Closing {
        state: JournalState::Completed,
        outcome: "done",
        tableau_code: None,
    };
    store
        .journal_close(site, id, &user, closing, &change)
        .await
        .unwrap();
}

async fn actions_show_in_the_store_without_a_resync(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let owned = [OwnedItem {
        id: "w1".into(),
        kind: tabgov_mapping::ContentKind::Workbook,
        name: None,
        owner_id: "u-bob".into(),
    }];
    let mut snap = base();
    snap.owned = OwnedItem::count_by_owner(&owned);
    let (run1, _) = sync(&store, s, &snap, &owned, at("2026-02-01T00:00:00Z")).await;

    let suspend = StoreChange {
        left_groups: vec!["g-sales".into()],
        joined_groups: vec!["g-ops".into()],
        ..StoreChange::role(SiteRole::Unlicensed)
    };
    act(
        &store,
        s,
        JournalAction::Suspend,
        "u-alice",
        suspend.clone(),
    )
    .await;
    let before = chrono::Utc::now();
    let removal = StoreChange::removed(Some("u-carol".into()));
    act(&store, s, JournalAction::Deprovision, "u-bob", removal).await;
    let after = chrono::Utc::now();
    let bob = store.account(s, &"u-bob".into()).await.unwrap().unwrap();

    // Doing it all again changes nothing: the memberships are already
    // gone or there, a removed account stays removed as it was, and a
    // removed account takes no new role.
    let noop = |user: &str, action| NewJournalEntry::new(s, action, &user.into(), after);
    store
        .journal_noop(&noop("u-alice", JournalAction::Suspend), "no-op", &suspend)
        .await
        .unwrap();
    let again = StoreChange::removed(None);
    let entry = noop("u-bob", JournalAction::Deprovision);
    store.journal_noop(&entry, "no-op", &again).await.unwrap();
    let restore = StoreChange::role(SiteRole::Viewer);
    act(&store, s, JournalAction::Restore, "u-bob", restore).await;
    // An account the store does not hold is journalled only.
    let unknown = StoreChange::role(SiteRole::Viewer);
    act(&store, s, JournalAction::Restore, "u-nobody", unknown).await;

    let alice = store.account(s, &"u-alice".into()).await.unwrap().unwrap();
    assert_eq!(alice.status, AccountStatus::Suspended);
    assert_eq!(alice.license, License::Unlicensed);
    assert_eq!(alice.account.site_role, SiteRole::Unlicensed);
    assert_eq!(alice.groups, ["Ops"]);
    assert_eq!(alice.updated_run_id, Some(run1));
    let bob_now = store.account(s, &"u-bob".into()).await.unwrap().unwrap();
    assert_eq!(bob_now, bob, "a second removal and a restore changed bob");
    assert_eq!(bob.status, AccountStatus::Deprovisioned);
    assert_eq!(bob.account.site_role, SiteRole::Viewer);
    let removed_at = bob.deprovisioned_at.expect("bob is removed");
    assert!(before <= removed_at && removed_at <= after, "{removed_at}");
    assert_eq!(bob.last_seen, Some(removed_at));
    assert!(bob.groups.is_empty());
    assert!(store
        .account(s, &"u-nobody".into())
        .await
        .unwrap()
        .is_none());
    let carol = store.account(s, &"u-carol".into()).await.unwrap().unwrap();
    assert_eq!(carol.owned.total(), 1);
    let sales = store.list_groups(s).await.unwrap();
    let sales = sales.iter().find(|g| g.name == "Sales").unwrap();
    assert_eq!((sales.member_count, sales.members.clone()), (0, vec![]));

    // The next sync starts from the acted-on state, so the same facts from
    // Tableau are no change.
    let snap = stored_snapshot(&store, s).await;
    assert!(!snap.accounts.contains_key("u-bob"));
    assert_eq!(snap.accounts["u-alice"].site_role, SiteRole::Unlicensed);
    assert_eq!(snap.owned["u-carol"].workbooks, 1);
}
