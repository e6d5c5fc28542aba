use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::{Group, SiteRole};

fn account(id: &str, role: SiteRole) -> Account {
    Account {
        email: Some(format!("{id}@example.com")),
        full_name: Some(format!("Full {id}")),
        domain: Some("local".into()),
        ..Account::for_test(id, format!("name-{id}"), role)
    }
}

fn group(id: &str) -> Group {
    Group {
        id: id.into(),
        name: format!("group-{id}"),
        domain: Some("local".into()),
        minimum_site_role: None,
        grant_license_mode: None,
    }
}

fn base() -> SiteSnapshot {
    let mut s = SiteSnapshot::default();
    s.insert_account(account("u1", SiteRole::Viewer));
    s.insert_account(account("u2", SiteRole::Creator));
    s.insert_account(account("u3", SiteRole::Unlicensed));
    s.insert_group(group("g1"));
    s.insert_group(group("g2"));
    s.add_membership("u1", "g1");
    s.add_membership("u2", "g2");
    s
}

type Mutation = fn(&mut SiteSnapshot);

/// One mutation per kind of change, with the one change it must produce.
const ONE_OF_EACH: &[(&str, Mutation)] = &[
    ("joined", |s| {
        s.insert_account(account("u9", SiteRole::Viewer));
        s.add_membership("u9", "g1");
    }),
    ("left", |s| {
        s.accounts.remove("u1");
        s.memberships.retain(|_, user| user != "u1");
    }),
    ("suspended", |s| {
        s.accounts.get_mut("u2").unwrap().site_role = SiteRole::Unlicensed
    }),
    ("reactivated", |s| {
        s.accounts.get_mut("u3").unwrap().site_role = SiteRole::Explorer
    }),
    ("license_changed", |s| {
        s.accounts.get_mut("u1").unwrap().site_role = SiteRole::Creator
    }),
    ("site_role_changed", |s| {
        s.accounts.get_mut("u2").unwrap().site_role = SiteRole::SiteAdministratorCreator
    }),
    ("group_added", |s| s.add_membership("u1", "g2")),
    ("group_removed", |s| {
        s.memberships.retain(|_, user| user != "u2");
    }),
    ("email_changed", |s| {
        s.accounts.get_mut("u1").unwrap().email = Some("new@example.com".into())
    }),
    ("name_changed", |s| {
        s.accounts.get_mut("u1").unwrap().name = "renamed".into()
    }),
    ("full_name_changed", |s| {
        s.accounts.get_mut("u1").unwrap().full_name = None
    }),
];

#[test]
fn diff_of_a_snapshot_with_itself_is_empty() {
    let s = base();
    assert!(diff(&s, &s).is_empty());
    assert!(changed_accounts(&s, &s).is_empty());
}

#[test]
fn every_kind_of_change_is_detected_once_and_only_once() {
    for (expected, mutate) in ONE_OF_EACH {
        let before = base();
        let mut after = base();
        mutate(&mut after);
        let changes = diff(&before, &after);
        let kinds: Vec<_> = changes.iter().map(|c| c.kind.name()).collect();
        assert_eq!(kinds, [*expected], "mutation {expected}");
    }
}

#[test]
fn last_login_alone_is_not_a_change_but_rewrites_the_row() {
    let before = base();
    let mut after = base();
    after.accounts.get_mut("u1").unwrap().last_login =
        Some("2026-01-01T00:00:00Z".parse().unwrap());
    assert!(diff(&before, &after).is_empty());
    assert_eq!(
        changed_accounts(&before, &after)
            .into_iter()
            .collect::<Vec<_>>(),
        ["u1"]
    );
}

#[test]
fn group_names_come_from_the_snapshot_that_has_them() {
    let before = base();
    let mut after = base();
    after.memberships.retain(|_, user| user != "u2");
    after.groups.remove("g2");
    let changes = diff(&before, &after);
    assert_eq!(changes[0].kind.from_value().as_deref(), Some("group-g2"));
}

const ROLES: &[SiteRole] = &[
    SiteRole::Viewer,
    SiteRole::Creator,
    SiteRole::Explorer,
    SiteRole::ExplorerCanPublish,
    SiteRole::Unlicensed,
    SiteRole::Interactor,
];

fn arb_snapshot() -> impl Strategy<Value = SiteSnapshot> {
    let accounts = prop::collection::btree_map(
        0u8..12,
        (0..ROLES.len(), 0u8..3, prop::option::of(0u8..3)),
        0..10,
    );
    let memberships = prop::collection::btree_set((0u8..12, 0u8..4), 0..20);
    (accounts, memberships).prop_map(|(accounts, memberships)| {
        let mut s = SiteSnapshot::default();
        for g in 0..4 {
            s.insert_group(group(&format!("g{g}")));
        }
        for (id, (role, name, email)) in &accounts {
            let mut a = account(&format!("u{id}"), ROLES[*role].clone());
            a.name = format!("n{name}");
            a.email = email.map(|e| format!("e{e}@example.com"));
            s.insert_account(a);
        }
        for (u, g) in memberships {
            if accounts.contains_key(&u) {
                s.add_membership(&format!("u{u}"), &format!("g{g}"));
            }
        }
        s
    })
}

fn count(changes: &[Change], kind: &str) -> usize {
    changes.iter().filter(|c| c.kind.name() == kind).count()
}

proptest! {
    #[test]
    fn diff_properties_hold_for_random_snapshots(a in arb_snapshot(), b in arb_snapshot()) {
        prop_assert!(diff(&a, &a).is_empty());
        let changes = diff(&a, &b);
        prop_assert_eq!(&changes, &diff(&a, &b));

        let joined = b.accounts.keys().filter(|k| !a.accounts.contains_key(k)).count();
        let left = a.accounts.keys().filter(|k| !b.accounts.contains_key(k)).count();
        prop_assert_eq!(count(&changes, "joined"), joined);
        prop_assert_eq!(count(&changes, "left"), left);

        let both: Vec<_> = a.accounts.keys().filter(|k| b.accounts.contains_key(k)).collect();
        let role_moves = both.iter().filter(|k| a.accounts[**k].site_role != b.accounts[**k].site_role).count();
        let role_events = ["suspended", "reactivated", "license_changed", "site_role_changed"]
            .iter().map(|k| count(&changes, k)).sum::<usize>();
        prop_assert_eq!(role_events, role_moves);
        let renames = both.iter().filter(|k| a.accounts[**k].name != b.accounts[**k].name).count();
        prop_assert_eq!(count(&changes, "name_changed"), renames);
        let emails = both.iter().filter(|k| a.accounts[**k].email != b.accounts[**k].email).count();
        prop_assert_eq!(count(&changes, "email_changed"), emails);

        let stayed = |m: &(&str, &str)| a.accounts.contains_key(m.1) && b.accounts.contains_key(m.1);
        prop_assert_eq!(count(&changes, "group_added"), b.memberships.difference(&a.memberships).into_iter().filter(stayed).count());
        prop_assert_eq!(count(&changes, "group_removed"), a.memberships.difference(&b.memberships).into_iter().filter(stayed).count());

        // No change is reported twice.
        let mut keys = BTreeMap::new();
        for c in &changes {
            *keys.entry((c.user_id.clone(), c.kind.name(), c.kind.group_id().cloned())).or_insert(0) += 1;
        }
        prop_assert!(keys.values().all(|n| *n == 1));

        // The order is by account id, then kind.
        let order: Vec<_> = changes.iter().map(|c| (c.user_id.clone(), c.kind.rank())).collect();
        let mut sorted = order.clone();
        sorted.sort();
        prop_assert_eq!(order, sorted);
    }
}
