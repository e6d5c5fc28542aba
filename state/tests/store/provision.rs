//! Provisioning actions in the store: a user added or updated, a
//! membership added, a group created or deleted, each recorded with its
//! journal entry's completion and read back without a re-sync.

use tabgov_mapping::{AccountStatus, GroupId, License, SiteRole, UserId};
use tabgov_state::{
    Closing, IntentTarget, JournalAction, JournalEntry, JournalFilter, JournalState,
    NewJournalEntry, SiteKey, Store, StoreChange,
};

use crate::common::{account, at, base, group, on_both_engines, site, sync, TestStore};

on_both_engines!(
    added_and_updated_accounts_and_their_groups_show_at_once,
    created_and_deleted_groups_show_at_once,
);

/// Commits `entry`'s intent, checks it is found open by `target`, and
/// completes it with `change`; returns the entry as stored.
async fn provision(
    store: &Store,
    entry: NewJournalEntry,
    target: IntentTarget<'_>,
    change: StoreChange,
) -> JournalEntry {
    let id = store.journal_intent(&entry).await.unwrap();
    let open = store
        .journal_open_intent_for(entry.site, &entry.action, target)
        .await
        .unwrap()
        .expect("the intent is open");
    assert_eq!(open.id, id);
    let closing = Closing {
        state: JournalState::Completed,
        outcome: "done",
        tableau_code: None,
    };
    let user = entry.target_user_id.clone();
    store
        .journal_close(entry.site, id, &user, closing, &change)
        .await
        .unwrap();
    let found = store
        .journal_open_intent_for(entry.site, &entry.action, target)
        .await
        .unwrap();
    assert!(found.is_none(), "completed once, no longer open");
    let all = store.journal_list(&JournalFilter::default()).await.unwrap();
    all.into_iter().find(|e| e.id == id).unwrap()
}

fn entry(site: SiteKey, action: JournalAction, user: &str) -> NewJournalEntry {
    NewJournalEntry::new(
        site,
        action,
        &UserId::from(user),
        at("2026-02-02T00:00:00Z"),
    )
}

async fn added_and_updated_accounts_and_their_groups_show_at_once(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    let (run, _) = sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;

    // The intent of an add knows the name only; its completion the LUID.
    let mut add = entry(s, JournalAction::AddUser, "");
    add.target_user_name = Some("dan".into());
    add.new_site_role = Some(SiteRole::Creator);
    let dan = tabgov_mapping::Account {
        email: None,
        last_login: None,
        ..account("u-dan", "dan", SiteRole::Creator)
    };
    let added = StoreChange {
        account: Some(Box::new(dan.clone())),
        ..StoreChange::default()
    };
    let done = provision(&store, add, IntentTarget::UserName("dan"), added).await;
    assert_eq!(done.intent.target_user_id.as_str(), "u-dan");
    assert_eq!(done.intent.action, JournalAction::AddUser);
    let record = store.account(s, &"u-dan".into()).await.unwrap().unwrap();
    assert_eq!(record.account, dan);
    assert_eq!(
        (record.status, record.license),
        (AccountStatus::Active, License::Creator)
    );
    assert_eq!(
        record.updated_run_id, None,
        "written by an action, not a run"
    );
    let listed = store.list_accounts(&Default::default()).await.unwrap();
    assert!(listed.iter().any(|a| a.account.id.as_str() == "u-dan"));

    // An update writes what Tableau shows; what its answer left out stays.
    let updated = tabgov_mapping::Account {
        email: Some("dan@example.com".into()),
        full_name: None,
        ..account("u-dan", "dan", SiteRole::Viewer)
    };
    let change = StoreChange {
        account: Some(Box::new(updated)),
        ..StoreChange::default()
    };
    let user: UserId = "u-dan".into();
    let mut update = entry(s, JournalAction::UpdateUser, "u-dan");
    update.target_user_name = Some("dan".into());
    let id = store.journal_intent(&update).await.unwrap();
    let open = store
        .journal_open_intent(s, &user, &JournalAction::UpdateUser)
        .await
        .unwrap();
    assert_eq!(open.map(|o| o.id), Some(id));
    let closing = Closing {
        state: JournalState::Completed,
        outcome: "updated",
        tableau_code: None,
    };
    store
        .journal_close(s, id, &user, closing, &change)
        .await
        .unwrap();
    let record = store.account(s, &user).await.unwrap().unwrap();
    assert_eq!(record.account.email.as_deref(), Some("dan@example.com"));
    assert_eq!(record.account.full_name.as_deref(), Some("dan Example"));
    assert_eq!(record.license, License::Viewer);

    // A membership added, journalled with its group.
    let mut join = entry(s, JournalAction::AddMember, "u-dan");
    join.target_group_id = Some("g-sales".into());
    join.target_group_name = Some("Sales".into());
    let change = StoreChange {
        joined_groups: vec!["g-sales".into()],
        ..StoreChange::role(SiteRole::Viewer)
    };
    let gid: GroupId = "g-sales".into();
    let done = provision(&store, join, IntentTarget::Group(&gid), change).await;
    assert_eq!(done.intent.target_group_name.as_deref(), Some("Sales"));
    let record = store.account(s, &user).await.unwrap().unwrap();
    assert_eq!(record.groups, ["Sales"]);
    // Other accounts are as the sync left them.
    let alice = store.account(s, &"u-alice".into()).await.unwrap().unwrap();
    assert_eq!(alice.updated_run_id, Some(run));
}

async fn created_and_deleted_groups_show_at_once(t: TestStore) {
    let store = t.store;
    let s = site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;

    let mut create = entry(s, JournalAction::CreateGroup, "");
    create.target_group_name = Some("Finance".into());
    let change = StoreChange {
        created_group: Some(Box::new(group("g-fin", "Finance"))),
        ..StoreChange::default()
    };
    let done = provision(&store, create, IntentTarget::GroupName("Finance"), change).await;
    assert_eq!(done.intent.target_group_id, Some("g-fin".into()));
    assert_eq!(done.intent.target_user_id.as_str(), "", "about no user");
    let names = |groups: Vec<tabgov_state::GroupRecord>| {
        groups.into_iter().map(|g| g.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(store.list_groups(s).await.unwrap()),
        ["Finance", "Ops", "Sales"]
    );

    let gid: GroupId = "g-sales".into();
    let mut delete = entry(s, JournalAction::DeleteGroup, "");
    delete.target_group_id = Some(gid.clone());
    delete.target_group_name = Some("Sales".into());
    let change = StoreChange {
        deleted_group: Some(gid.clone()),
        ..StoreChange::default()
    };
    provision(&store, delete, IntentTarget::Group(&gid), change).await;
    assert_eq!(
        names(store.list_groups(s).await.unwrap()),
        ["Finance", "Ops"]
    );
    let alice = store.account(s, &"u-alice".into()).await.unwrap().unwrap();
    assert!(
        alice.groups.is_empty(),
        "the memberships went with the group"
    );
    assert_eq!(alice.status, AccountStatus::Active, "the members stay");
    let stored = store.group_names(s, &[gid]).await.unwrap();
    assert!(stored.is_empty());
}
