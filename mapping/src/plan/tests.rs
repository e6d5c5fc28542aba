use super::*;
use crate::{Account, ContentKind, GrantLicenseMode, Group, OwnedContent, SiteRole, UserId};

/// The connector's own account in these tests.
fn me() -> &'static UserId {
    static ME: std::sync::LazyLock<UserId> = std::sync::LazyLock::new(|| UserId::from("me"));
    &ME
}

/// An account whose sign-in name is its id.
fn account(id: &str, role: SiteRole) -> Account {
    Account::for_test(id, id, role)
}

fn owning(n: u32) -> OwnedContent {
    let mut owned = OwnedContent::default();
    for _ in 0..n {
        owned.add(ContentKind::Workbook);
    }
    owned
}

fn grant_group() -> Group {
    Group {
        id: "g1".into(),
        name: "Analysts".into(),
        domain: None,
        minimum_site_role: Some(SiteRole::Explorer),
        grant_license_mode: Some(GrantLicenseMode::OnLogin),
    }
}

fn facts<'a>(
    account: &'a Account,
    owned: u32,
    groups: Vec<&'a Group>,
    admins: usize,
) -> TargetFacts<'a> {
    TargetFacts {
        account,
        owned: owning(owned),
        relicensing_groups: groups,
        own_user_id: me(),
        other_site_admins: admins,
    }
}

fn refusal_kind(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::OwnAccount => "refuse:own",
        Refusal::LastSiteAdministrator => "refuse:last-admin",
        Refusal::OwnsContent { .. } => "refuse:content",
        Refusal::TransferToSelf => "refuse:self",
    }
}

fn suspend_kind(plan: &SuspendPlan) -> &'static str {
    match plan {
        SuspendPlan::Noop { .. } => "noop",
        SuspendPlan::Suspend(_) => "suspend",
        SuspendPlan::Refuse { refusal } => refusal_kind(refusal),
    }
}

fn deprovision_kind(plan: &DeprovisionPlan) -> &'static str {
    match plan {
        DeprovisionPlan::Remove => "remove",
        DeprovisionPlan::Transfer { .. } => "remove+transfer",
        DeprovisionPlan::SuspendInstead { .. } => "suspend",
        DeprovisionPlan::Refuse { refusal } => refusal_kind(refusal),
    }
}

#[test]
fn suspend_table() {
    let cases = [
        ("u", SiteRole::Creator, 1, "suspend"),
        ("u", SiteRole::Unlicensed, 1, "noop"),
        ("u", SiteRole::UnlicensedWithPublish, 1, "noop"),
        ("me", SiteRole::Creator, 1, "refuse:own"),
        (
            "u",
            SiteRole::SiteAdministratorCreator,
            0,
            "refuse:last-admin",
        ),
        ("u", SiteRole::SiteAdministratorExplorer, 1, "suspend"),
    ];
    for (id, role, admins, expected) in cases {
        let a = account(id, role.clone());
        assert_eq!(
            suspend_kind(&plan_suspend(&facts(&a, 0, vec![], admins), false)),
            expected,
            "{id} {role}"
        );
    }
}

#[test]
fn suspend_warns_about_relicensing_groups_and_sticky_leaves_them() {
    let a = account("u", SiteRole::Creator);
    let g = grant_group();
    let plain = plan_suspend(&facts(&a, 0, vec![&g], 1), false);
    assert_eq!(
        plain,
        SuspendPlan::Suspend(Suspension {
            from: SiteRole::Creator,
            leave_groups: vec![],
            relicensing_groups: vec!["Analysts".into()],
            cannot_leave: vec![],
        })
    );
    let sticky = plan_suspend(&facts(&a, 0, vec![&g], 1), true);
    assert_eq!(
        sticky,
        SuspendPlan::Suspend(Suspension {
            from: SiteRole::Creator,
            leave_groups: vec!["g1".into()],
            relicensing_groups: vec!["Analysts".into()],
            cannot_leave: vec![],
        })
    );
}

