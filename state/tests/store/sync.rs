//! Re-syncs: what a difference writes to accounts, groups, memberships,
//! owned content and the change feed, and what it leaves alone.

use tabgov_mapping::{ContentKind, OwnedItem, SiteRole};
use tabgov_state::{AccountFilter, ChangeFilter, RunStatus};

use crate::common::{
    account, at, base, on_both_engines, site as new_site, stored_snapshot, sync, with_owned,
    TestStore,
};

on_both_engines!(
    a_resync_with_nothing_changed_writes_no_account_and_no_event,
    joiners_leavers_movers_and_group_moves_reach_accounts_and_feed,
    a_removed_group_leaves_the_snapshot_and_can_come_back,
    owned_content_is_written_only_when_it_differs,
);

async fn a_resync_with_nothing_changed_writes_no_account_and_no_event(t: TestStore) {
    let store = t.store;
    let site_key = new_site(&store).await;
    let (run1, first) = sync(&store, site_key, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    assert_eq!(
        (first.counts.joined, first.accounts_written, first.events),
        (3, 3, 3)
    );

    let (run2, again) = sync(&store, site_key, &base(), &[], at("2026-02-02T00:00:00Z")).await;
    assert_eq!(again.accounts_written, 0);
    assert_eq!(again.groups_written, 0);
    assert_eq!((again.memberships_added, again.memberships_removed), (0, 0));
    assert_eq!(again.events, 0);
    let rewritten = store
        .scalar_for_test(&format!(
            "SELECT COUNT(*) FROM accounts WHERE updated_run_id <> {run1}"
        ))
        .await;
    assert_eq!(rewritten, 0);
    let events = store
        .list_changes(&ChangeFilter {
            run: Some(run2),
            ..ChangeFilter::default()
        })
        .await
        .unwrap();
    assert!(events.is_empty());

    // last_seen follows the site's last successful sync without a rewrite.
    let accounts = store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap();
    for a in &accounts {
        assert_eq!(a.first_seen, at("2026-02-01T00:00:00Z"));
        assert_eq!(a.last_seen, Some(at("2026-02-02T00:00:00Z")));
        assert_eq!(a.updated_run_id, Some(run1));
    }
    let runs = store.list_runs(Some(site_key)).await.unwrap();
    assert_eq!(runs[0].id, run2);
    assert_eq!(runs[0].status, RunStatus::Succeeded);
    assert_eq!(
        (
            runs[0].counts.users,
            runs[0].counts.joined,
            runs[0].counts.changed
        ),
        (3, 0, 0)
    );
    assert_eq!(runs[1].counts.joined, 3);
}

async fn joiners_leavers_movers_and_group_moves_reach_accounts_and_feed(t: TestStore) {
    let store = t.store;
    let s = new_site(&store).await;
    let (run1, _) = sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;

    let mut next = base();
    next.accounts.remove("u-bob");
    next.memberships.retain(|_, user| user != "u-bob");
    next.insert_account(account("u-dave", "dave", SiteRole::Viewer));
    next.add_membership("u-dave", "g-sales");
    next.accounts.get_mut("u-alice").unwrap().site_role = SiteRole::Unlicensed;
    next.accounts.get_mut("u-alice").unwrap().email = Some("alice@new.example.com".into());
    next.memberships.retain(|_, user| user != "u-carol");
    next.add_membership("u-carol", "g-sales");
    let (run2, summary) = sync(&store, s, &next, &[], at("2026-02-02T00:00:00Z")).await;
    assert_eq!(
        (
            summary.counts.joined,
            summary.counts.left,
            summary.counts.changed
        ),
        (1, 1, 1)
    );
    assert_eq!(summary.accounts_written, 3);

    let feed = store
        .list_changes(&ChangeFilter {
            run: Some(run2),
            ..ChangeFilter::default()
        })
        .await
        .unwrap();
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = feed
        .iter()
        .map(|c| {
            (
                c.user_name.as_str(),
                c.kind.as_str(),
                c.from.as_deref(),
                c.to.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("alice", "suspended", Some("Creator"), Some("Unlicensed")),
            (
                "alice",
                "email_changed",
                Some("alice@Example.com"),
                Some("alice@new.example.com")
            ),
            ("bob", "left", Some("Viewer"), None),
            ("carol", "group_added", None, Some("Sales")),
            ("carol", "group_removed", Some("Ops"), None),
            ("dave", "joined", None, Some("Viewer")),
        ]
    );
    assert_eq!(feed[3].group.as_deref(), Some("Sales"));
    assert_eq!(
        feed[3].group_id.as_ref().map(|g| g.as_str()),
        Some("g-sales")
    );
    assert_eq!(feed[0].detail["kind"], "suspended");

    let accounts = store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap();
    let by = |name: &str| accounts.iter().find(|a| a.account.name == name).unwrap();
    assert_eq!(by("alice").status.as_str(), "Suspended");
    assert_eq!(by("alice").license.as_str(), "Unlicensed");
    assert_eq!(by("alice").updated_run_id, Some(run2));
    let bob = by("bob");
    assert_eq!(bob.status.as_str(), "Deprovisioned");
    assert_eq!(bob.deprovisioned_at, Some(at("2026-02-02T00:00:00Z")));
    assert_eq!(bob.last_seen, Some(at("2026-02-01T00:00:00Z")));
    assert!(bob.groups.is_empty());
    assert_eq!(by("carol").groups, ["Sales"]);
    assert_eq!(
        by("carol").updated_run_id,
        Some(run1),
        "only memberships moved"
    );
    assert_eq!(by("dave").first_seen, at("2026-02-02T00:00:00Z"));
    let sales = store.list_groups(s).await.unwrap();
    let sales = sales.iter().find(|g| g.name == "Sales").unwrap();
    assert_eq!(sales.members, ["alice", "carol", "dave"]);
    assert_eq!(sales.member_count, 3);

    // The leaver comes back: same row, un-deprovisioned, first_seen kept.
    let mut back = next.clone();
    back.insert_account(account("u-bob", "bob", SiteRole::Viewer));
    let (run3, summary) = sync(&store, s, &back, &[], at("2026-02-03T00:00:00Z")).await;
    assert_eq!(summary.counts.joined, 1);
    let snap = stored_snapshot(&store, s).await;
    assert_eq!(snap, back);
    let bob = store.account(s, &"u-bob".into()).await.unwrap().unwrap();
    assert_eq!(bob.status.as_str(), "Active");
    assert_eq!(bob.deprovisioned_at, None);
    assert_eq!(bob.first_seen, at("2026-02-01T00:00:00Z"));
    assert_eq!(bob.last_seen, Some(at("2026-02-03T00:00:00Z")));
    assert_eq!(bob.updated_run_id, Some(run3));
}

async fn a_removed_group_leaves_the_snapshot_and_can_come_back(t: TestStore) {
    let store = t.store;
    let s = new_site(&store).await;
    sync(&store, s, &base(), &[], at("2026-02-01T00:00:00Z")).await;
    let mut next = base();
    let ops = next.groups.remove("g-ops").unwrap();
    next.memberships.retain(|group, _| group != "g-ops");
    let (_, summary) = sync(&store, s, &next, &[], at("2026-02-02T00:00:00Z")).await;
    assert_eq!(
        (summary.groups_written, summary.memberships_removed),
        (1, 1)
    );
    let names: Vec<String> = store
        .list_groups(s)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["Sales"]);

    next.insert_group(ops);
    sync(&store, s, &next, &[], at("2026-02-03T00:00:00Z")).await;
    let snap = stored_snapshot(&store, s).await;
    assert_eq!(snap, next);
}

async fn owned_content_is_written_only_when_it_differs(t: TestStore) {
    let store = t.store;
    let s = new_site(&store).await;
    let item = |id: &str, kind, owner: &str| OwnedItem {
        id: id.into(),
        kind,
        name: Some(format!("{id} name")),
        owner_id: owner.into(),
    };
    let mut items = vec![
        item("w1", ContentKind::Workbook, "u-alice"),
        item("w2", ContentKind::Workbook, "u-alice"),
        item("d1", ContentKind::Datasource, "u-alice"),
        item("p1", ContentKind::Project, "u-carol"),
    ];
    let next = with_owned(base(), &items);
    let (_, first) = sync(&store, s, &next, &items, at("2026-02-01T00:00:00Z")).await;
    assert_eq!(first.owned_written, 4);
    let (_, again) = sync(&store, s, &next, &items, at("2026-02-02T00:00:00Z")).await;
    assert_eq!((again.owned_written, again.owned_removed), (0, 0));

    let alice = store.account(s, &"u-alice".into()).await.unwrap().unwrap();
    assert_eq!(alice.owned.total(), 3);
    assert_eq!((alice.owned.workbooks, alice.owned.datasources), (2, 1));

    items[1].owner_id = "u-bob".into();
    items.pop();
    let next = with_owned(base(), &items);
    let (_, moved) = sync(&store, s, &next, &items, at("2026-02-03T00:00:00Z")).await;
    assert_eq!((moved.owned_written, moved.owned_removed), (1, 1));
    let snap = stored_snapshot(&store, s).await;
    assert_eq!(snap, next);
}
