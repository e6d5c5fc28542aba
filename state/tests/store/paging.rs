//! Keyset paging of accounts and groups: pages of any size, each starting
//! after the last row of the one before, give the unpaged listing.

use tabgov_mapping::SiteRole;
use tabgov_state::{AccountCursor, AccountFilter, AccountRecord, GroupCursor, SiteKey, Store};

use crate::common::{account, at, base, group, on_both_engines, site, sync, TestStore};

on_both_engines!(
    account_pages_give_every_account_once_in_order,
    group_pages_give_every_group_once_with_its_members,
);

fn keys(records: &[AccountRecord]) -> Vec<(String, String)> {
    records
        .iter()
        .map(|r| (r.site.clone(), r.account.id.as_str().to_owned()))
        .collect()
}

/// Every page of `filter` with `limit` rows, concatenated.
async fn paged(store: &Store, filter: &AccountFilter, limit: u32) -> Vec<AccountRecord> {
    let mut all: Vec<AccountRecord> = Vec::new();
    loop {
        let page = store
            .list_accounts(&AccountFilter {
                after: all.last().map(AccountCursor::after),
                limit: Some(limit),
                ..filter.clone()
            })
            .await
            .unwrap();
        assert!(page.len() <= limit as usize);
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

async fn account_pages_give_every_account_once_in_order(t: TestStore) {
    let store = t.store;
    let a = site(&store).await;
    let b = store
        .upsert_site("https://tableau.example.com", "ops", None)
        .await
        .unwrap();
    let mut snap = base();
    // Equal names order by id; names sort byte-wise ("Zed" before "alice").
    snap.insert_account(account("u-alice-2", "alice", SiteRole::Viewer));
    snap.insert_account(account("u-zed", "Zed", SiteRole::Viewer));
    snap.insert_account(account("u-eve", "eve", SiteRole::Explorer));
    sync(&store, a, &snap, &[], at("2026-02-01T00:00:00Z")).await;
    sync(&store, b, &base(), &[], at("2026-02-01T00:00:00Z")).await;

    let everything = AccountFilter::default();
    let unpaged = store.list_accounts(&everything).await.unwrap();
    assert_eq!(unpaged.len(), 9);
    for limit in [1, 2, 4, 100] {
        let pages = paged(&store, &everything, limit).await;
        assert_eq!(keys(&pages), keys(&unpaged), "limit {limit}");
        assert_eq!(pages, unpaged, "whole records, groups included");
    }
    let of_a = AccountFilter {
        site: Some(a),
        ..AccountFilter::default()
    };
    let unpaged_a = store.list_accounts(&of_a).await.unwrap();
    let names: Vec<_> = unpaged_a.iter().map(|r| r.account.name.as_str()).collect();
    assert_eq!(names, ["Zed", "alice", "alice", "bob", "carol", "eve"]);
    assert_eq!(paged(&store, &of_a, 2).await, unpaged_a);
    // By position (SCIM's startIndex), the same order: every offset, with
    // and without a limit.
    for offset in 0..=unpaged_a.len() as u32 + 1 {
        let rest = store
            .list_accounts(&AccountFilter {
                offset: Some(offset),
                ..of_a.clone()
            })
            .await
            .unwrap();
        let want = &unpaged_a[(offset as usize).min(unpaged_a.len())..];
        assert_eq!(keys(&rest), keys(want), "offset {offset}");
        let two = store
            .list_accounts(&AccountFilter {
                offset: Some(offset),
                limit: Some(2),
                ..of_a.clone()
            })
            .await
            .unwrap();
        assert_eq!(
            keys(&two),
            keys(&want[..want.len().min(2)]),
            "offset {offset}, limit 2"
        );
    }
    let viewers = AccountFilter {
        license: Some(tabgov_mapping::License::Viewer),
        ..AccountFilter::default()
    };
    let unpaged_viewers = store.list_accounts(&viewers).await.unwrap();
    assert_eq!(
        keys(&paged(&store, &viewers, 2).await),
        keys(&unpaged_viewers)
    );
}

async fn group_pages_give_every_group_once_with_its_members(t: TestStore) {
    let store = t.store;
    let s: SiteKey = site(&store).await;
    let mut snap = base();
    for (id, name) in [("g-a", "Analysts"), ("g-b", "Sales"), ("g-c", "admins")] {
        snap.insert_group(group(id, name));
    }
    snap.add_membership("u-carol", "g-b");
    snap.add_membership("u-bob", "g-c");
    sync(&store, s, &snap, &[], at("2026-02-01T00:00:00Z")).await;

    let unpaged = store.list_groups(s).await.unwrap();
    assert_eq!(unpaged.len(), 5);
    // The index without members lists the same groups in the same order.
    let index = store.group_index(s).await.unwrap();
    let want: Vec<_> = unpaged
        .iter()
        .map(|g| (g.id.clone(), g.name.clone()))
        .collect();
    assert_eq!(index, want);
    let sales = unpaged.iter().find(|g| g.name == "Sales").unwrap();
    let members = store.group_members(s, &sales.id).await.unwrap();
    let names: Vec<_> = members.iter().map(|(_, n)| n.clone()).collect();
    assert_eq!(names, sales.members, "the members' names, with their ids");
    assert!(members.iter().any(|(id, _)| id.as_str() == "u-carol"));
    // By id: the same records, members included, unknown ids left out.
    let ids = vec![unpaged[3].id.clone(), sales.id.clone(), "g-none".into()];
    let mut want: Vec<_> = vec![unpaged[3].clone(), sales.clone()];
    want.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    assert_eq!(store.groups_by_id(s, &ids).await.unwrap(), want);
    assert!(store.groups_by_id(s, &[]).await.unwrap().is_empty());
    let mut pages = Vec::new();
    loop {
        let after = pages.last().map(GroupCursor::after);
        let page = store.list_groups_page(s, after.as_ref(), 2).await.unwrap();
        assert!(page.len() <= 2);
        if page.is_empty() {
            break;
        }
        pages.extend(page);
    }
    assert_eq!(pages, unpaged);
    let sales: Vec<_> = pages.iter().filter(|g| g.id.as_str() == "g-b").collect();
    assert_eq!(sales[0].members, ["carol"]);
}
