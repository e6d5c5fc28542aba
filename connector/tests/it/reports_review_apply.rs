//! `tabgov review apply`: a reviewer's decisions carried out against the
//! simulator, journalled with the campaign, or refused whole with the line.

use crate::common;
use crate::review_helpers;

use review_helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_revokes_are_carried_out_and_journalled_with_the_campaign() {
    let env = synced().await;
    let accounts = env.accounts().await;
    let (leaver, group) = pick(&accounts, "Viewer", "");
    let (demoted, _) = pick(&accounts, "Creator", &leaver);
    let mut rows = export(&env).await;
    decide(&mut rows, &leaver, "group", Some(&group), "revoke");
    decide(&mut rows, &demoted, "site_role", None, "Revoke");
    decide(&mut rows, &demoted, "account", None, "keep");
    let sheet = write_sheet(&rows);
    let leaver_id = env.sim.user_by_name(SITE, &leaver).unwrap().id;
    let group_id = env
        .sim
        .groups(SITE)
        .into_iter()
        .find(|g| g.name == group)
        .unwrap()
        .id;

    let dry = apply(&env, &sheet, &["--dry-run", "--campaign", "2026-Q1"])
        .await
        .ok();
    assert_eq!(dry.stdout.matches("planned").count(), 2, "{}", dry.stdout);
    assert!(
        env.sim.user_groups(SITE, &leaver_id).contains(&group_id),
        "a dry run changes nothing"
    );
    assert_eq!(
        env.sim.user_by_name(SITE, &demoted).unwrap().site_role,
        "Creator"
    );
    assert!(journal(&env).await.is_empty());

    let run = apply(
        &env,
        &sheet,
        &["--campaign", "2026-Q1", "--reviewer", "jane.doe"],
    )
    .await
    .ok();
    assert_eq!(run.stdout.matches("completed").count(), 2, "{}", run.stdout);
    assert!(
        !env.sim.user_groups(SITE, &leaver_id).contains(&group_id),
        "membership revoked"
    );
    assert_eq!(
        env.sim.user_by_name(SITE, &demoted).unwrap().site_role,
        "Unlicensed",
        "site role revoked"
    );

    let entries = journal(&env).await;
    let done: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e.intent.action.to_string(),
                e.intent.target_user_name.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        done,
        [
            ("remove_member".into(), leaver.clone()),
            ("suspend".into(), demoted.clone())
        ]
    );
    for e in &entries {
        assert_eq!(e.intent.campaign.as_deref(), Some("2026-Q1"));
        assert_eq!(e.intent.reviewer.as_deref(), Some("jane.doe"));
        assert_eq!(e.state, tabgov_state::JournalState::Completed);
    }
    assert_eq!(entries[0].intent.groups_removed, [group_id]);

    // The store shows it at once.
    let after = env.accounts().await;
    let find = |n: &str| after.iter().find(|a| a["name"] == n).unwrap().clone();
    assert_eq!(find(&demoted)["status"], "Suspended");
    assert!(!find(&leaver)["groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g == group.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sheet_with_a_bad_row_changes_nothing_and_names_the_line() {
    let env = synced().await;
    let accounts = env.accounts().await;
    let (leaver, group) = pick(&accounts, "Viewer", "");
    let (other, other_group) = pick(&accounts, "Explorer", &leaver);
    let leaver_id = env.sim.user_by_name(SITE, &leaver).unwrap().id;
    let group_id = env
        .sim
        .groups(SITE)
        .into_iter()
        .find(|g| g.name == group)
        .unwrap()
        .id;
    let fresh = export(&env).await;

    // A decision that is not one.
    let mut rows = fresh.clone();
    decide(&mut rows, &leaver, "group", Some(&group), "revoke");
    let bad = decide(&mut rows, &other, "site_role", None, "maybe");
    let run = apply(&env, &write_sheet(&rows), &["--campaign", "c"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{}: unknown decision", line_of(bad))),
        "{}",
        run.stderr
    );

    // An entitlement the store says is not held, and an unknown user.
    let mut rows = fresh.clone();
    decide(&mut rows, &leaver, "group", Some(&group), "revoke");
    let held = decide(&mut rows, &other, "site_role", None, "revoke");
    let v = col(&rows, "value");
    rows[held][v] = "Creator".into();
    let ghost = decide(&mut rows, &other, "group", Some(&other_group), "keep");
    let (id_col, name_col) = (col(&rows, "user_id"), col(&rows, "username"));
    rows[ghost][id_col] = "00000000-0000-0000-0000-000000000000".into();
    rows[ghost][name_col] = String::new();
    let run = apply(&env, &write_sheet(&rows), &["--campaign", "c"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{}: entitlement no longer held", line_of(held))),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("{}: unknown user", line_of(ghost))),
        "{}",
        run.stderr
    );

    // A membership Tableau dropped since the export (the store still has it).
    let mut rows = fresh.clone();
    decide(&mut rows, &leaver, "group", Some(&group), "revoke");
    let gone = decide(&mut rows, &other, "group", Some(&other_group), "revoke");
    let other_id = env.sim.user_by_name(SITE, &other).unwrap().id;
    let other_gid = env
        .sim
        .groups(SITE)
        .into_iter()
        .find(|g| g.name == other_group)
        .unwrap()
        .id;
    env.sim.remove_member(SITE, &other_gid, &other_id);
    let run = apply(&env, &write_sheet(&rows), &["--campaign", "c"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{}: entitlement no longer held: Tableau no longer lists",
            line_of(gone)
        )),
        "{}",
        run.stderr
    );

    // None of it changed anything.
    assert!(env.sim.user_groups(SITE, &leaver_id).contains(&group_id));
    assert_eq!(
        env.sim.user_by_name(SITE, &other).unwrap().site_role,
        "Explorer"
    );
    assert!(journal(&env).await.is_empty());
}

/// A sync running when the sheet is applied changes the store: the sheet is
/// checked against the store only once the site's lock is held, so against
/// what that sync wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sheet_is_checked_against_what_a_sync_it_waited_for_wrote() {
    let env = synced().await;
    let accounts = env.accounts().await;
    let (leaver, group) = pick(&accounts, "Viewer", "");
    let leaver_id = env.sim.user_by_name(SITE, &leaver).unwrap().id;
    let group_id = env
        .sim
        .groups(SITE)
        .into_iter()
        .find(|g| g.name == group)
        .unwrap()
        .id;
    let mut rows = export(&env).await;
    let at = decide(&mut rows, &leaver, "group", Some(&group), "revoke");

    // The membership ends in Tableau; a slow sync lists the site meanwhile.
    env.sim.remove_member(SITE, &group_id, &leaver_id);
    env.sim.set_faults(0.0, 0.0, 100);
    let before = env.sim.request_count();
    let conn = env.conn();
    let sync = env
        .command(
            &env.db(),
            &env.sync_args(&conn, &["--concurrency", "1"]),
            &[("TABGOV_PAT_SECRET", common::PAT_SECRET)],
        )
        .spawn()
        .expect("tabgov starts");
    // The sync holds the site's lock from before its first request.
    while env.sim.request_count() == before {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let run = apply(&env, &write_sheet(&rows), &["--campaign", "c"]).await;
    let sync = sync.wait_with_output().await.unwrap();
    env.sim.set_faults(0.0, 0.0, 0);
    assert!(sync.status.success(), "{sync:?}");
    assert!(run.stderr.contains("is running: waiting"), "{}", run.stderr);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let stale = format!(
        "{}: entitlement no longer held: {leaver} is not in group '{group}'",
        line_of(at)
    );
    assert!(run.stderr.contains(&stale), "{}", run.stderr);
    assert!(journal(&env).await.is_empty());
}