#[test]
fn sticky_cannot_leave_all_users_and_says_so() {
    let a = account("u", SiteRole::Creator);
    let g = grant_group();
    let all_users = Group {
        id: "all".into(),
        name: crate::ALL_USERS.into(),
        ..grant_group()
    };
    let sticky = plan_suspend(&facts(&a, 0, vec![&all_users, &g], 1), true);
    assert_eq!(
        sticky,
        SuspendPlan::Suspend(Suspension {
            from: SiteRole::Creator,
            leave_groups: vec!["g1".into()],
            relicensing_groups: vec!["All Users".into(), "Analysts".into()],
            cannot_leave: vec!["All Users".into()],
        })
    );
}

#[test]
fn deprovision_table() {
    let other = account("t", SiteRole::Creator);
    let cases: [(&str, u32, Option<&Account>, OnContent, &str); 7] = [
        ("u", 0, None, OnContent::Refuse, "remove"),
        // Tableau blocks removal for content no listing shows: the named
        // new owner is passed on even when the inventory found nothing.
        ("u", 0, Some(&other), OnContent::Refuse, "remove+transfer"),
        ("u", 3, Some(&other), OnContent::Refuse, "remove+transfer"),
        ("u", 3, None, OnContent::Refuse, "refuse:content"),
        ("u", 3, None, OnContent::Suspend, "suspend"),
        ("me", 0, None, OnContent::Refuse, "refuse:own"),
        ("t", 3, Some(&other), OnContent::Refuse, "refuse:self"),
    ];
    for (id, owned, target, on_content, expected) in cases {
        let a = account(id, SiteRole::Viewer);
        let plan = plan_deprovision(&facts(&a, owned, vec![], 1), target, on_content);
        assert_eq!(deprovision_kind(&plan), expected, "{id} owns {owned}");
    }
}

#[test]
fn content_refusal_names_the_inventory_and_the_fix() {
    let a = account("u", SiteRole::Viewer);
    let DeprovisionPlan::Refuse { refusal } =
        plan_deprovision(&facts(&a, 2, vec![], 1), None, OnContent::Refuse)
    else {
        panic!("expected a refusal");
    };
    let text = refusal.to_string();
    assert!(
        text.contains("owns 2 item(s)") && text.contains("2 workbooks"),
        "{text}"
    );
    assert!(text.contains("--transfer-to"), "{text}");
}

#[test]
fn a_transfer_names_the_heir() {
    let a = account("u", SiteRole::Viewer);
    let heir = account("t", SiteRole::Creator);
    let plan = plan_deprovision(&facts(&a, 1, vec![], 1), Some(&heir), OnContent::Refuse);
    assert_eq!(plan.transfer_to().map(UserId::as_str), Some("t"));
    assert_eq!(DeprovisionPlan::Remove.transfer_to(), None);
}

#[test]
fn remove_member_table() {
    let cases = [
        ("u", true, "remove"),
        ("u", false, "noop"),
        ("me", true, "refuse:own"),
    ];
    for (id, member, expected) in cases {
        let plan = plan_remove_member(&UserId::from(id), me(), "alice", "Analysts", member);
        let kind = match &plan {
            RemoveMemberPlan::Remove => "remove",
            RemoveMemberPlan::Noop { .. } => "noop",
            RemoveMemberPlan::Refuse { refusal } => refusal_kind(refusal),
        };
        assert_eq!(kind, expected, "{id} member={member}");
    }
    assert_eq!(
        plan_remove_member(&"u".into(), me(), "alice", "Analysts", false),
        RemoveMemberPlan::Noop {
            reason: "alice is not in Analysts".into()
        }
    );
}

#[test]
fn batches_above_the_limit_need_confirmation() {
    let cases = [
        (50, 50, false, true),
        (51, 50, false, false),
        (51, 50, true, true),
        (0, 0, false, true),
    ];
    for (n, max, yes, allowed) in cases {
        let policy = BatchPolicy {
            max_actions: max,
            confirmed: yes,
        };
        assert_eq!(policy.check(n).is_ok(), allowed, "{n}/{max} yes={yes}");
    }
    let refused = BatchPolicy {
        max_actions: 2,
        confirmed: false,
    }
    .check(3)
    .unwrap_err();
    assert!(refused
        .to_string()
        .contains("3 targets exceed --max-actions 2"));
    assert_eq!(BatchPolicy::default().max_actions, DEFAULT_MAX_ACTIONS);
}
