use chrono::Utc;
use tabgov_mapping::{Account, AccountStatus, Group, GroupId, License, OwnedContent, SiteRole};
use tabgov_state::AccountRecord;

use super::*;

/// Site "finance" with alice (Creator, in Sales) and bob (Viewer).
fn view() -> SiteView {
    let record = |id: &str, name: &str, role: &str, license| AccountRecord {
        site: "finance".into(),
        account: Account::for_test(id, name, SiteRole::parse(role)),
        license,
        status: AccountStatus::Active,
        groups: Vec::new(),
        owned: OwnedContent::default(),
        first_seen: Utc::now(),
        last_seen: None,
        deprovisioned_at: None,
        site_key: tabgov_state::SiteKey(1),
        updated_run_id: None,
    };
    let alice = record("u-a", "alice", "Creator", License::Creator);
    let bob = record("u-b", "bob", "Viewer", License::Viewer);
    SiteView {
        key: tabgov_state::SiteKey(1),
        site: "finance".into(),
        accounts: vec![
            ViewAccount {
                record: alice,
                groups: vec![0],
            },
            ViewAccount {
                record: bob,
                groups: Vec::new(),
            },
        ],
        groups: vec![Group {
            id: "g-sales".into(),
            name: "Sales".into(),
            domain: None,
            minimum_site_role: None,
            grant_license_mode: None,
        }],
    }
}

fn line(n: u64, user: &str, kind: EntitlementKind, value: &str, decision: Decision) -> ReviewLine {
    ReviewLine {
        at: Location::Line(n),
        site: "finance".into(),
        user_id: user.into(),
        username: String::new(),
        kind,
        value: value.into(),
        decision,
        comment: format!("row {n}"),
    }
}

#[test]
fn revokes_are_merged_and_keeps_and_blanks_counted() {
    use {Decision::*, EntitlementKind::*};
    let lines = [
        line(2, "u-a", Group, "sales", Revoke),
        line(3, "u-a", Group, "Sales", Revoke),
        line(4, "u-a", SiteRole, "Creator", Keep),
        line(5, "u-b", License, "Viewer", Revoke),
        line(6, "u-b", Account, "bob", Undecided),
    ];
    let sheet = check_against_store(&view(), &lines).unwrap();
    assert_eq!((sheet.kept, sheet.undecided), (1, 1));
    let revokes: Vec<_> = sheet
        .revokes
        .iter()
        .map(|r| {
            (
                r.location(),
                r.user_name.as_str(),
                r.group_id.as_ref().map(GroupId::as_str),
                r.action(),
            )
        })
        .collect();
    assert_eq!(
        revokes,
        [
            (
                "line 2, line 3".to_owned(),
                "alice",
                Some("g-sales"),
                RevokeAction::RemoveMembership
            ),
            ("line 5".to_owned(), "bob", None, RevokeAction::Suspend),
        ]
    );
    assert_eq!(sheet.revokes[0].comments, ["row 2", "row 3"]);
}

#[test]
fn every_bad_row_is_named_with_its_reason() {
    use {Decision::*, EntitlementKind::*};
    let mut other_site = line(6, "u-a", Account, "alice", Keep);
    other_site.site = "marketing".into();
    let mut renamed = line(7, "u-a", Account, "alice", Keep);
    renamed.username = "mallory".into();
    let lines = [
        line(2, "u-a", Group, "Sales", Revoke),
        line(3, "u-a", Group, "Sales", Keep),
        line(4, "u-b", Group, "Sales", Revoke),
        line(5, "u-b", Group, "Finance", Revoke),
        other_site,
        renamed,
        line(8, "u-z", Account, "zed", Revoke),
        line(9, "u-a", SiteRole, "Viewer", Revoke),
        line(10, "u-z", Account, "zed", Undecided),
    ];
    let problems = check_against_store(&view(), &lines).unwrap_err();
    assert_problems(
        &problems,
        &[
            "line 3: contradicts line 2",
            "line 4: entitlement no longer held: bob is not in group 'Sales'",
            "line 5: unknown group 'Finance'",
            "line 6: the row is for site 'marketing'",
            "line 7: user_id u-a is 'alice', not 'mallory'",
            "line 8: unknown user 'u-z'",
            "line 9: entitlement no longer held: alice site role is now Creator, not Viewer",
        ],
    );
}

#[test]
fn roles_and_licences_are_compared_as_roles_and_licences() {
    use {Decision::*, EntitlementKind::*};
    let lines = [
        line(2, "u-a", SiteRole, "creator", Revoke),
        line(3, "u-b", License, "VIEWER", Revoke),
    ];
    let sheet = check_against_store(&view(), &lines).unwrap();
    assert_eq!(sheet.revokes.len(), 2);

    let lines = [
        line(2, "u-a", SiteRole, "SiteAdministratorCreator", Revoke),
        line(3, "u-b", License, "Creator", Revoke),
        line(4, "u-b", SiteRole, "ViewerWithPublish", Revoke),
    ];
    let problems = check_against_store(&view(), &lines).unwrap_err();
    assert_problems(&problems, &[
        "line 2: entitlement no longer held: alice site role is now Creator, not SiteAdministratorCreator",
        "line 3: entitlement no longer held: bob license is now Viewer, not Creator",
        "line 4: entitlement no longer held: bob site role is now Viewer, not ViewerWithPublish",
    ]);
}

/// Each problem, in order, starts with its expected text.
fn assert_problems(problems: &[RowProblem], expected: &[&str]) {
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), expected.len(), "{shown:#?}");
    for (got, want) in shown.iter().zip(expected) {
        assert!(got.starts_with(want), "{got} (wanted {want})");
    }
}
