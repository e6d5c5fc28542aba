use super::*;
use crate::{ContentKind, GrantLicenseMode};

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
        own_user_id: "me",
        other_site_admins: admins,
    }
}

fn kind(plan: &Plan) -> &'static str {
    match plan {
        Plan::Noop { .. } => "noop",
        Plan::Suspend { .. } => "suspend",
        Plan::Remove {
            transfer_to: None, ..
        } => "remove",
        Plan::Remove {
            transfer_to: Some(_),
            ..
        } => "remove+transfer",
        Plan::Refuse {
            refusal: Refusal::OwnAccount,
        } => "refuse:own",
        Plan::Refuse {
            refusal: Refusal::LastSiteAdministrator,
        } => "refuse:last-admin",
        Plan::Refuse {
            refusal: Refusal::OwnsContent { .. },
        } => "refuse:content",
        Plan::Refuse {
            refusal: Refusal::TransferToSelf,
        } => "refuse:self",
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
            kind(&plan_suspend(&facts(&a, 0, vec![], admins), false)),
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
        Plan::Suspend {
            from: SiteRole::Creator,
            leave_groups: vec![],
            relicensing_groups: vec!["Analysts".into()],
            cannot_leave: vec![],
        }
    );
    let sticky = plan_suspend(&facts(&a, 0, vec![&g], 1), true);
    assert_eq!(
        sticky,
        Plan::Suspend {
            from: SiteRole::Creator,
            leave_groups: vec!["g1".into()],
            relicensing_groups: vec!["Analysts".into()],
            cannot_leave: vec![],
        }
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
        Plan::Suspend {
            from: SiteRole::Creator,
            leave_groups: vec!["g1".into()],
            relicensing_groups: vec!["All Users".into(), "Analysts".into()],
            cannot_leave: vec!["All Users".into()],
        }
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
        let plan = plan_deprovision(&facts(&a, owned, vec![], 1), target, on_content, false);
        assert_eq!(kind(&plan), expected, "{id} owns {owned}");
    }
}

#[test]
fn content_refusal_names_the_inventory_and_the_fix() {
    let a = account("u", SiteRole::Viewer);
    let Plan::Refuse { refusal } =
        plan_deprovision(&facts(&a, 2, vec![], 1), None, OnContent::Refuse, false)
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
fn only_plans_that_change_tableau_say_so() {
    let a = account("u", SiteRole::Creator);
    assert!(plan_suspend(&facts(&a, 0, vec![], 1), false).changes_anything());
    let s = account("u", SiteRole::Unlicensed);
    assert!(!plan_suspend(&facts(&s, 0, vec![], 1), false).changes_anything());
}

#[test]
fn batches_above_the_limit_need_confirmation() {
    let cases = [
        (50, 50, false, false),
        (51, 50, false, true),
        (51, 50, true, false),
        (0, 0, false, false),
    ];
    for (n, max, yes, needs) in cases {
        assert_eq!(
            batch_needs_confirmation(n, max, yes),
            needs,
            "{n}/{max} yes={yes}"
        );
    }
}
