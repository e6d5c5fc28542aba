//! Unit tests of the restore planner.

use super::*;

fn account(role: SiteRole) -> Account {
    Account::for_test("u", "alice", role)
}

fn group() -> GroupRef {
    GroupRef {
        id: "g".into(),
        name: "Analysts".into(),
    }
}

#[test]
fn restores_a_suspended_user() {
    let plan = plan_restore(
        &account(SiteRole::Unlicensed),
        &"me".into(),
        Some(&SiteRole::Creator),
        vec![group()],
    );
    assert_eq!(
        plan,
        RestorePlan::Restore {
            from: SiteRole::Unlicensed,
            to: SiteRole::Creator,
            rejoin: vec![group()]
        }
    );
}

#[test]
fn a_restored_user_is_a_noop_unless_groups_are_missing() {
    let a = account(SiteRole::Creator);
    assert!(matches!(
        plan_restore(&a, &"me".into(), Some(&SiteRole::Creator), vec![]),
        RestorePlan::Noop { .. }
    ));
    assert!(matches!(
        plan_restore(&a, &"me".into(), Some(&SiteRole::Creator), vec![group()]),
        RestorePlan::Restore { .. }
    ));
}

#[test]
fn refuses_without_a_journalled_role_or_over_a_later_change() {
    let refused = |p: RestorePlan| matches!(p, RestorePlan::Refuse { .. });
    assert!(refused(plan_restore(
        &account(SiteRole::Unlicensed),
        &"me".into(),
        None,
        vec![]
    )));
    assert!(refused(plan_restore(
        &account(SiteRole::Unlicensed),
        &"me".into(),
        Some(&SiteRole::Unlicensed),
        vec![]
    )));
    assert!(refused(plan_restore(
        &account(SiteRole::Explorer),
        &"me".into(),
        Some(&SiteRole::Creator),
        vec![]
    )));
    assert!(refused(plan_restore(
        &account(SiteRole::Unlicensed),
        &"u".into(),
        Some(&SiteRole::Creator),
        vec![]
    )));
}
