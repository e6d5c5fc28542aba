//! `tabgov deprovision` end to end: the ownership check, the transfer and
//! its verification, the no-op on a user already gone, and suspending a
//! content owner instead.

use crate::action_helpers;
use crate::common;

use std::collections::BTreeSet;

use action_helpers::{account, act, assert_exit, empty_site, journal};
use common::Env;
use tabgov_state::{JournalAction, JournalState};

/// A site where dave owns a workbook (with a view, which is the workbook's
/// and not counted), a data source, a flow and a project, and erin and
/// carol own nothing.
async fn owners() -> Env {
    let env = Env::start(empty_site()).await;
    let dave = env.sim.add_user("", "dave", "Creator");
    env.sim.add_user("", "erin", "Creator");
    env.sim.add_user("", "carol", "Viewer");
    env.sim.give_content("", &dave.id, "workbook", "Sales");
    env.sim.give_content("", &dave.id, "view", "Sales Overview");
    env.sim.give_content("", &dave.id, "datasource", "Orders");
    env.sim.give_content("", &dave.id, "flow", "Nightly Load");
    env.sim
        .give_content("", &dave.id, "project", "Dave's Corner");
    env.sync(&[]).await.ok();
    env
}

fn owned_ids(env: &Env, user_id: &str) -> BTreeSet<String> {
    env.sim
        .owned_content("", user_id)
        .into_iter()
        .map(|c| c.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_content_owner_is_refused_with_the_inventory_then_removed_with_a_transfer() {
    let env = owners().await;
    let dave = env.sim.user_by_name("", "dave").unwrap();
    let erin = env.sim.user_by_name("", "erin").unwrap();
    let before = owned_ids(&env, &dave.id);
    assert_eq!(before.len(), 4);

    let refused = act(&env, "deprovision", &["dave", "--format", "json"]).await;
    assert_exit(&refused, 3);
    let row = &refused.json()[0];
    assert_eq!(row["result"], "refused");
    assert_eq!(row["owned"]["total"], 4, "{row}");
    let items = row["owned_items"].as_array().unwrap();
    assert!(
        !items
            .iter()
            .any(|i| i.as_str().unwrap().starts_with("view:")),
        "a view is its workbook's, never owned content: {row}"
    );
    for name in [
        "workbook:Sales",
        "datasource:Orders",
        "flow:Nightly Load",
        "project:Dave's Corner",
    ] {
        assert!(
            row["owned_items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i == name),
            "{name}: {row}"
        );
    }
    assert!(
        refused.stderr.contains("--transfer-to"),
        "{}",
        refused.stderr
    );
    let still = env
        .sim
        .user("", &dave.id)
        .expect("dave is still on the site");
    assert_eq!(still.site_role, "Creator");
    assert_eq!(
        owned_ids(&env, &dave.id),
        before,
        "nothing changed in Tableau"
    );
    assert!(journal(&env).await.is_empty());

    let run = act(
        &env,
        "deprovision",
        &[
            "dave",
            "--transfer-to",
            "erin@example.com",
            "--format",
            "json",
        ],
    )
    .await
    .ok();
    let row = &run.json()[0];
    assert_eq!(row["result"], "completed", "{row}");
    assert_eq!(row["transfer_to"], erin.id.as_str());
    assert!(
        row["detail"]
            .as_str()
            .unwrap()
            .contains("4 item(s) now owned by erin (verified)"),
        "{row}"
    );
    assert!(env.sim.user("", &dave.id).is_none(), "dave is gone");
    let erins = owned_ids(&env, &erin.id);
    assert!(
        before.is_subset(&erins),
        "every item moved to erin: {before:?} vs {erins:?}"
    );

    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (&e.intent.action, e.state),
        (&JournalAction::Deprovision, JournalState::Completed)
    );
    assert_eq!(
        e.intent.transfer_to.as_ref().map(|id| id.as_str()),
        Some(erin.id.as_str())
    );
    let stored = account(&env, "dave").await.unwrap();
    assert_eq!(stored["status"], "Deprovisioned");
    assert_eq!(account(&env, "erin").await.unwrap()["owned_content"], 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_content_is_removed_and_a_second_run_is_a_noop() {
    let env = owners().await;
    let carol = env.sim.user_by_name("", "carol").unwrap();
    let run = act(
        &env,
        "deprovision",
        &["carol", "--reason", "left", "--format", "json"],
    )
    .await
    .ok();
    assert_eq!(run.json()[0]["result"], "completed", "{}", run.stdout);
    assert!(env.sim.user("", &carol.id).is_none());
    assert_eq!(
        account(&env, "carol").await.unwrap()["status"],
        "Deprovisioned"
    );

    for who in ["carol", carol.id.as_str()] {
        let again = act(&env, "deprovision", &[who, "--format", "json"])
            .await
            .ok();
        let row = &again.json()[0];
        assert_eq!(row["result"], "noop", "{row}");
        assert!(
            row["detail"].as_str().unwrap().contains("not on the site"),
            "{row}"
        );
    }
    let states: Vec<JournalState> = journal(&env).await.iter().map(|e| e.state).collect();
    assert_eq!(
        states,
        [
            JournalState::Completed,
            JournalState::Noop,
            JournalState::Noop
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_content_suspend_suspends_the_owner_instead() {
    let env = owners().await;
    let dave = env.sim.user_by_name("", "dave").unwrap();
    let run = act(
        &env,
        "deprovision",
        &["dave", "--on-content", "suspend", "--format", "json"],
    )
    .await
    .ok();
    let row = &run.json()[0];
    assert_eq!(
        (row["requested"].as_str(), row["action"].as_str()),
        (Some("deprovision"), Some("suspend"))
    );
    assert_eq!(row["result"], "completed", "{row}");
    assert!(
        row["detail"]
            .as_str()
            .unwrap()
            .contains("suspended instead of removed"),
        "{row}"
    );
    let still = env.sim.user("", &dave.id).expect("kept");
    assert_eq!(still.site_role, "Unlicensed");
    assert_eq!(
        owned_ids(&env, &dave.id).len(),
        4,
        "the content stays dave's"
    );
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].intent.action, JournalAction::Suspend);
    assert_eq!(account(&env, "dave").await.unwrap()["status"], "Suspended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_plans_the_transfer_and_changes_nothing() {
    let env = owners().await;
    let dave = env.sim.user_by_name("", "dave").unwrap();
    let before_tableau = env.sim.users("");
    let before_store = env.accounts().await;
    let before_owned = owned_ids(&env, &dave.id);

    let run = act(
        &env,
        "deprovision",
        &[
            "dave",
            "carol",
            "--transfer-to",
            "erin",
            "--dry-run",
            "--format",
            "json",
        ],
    )
    .await
    .ok();
    let rows = run.json();
    assert_eq!(rows[0]["result"], "planned");
    assert!(
        rows[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("would remove dave from the site and give their 4 item(s) to erin"),
        "{rows}"
    );
    assert!(
        rows[1]["detail"]
            .as_str()
            .unwrap()
            .starts_with("would remove carol from the site and give erin anything Tableau still counts as theirs"),
        "a named new owner is always passed on: {rows}"
    );
    assert_eq!(
        rows[1]["transfer_to"],
        env.sim.user_by_name("", "erin").unwrap().id.as_str()
    );
    assert!(
        run.stderr.contains("dry run: nothing was changed"),
        "{}",
        run.stderr
    );

    assert_eq!(env.sim.users(""), before_tableau);
    assert_eq!(owned_ids(&env, &dave.id), before_owned);
    assert_eq!(env.accounts().await, before_store);
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_targets_must_be_on_the_site_and_not_leaving() {
    let env = owners().await;
    let bad = act(&env, "deprovision", &["dave", "--transfer-to", "ghost"]).await;
    assert_exit(&bad, 2);
    assert!(
        bad.stderr
            .contains("transfer_to 'ghost' is not a user on the site"),
        "{}",
        bad.stderr
    );
    let bad = act(
        &env,
        "deprovision",
        &["dave", "erin", "--transfer-to", "erin"],
    )
    .await;
    assert_exit(&bad, 2);
    assert!(
        bad.stderr.contains("is the user being removed"),
        "{}",
        bad.stderr
    );
    assert!(
        bad.stderr.contains("is itself deprovisioned"),
        "{}",
        bad.stderr
    );
    assert_eq!(env.sim.users("").len(), 4, "nobody was removed");
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_of_only_a_custom_view_or_data_alert_are_refused_or_handed_over() {
    let env = Env::start(empty_site()).await;
    let cara = env.sim.add_user("", "cara", "Viewer");
    let dan = env.sim.add_user("", "dan", "Viewer");
    let erin = env.sim.add_user("", "erin", "Creator");
    let other = env.sim.add_user("", "other", "Creator");
    env.sim.give_content("", &other.id, "workbook", "Stock");
    let view = env
        .sim
        .give_content("", &cara.id, "customView", "My Filters");
    let alert = env.sim.give_content("", &dan.id, "dataAlert", "Low stock");
    env.sync(&[]).await.ok();

    let refused = act(&env, "deprovision", &["dan", "--format", "json"]).await;
    assert_exit(&refused, 3);
    let row = &refused.json()[0];
    assert_eq!(row["result"], "refused", "{row}");
    assert_eq!(row["owned"]["data_alerts"], 1, "{row}");
    assert_eq!(
        row["owned_items"],
        serde_json::json!(["dataAlert:Low stock"])
    );
    assert_eq!(env.sim.user("", &dan.id).unwrap().site_role, "Viewer");
    assert!(env.sim.removals().is_empty(), "nothing was sent");

    for (who, item) in [("cara", &view), ("dan", &alert)] {
        let run = act(
            &env,
            "deprovision",
            &[who, "--transfer-to", "erin", "--format", "json"],
        )
        .await
        .ok();
        let row = &run.json()[0];
        assert_eq!(row["result"], "completed", "{row}");
        assert!(
            row["detail"]
                .as_str()
                .unwrap()
                .contains("1 item(s) now owned by erin (verified)"),
            "{row}"
        );
        let erins: BTreeSet<String> = owned_ids(&env, &erin.id);
        assert!(erins.contains(&item.id), "{who}'s item moved: {erins:?}");
    }
    assert_eq!(
        env.sim.removals(),
        [
            (cara.id.clone(), Some(erin.id.clone())),
            (dan.id.clone(), Some(erin.id.clone()))
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_heir_is_passed_on_even_when_no_listing_shows_content() {
    let env = owners().await;
    let carol = env.sim.user_by_name("", "carol").unwrap();
    let erin = env.sim.user_by_name("", "erin").unwrap();
    let run = act(
        &env,
        "deprovision",
        &["carol", "--transfer-to", "erin", "--format", "json"],
    )
    .await
    .ok();
    assert_eq!(run.json()[0]["result"], "completed", "{}", run.stdout);
    assert_eq!(
        env.sim.removals(),
        [(carol.id.clone(), Some(erin.id.clone()))],
        "mapAssetsTo names erin: collections, virtual connections and the \
         Recycle Bin are not listed but still block a removal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_ignoring_owned_by_does_not_make_others_content_the_users() {
    let env = owners().await;
    env.sim.ignore_owner_flags(true);
    let carol = env.sim.user_by_name("", "carol").unwrap();
    let run = act(&env, "deprovision", &["carol", "--format", "json"])
        .await
        .ok();
    let row = &run.json()[0];
    assert_eq!(row["result"], "completed", "{row}");
    assert_eq!(row["owned"]["total"], 0, "{row}");
    assert!(env.sim.user("", &carol.id).is_none());
}
