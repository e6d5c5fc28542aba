//! Plans and results as sentences: what `--dry-run` prints is exactly what
//! a real run would do, worded from the same plan.

use tabgov_mapping::{
    Account, DeprovisionPlan, Group, OwnedItem, RestorePlan, SiteRole, Suspension,
};

use super::inventory::Inventory;

/// Joins names as `a, b and c`.
pub fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Group names with the role each grants: `Analysts (grants Explorer)`.
fn granting(groups: &[&Group]) -> Vec<String> {
    groups
        .iter()
        .map(|g| match g.relicenses_to() {
            Some(role) => format!("{} (grants {role})", g.name),
            None => g.name.clone(),
        })
        .collect()
}

/// The warning for a suspension that will not stick: these groups raise
/// an Unlicensed member back on sign-in. `--sticky` leaves them, except
/// "All Users", which nobody can leave.
pub fn relicensing_warning(groups: &[&Group], sticky: bool) -> Option<String> {
    let (fixed, leavable): (Vec<&Group>, Vec<&Group>) =
        groups.iter().partition(|g| g.is_all_users());
    let mut parts = Vec::new();
    if !sticky && !leavable.is_empty() {
        parts.push(format!(
            "member of {} that license(s) the user again on sign-in, so the suspension will not stick; pass --sticky to also remove the user from them",
            names(&granting(&leavable))
        ));
    }
    if sticky {
        parts.extend(directory_sync_warning(&leavable));
    }
    if !fixed.is_empty() {
        parts.push(cannot_leave_warning(&granting(&fixed)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The warning for memberships removed from groups synchronised from a
/// directory (Active Directory, LDAP, an identity provider): the next
/// directory sync adds them back. `None` when no group of `groups` is one.
pub fn directory_sync_warning(groups: &[&Group]) -> Option<String> {
    let synced: Vec<String> = groups
        .iter()
        .filter(|g| g.is_directory_synced())
        .map(|g| format!("{} ({})", g.name, g.domain.as_deref().unwrap_or_default()))
        .collect();
    (!synced.is_empty()).then(|| {
        format!(
            "{} is synchronised from a directory: a membership removed in Tableau comes back at the next directory sync; remove it in the directory as well",
            names(&synced)
        )
    })
}

/// The warning for a `--sticky` suspend of a user who is already
/// Unlicensed but still in `groups` that license on sign-in: `--sticky`
/// leaves groups only while suspending a licensed user.
pub fn still_relicensing(groups: &[&Group]) -> Option<String> {
    let shown: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    (!shown.is_empty()).then(|| format!(
        "already Unlicensed but still in {} that license(s) the user again on sign-in; --sticky only leaves groups while suspending a licensed user, so remove the user from them in Tableau",
        names(&shown)
    ))
}

/// What a suspension cannot undo: every user is in "All Users".
fn cannot_leave_warning(shown: &[String]) -> String {
    format!(
        "{} licenses every user again on sign-in and cannot be left, so the suspension will not stick even with --sticky; change that group's grant in Tableau",
        names(shown)
    )
}

/// A suspension, as `--dry-run` shows it. `leaving` names the groups of
/// `leave_groups`.
pub fn suspend_plan(user: &str, plan: &Suspension, leaving: &[String]) -> String {
    let mut s = format!("would set {user} from {} to Unlicensed", plan.from);
    if !leaving.is_empty() {
        s.push_str(&format!(" and remove them from {}", names(leaving)));
    }
    if !plan.cannot_leave.is_empty() {
        s.push_str(&format!("; {}", cannot_leave_warning(&plan.cannot_leave)));
    }
    s
}

/// A role change done: `Creator -> Unlicensed; left Analysts`, then what
/// could not be done with the groups.
pub fn role_changed(
    from: &SiteRole,
    to: &SiteRole,
    did: &str,
    groups: &[String],
    problems: &[String],
) -> String {
    let mut s = format!("{from} -> {to}");
    if !groups.is_empty() {
        s.push_str(&format!("; {did} {}", names(groups)));
    }
    for problem in problems {
        s.push_str(&format!("; {problem}"));
    }
    s
}

/// A removal done: with a new owner, how many items now verifiably belong
/// to them and which did not arrive.
pub fn removed(heir: Option<&str>, moved: usize, unmoved: &[&OwnedItem]) -> String {
    let mut s = "removed from the site".to_owned();
    if let Some(name) = heir {
        s.push_str(&format!("; {moved} item(s) now owned by {name} (verified)"));
        if !unmoved.is_empty() {
            let labels: Vec<String> = unmoved.iter().map(|i| i.label()).collect();
            s.push_str(&format!(
                "; not owned by {name} after the transfer: {}",
                labels.join(", ")
            ));
        }
    }
    s
}

/// A deprovision plan with the inventory it was made from; `heir` is the
/// new owner of a transfer.
pub fn deprovision_plan(
    user: &str,
    plan: &DeprovisionPlan,
    inventory: &Inventory,
    heir: Option<&Account>,
) -> String {
    let heir = heir.map_or("the new owner", |h| h.name.as_str());
    match plan {
        DeprovisionPlan::Transfer { .. } if inventory.is_empty() => format!(
            "would remove {user} from the site and give {heir} anything Tableau still counts as \
             theirs (no listed content; collections, virtual connections and Recycle Bin items \
             are not listed)",
        ),
        DeprovisionPlan::Transfer { .. } => format!(
            "would remove {user} from the site and give their {} item(s) to {heir} ({})",
            inventory.items.len(),
            inventory.describe()
        ),
        DeprovisionPlan::Remove => format!("would remove {user} from the site (owns no content)"),
        DeprovisionPlan::Refuse { refusal } => format!("{refusal}: {}", inventory.describe()),
        DeprovisionPlan::SuspendInstead { .. } => {
            format!("would suspend {user} instead: {}", inventory.describe())
        }
    }
}

/// A deprovision that suspended instead (`--on-content suspend`), with
/// what the suspend did or would do.
pub fn suspended_instead(inventory: &Inventory, suspend_detail: &str) -> String {
    format!(
        "owns {}, so suspended instead of removed (--on-content suspend): {suspend_detail}",
        inventory.describe()
    )
}

/// A restore plan, as `--dry-run` shows it.
pub fn restore_plan(user: &str, plan: &RestorePlan) -> String {
    match plan {
        RestorePlan::Restore { from, to, rejoin } => {
            let mut s = if from == to {
                format!("would keep {user} at {to}")
            } else {
                format!("would set {user} from {from} back to {to}")
            };
            if !rejoin.is_empty() {
                let shown: Vec<String> = rejoin.iter().map(|g| g.name.clone()).collect();
                s.push_str(&format!(" and add them back to {}", names(&shown)));
            }
            s
        }
        RestorePlan::Noop { reason } => format!("nothing to do: {reason}"),
        RestorePlan::Refuse { refusal } => refusal.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabgov_mapping::{
        ContentKind, GrantLicenseMode, GroupRef, OwnedContent, OwnedItem, Refusal, SiteRole,
    };

    fn inventory() -> Inventory {
        Inventory {
            items: vec![
                OwnedItem {
                    kind: ContentKind::Workbook,
                    id: "w".into(),
                    name: Some("Sales".into()),
                    owner_id: "u".into(),
                },
                OwnedItem {
                    kind: ContentKind::Flow,
                    id: "f".into(),
                    name: Some("Nightly".into()),
                    owner_id: "u".into(),
                },
            ],
        }
    }

    #[test]
    fn joins_names_for_people() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&v(&[])), "");
        assert_eq!(names(&v(&["a"])), "a");
        assert_eq!(names(&v(&["a", "b", "c"])), "a, b and c");
    }

    #[test]
    fn suspend_plans_say_what_changes() {
        let plan = Suspension {
            from: SiteRole::Creator,
            leave_groups: vec!["g1".into()],
            relicensing_groups: vec!["Analysts".into()],
            cannot_leave: vec![],
        };
        assert_eq!(
            suspend_plan("alice", &plan, &["Analysts".into()]),
            "would set alice from Creator to Unlicensed and remove them from Analysts"
        );
        let all_users = Suspension {
            from: SiteRole::Creator,
            leave_groups: vec![],
            relicensing_groups: vec!["All Users".into()],
            cannot_leave: vec!["All Users".into()],
        };
        assert_eq!(
            suspend_plan("alice", &all_users, &[]),
            "would set alice from Creator to Unlicensed; All Users licenses every user again on \
             sign-in and cannot be left, so the suspension will not stick even with --sticky; \
             change that group's grant in Tableau"
        );
    }

    #[test]
    fn done_changes_say_what_moved_and_what_did_not() {
        let (creator, unlicensed) = (SiteRole::Creator, SiteRole::Unlicensed);
        let left = ["A".to_owned(), "B".to_owned()];
        assert_eq!(
            role_changed(&creator, &unlicensed, "left", &left, &[]),
            "Creator -> Unlicensed; left A and B"
        );
        let problem = ["could not rejoin C: refused".to_owned()];
        assert_eq!(
            role_changed(&unlicensed, &creator, "rejoined", &[], &problem),
            "Unlicensed -> Creator; could not rejoin C: refused"
        );
        let inv = inventory();
        assert_eq!(removed(None, 0, &[]), "removed from the site");
        assert_eq!(
            removed(Some("bob"), 1, &[&inv.items[1]]),
            "removed from the site; 1 item(s) now owned by bob (verified); not owned by bob after the transfer: flow:Nightly"
        );
    }

    #[test]
    fn deprovision_plans_show_the_inventory() {
        let inv = inventory();
        let bob = Account::for_test("b-id", "bob", SiteRole::Creator);
        let transfer = DeprovisionPlan::Transfer {
            to: "b-id".into(),
            owned: 2,
        };
        assert_eq!(
            deprovision_plan("alice", &transfer, &inv, Some(&bob)),
            "would remove alice from the site and give their 2 item(s) to bob (1 workbook (Sales), 1 flow (Nightly))"
        );
        let mut owned = OwnedContent::default();
        owned.add(ContentKind::Workbook);
        owned.add(ContentKind::Flow);
        let refuse = DeprovisionPlan::Refuse {
            refusal: Refusal::OwnsContent { owned },
        };
        let text = deprovision_plan("alice", &refuse, &inv, None);
        assert!(text.starts_with("refused: owns 2 item(s)"), "{text}");
        assert!(
            text.ends_with("1 workbook (Sales), 1 flow (Nightly)"),
            "{text}"
        );
        assert_eq!(
            suspended_instead(&inv, "would set alice from Viewer to Unlicensed"),
            "owns 1 workbook (Sales), 1 flow (Nightly), so suspended instead of removed (--on-content suspend): would set alice from Viewer to Unlicensed"
        );
        assert_eq!(
            deprovision_plan(
                "carol",
                &DeprovisionPlan::Remove,
                &Inventory::default(),
                None
            ),
            "would remove carol from the site (owns no content)"
        );
    }

    #[test]
    fn restore_plans_and_relicensing_warnings() {
        let plan = RestorePlan::Restore {
            from: SiteRole::Unlicensed,
            to: SiteRole::Creator,
            rejoin: vec![GroupRef {
                id: "g".into(),
                name: "Analysts".into(),
            }],
        };
        assert_eq!(
            restore_plan("alice", &plan),
            "would set alice from Unlicensed back to Creator and add them back to Analysts"
        );
        let group = Group {
            id: "g".into(),
            name: "Analysts".into(),
            domain: None,
            minimum_site_role: Some(SiteRole::Explorer),
            grant_license_mode: Some(GrantLicenseMode::OnLogin),
        };
        let w = relicensing_warning(&[&group], false).unwrap();
        assert!(w.starts_with("member of Analysts (grants Explorer)"), "{w}");
        assert!(w.contains("--sticky"));
        assert_eq!(relicensing_warning(&[], false), None);
        assert_eq!(
            relicensing_warning(&[&group], true),
            None,
            "--sticky leaves it"
        );
        let all_users = Group {
            id: "all".into(),
            name: "All Users".into(),
            ..group.clone()
        };
        let w = relicensing_warning(&[&all_users, &group], true).unwrap();
        assert!(
            w.starts_with("All Users (grants Explorer) licenses every user again on sign-in and cannot be left"),
            "{w}"
        );
        let synced = Group {
            id: "ad".into(),
            name: "Finance".into(),
            domain: Some("example.com".into()),
            ..group.clone()
        };
        assert_eq!(
            relicensing_warning(&[&synced], true).unwrap(),
            "Finance (example.com) is synchronised from a directory: a membership removed in \
             Tableau comes back at the next directory sync; remove it in the directory as well"
        );
        assert_eq!(directory_sync_warning(&[&group]), None, "a local group");
        let w = relicensing_warning(&[&all_users, &group], false).unwrap();
        assert!(
            w.contains("Analysts (grants Explorer)")
                && w.contains("All Users (grants Explorer) licenses every user"),
            "{w}"
        );
    }
}
