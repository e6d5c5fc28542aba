use tabgov_mapping::{AccountStatus, License, OwnedItem, SiteRole};
use tabgov_state::{AccountFilter, SiteKey};

use crate::common::{account as acct, at, base, file_store, site, sync};

fn names(records: &[tabgov_state::AccountRecord]) -> Vec<&str> {
    records.iter().map(|r| r.account.name.as_str()).collect()
}

#[tokio::test]
async fn filters_narrow_by_status_licence_group_and_inactivity() {
    let (_dir, store) = file_store().await;
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
        let pool = store.pool().clone();
        async move { list_accounts(&pool, &f).await.unwrap() }
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

#[tokio::test]
async fn records_have_the_documented_json_shape() {
    let (_dir, store) = file_store().await;
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

    let alice = store.account(s, "u-alice").await.unwrap().unwrap();
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

#[tokio::test]
async fn find_accounts_matches_id_name_or_email_case_insensitively() {
    let (_dir, store) = file_store().await;
    let s = site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    for query in ["u-bob", "BOB", "bob@example.COM"] {
        let found = store.find_accounts(s, query).await.unwrap();
        assert_eq!(names(&found), ["bob"], "{query}");
    }
    assert!(store.find_accounts(s, "bo").await.unwrap().is_empty());
    assert!(store.account(s, "u-nobody").await.unwrap().is_none());
}

#[tokio::test]
async fn actions_show_in_the_store_without_a_resync() {
    let (_dir, store) = file_store().await;
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

    let mut tx = store.pool().begin().await.unwrap();
    assert!(
        update_account_role(&mut tx, s, &"u-alice".into(), &SiteRole::Unlicensed, None)
            .await
            .unwrap()
    );
    assert!(
        remove_membership(&mut tx, s, &"g-sales".into(), &"u-alice".into())
            .await
            .unwrap()
    );
    assert!(
        !remove_membership(&mut tx, s, &"g-sales".into(), &"u-alice".into())
            .await
            .unwrap()
    );
    assert!(
        add_membership(&mut tx, s, &"g-ops".into(), &"u-alice".into())
            .await
            .unwrap()
    );
    assert!(
        !add_membership(&mut tx, s, &"g-ops".into(), &"u-alice".into())
            .await
            .unwrap()
    );
    assert_eq!(
        transfer_owned_content(&mut tx, s, &"u-bob".into(), &"u-carol".into())
            .await
            .unwrap(),
        1
    );
    let now = at("2026-02-01T12:00:00Z");
    assert!(mark_deprovisioned(&mut tx, s, &"u-bob".into(), now)
        .await
        .unwrap());
    assert!(!mark_deprovisioned(&mut tx, s, &"u-bob".into(), now)
        .await
        .unwrap());
    assert!(
        !update_account_role(&mut tx, s, &"u-bob".into(), &SiteRole::Viewer, None)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    let alice = store.account(s, "u-alice").await.unwrap().unwrap();
    assert_eq!(alice.status, AccountStatus::Suspended);
    assert_eq!(alice.license, License::Unlicensed);
    assert_eq!(alice.account.site_role, SiteRole::Unlicensed);
    assert_eq!(alice.groups, ["Ops"]);
    assert_eq!(alice.updated_run_id, Some(run1));
    let bob = store.account(s, "u-bob").await.unwrap().unwrap();
    assert_eq!(bob.status, AccountStatus::Deprovisioned);
    assert_eq!(
        (bob.deprovisioned_at, bob.last_seen),
        (Some(now), Some(now))
    );
    assert!(bob.groups.is_empty());
    let carol = store.account(s, "u-carol").await.unwrap().unwrap();
    assert_eq!(carol.owned.total(), 1);
    let sales = store.list_groups(s).await.unwrap();
    let sales = sales.iter().find(|g| g.name == "Sales").unwrap();
    assert_eq!((sales.member_count, sales.members.clone()), (0, vec![]));

    // The next sync starts from the acted-on state, so the same facts from
    // Tableau are no change.
    let snap = load_snapshot(&mut store.pool().acquire().await.unwrap(), s)
        .await
        .unwrap();
    assert!(!snap.accounts.contains_key("u-bob"));
    assert_eq!(snap.accounts["u-alice"].site_role, SiteRole::Unlicensed);
    assert_eq!(snap.owned["u-carol"].workbooks, 1);
}
