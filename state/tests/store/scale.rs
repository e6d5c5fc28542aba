use std::time::Instant;

use tabgov_mapping::{ContentKind, GrantLicenseMode, Group, OwnedItem, SiteRole, SiteSnapshot};
use tabgov_state::AccountFilter;

use crate::common::{
    account, at, on_both_engines, site, stored_snapshot, sync, with_owned, TestStore,
};

on_both_engines!(a_large_snapshot_round_trips_and_a_quiet_resync_writes_nothing);

const USERS: usize = 20_000;
const GROUPS: usize = 50;

fn large_site() -> (SiteSnapshot, Vec<OwnedItem>) {
    let roles = [
        SiteRole::Creator,
        SiteRole::Explorer,
        SiteRole::Viewer,
        SiteRole::Unlicensed,
        SiteRole::Other("FutureRole".into()),
    ];
    let mut snap = SiteSnapshot::default();
    for g in 0..GROUPS {
        snap.insert_group(Group {
            id: format!("g-{g:03}").into(),
            name: format!("Group {g}"),
            domain: Some("local".into()),
            minimum_site_role: (g % 10 == 0).then_some(SiteRole::Explorer),
            grant_license_mode: (g % 10 == 0).then_some(GrantLicenseMode::OnLogin),
        });
    }
    let mut owned = Vec::new();
    for u in 0..USERS {
        let id = format!("u-{u:06}");
        let mut a = account(&id, &format!("user{u}"), roles[u % roles.len()].clone());
        if u % 7 == 0 {
            a.last_login = None;
            a.email = None;
        }
        snap.insert_account(a);
        snap.add_membership(&id, &format!("g-{:03}", u % GROUPS));
        snap.add_membership(&id, &format!("g-{:03}", (u * 7 + 3) % GROUPS));
        if u % 20 == 0 {
            owned.push(OwnedItem {
                id: format!("w-{u}").into(),
                kind: ContentKind::Workbook,
                name: Some(format!("Workbook {u}")),
                owner_id: id.as_str().into(),
            });
        }
    }
    (with_owned(snap, &owned), owned)
}

async fn a_large_snapshot_round_trips_and_a_quiet_resync_writes_nothing(fixture: TestStore) {
    let store = fixture.store;
    let s = site(&store).await;
    let (snap, owned) = large_site();

    let started = Instant::now();
    let (_, first) = sync(&store, s, &snap, &owned, at("2026-02-01T00:00:00Z")).await;
    let first_sync = started.elapsed();
    assert_eq!(first.accounts_written, USERS as u64);
    assert_eq!(first.events, USERS as u64);

    let t = Instant::now();
    let loaded = stored_snapshot(&store, s).await;
    let load = t.elapsed();
    assert_eq!(loaded, snap);
    let t = Instant::now();

    let (_, again) = sync(&store, s, &snap, &owned, at("2026-02-02T00:00:00Z")).await;
    assert_eq!((again.accounts_written, again.events), (0, 0));
    assert_eq!((again.memberships_added, again.owned_written), (0, 0));

    let resync = t.elapsed();
    let t = Instant::now();
    let all = store
        .list_accounts(&AccountFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), USERS);
    assert!(all
        .iter()
        .all(|a| a.groups.len() == 2 || a.groups.len() == 1));
    eprintln!(
        "{:?}, {USERS} accounts: first sync {first_sync:?}, load {load:?}, \
         quiet re-sync {resync:?}, list {:?}",
        store.engine(),
        t.elapsed()
    );
}
