//! The safety rails and the journal's crash recovery, end to end: never
//! the connector's own account, never the last site administrator, big
//! batches need --yes, --dry-run changes nothing, and an attempt killed
//! between the Tableau call and the journal's outcome is settled by the
//! next one.

use crate::action_helpers;
use crate::common;

use action_helpers::{account, act, act_env, assert_exit, empty_site, journal, sites};
use common::Env;
use tabgov_mapping::SiteRole;
use tabgov_state::{JournalAction, JournalState};

const CRASH: &str = "TABGOV_TEST_CRASH_AFTER_TABLEAU_CALL";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connectors_own_account_is_never_acted_on() {
    let env = Env::start(empty_site()).await;
    env.sim.add_user("", "boss", "SiteAdministratorCreator");
    for command in ["suspend", "deprovision"] {
        let run = act(&env, command, &["admin"]).await;
        assert_exit(&run, 3);
        assert!(
            run.stderr.contains("the account tabgov signs in with"),
            "{}",
            run.stderr
        );
    }
    let admin = env.sim.user_by_name("", "admin").unwrap();
    assert_eq!(admin.site_role, "SiteAdministratorCreator");
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_site_administrator_is_never_suspended_or_removed() {
    let env = Env::start(empty_site()).await;
    // tabgov signs in as `admin`; make it a plain Creator so `boss` is the
    // only site administrator left.
    let admin = env.sim.user_by_name("", "admin").unwrap();
    env.sim.set_site_role("", &admin.id, "Creator");
    let boss = env.sim.add_user("", "boss", "SiteAdministratorExplorer");
    for command in ["suspend", "deprovision"] {
        let run = act(&env, command, &["boss"]).await;
        assert_exit(&run, 3);
        assert!(
            run.stderr.contains("last site administrator"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        env.sim.user("", &boss.id).unwrap().site_role,
        "SiteAdministratorExplorer"
    );

    // With a second administrator, one of them may go, but not both at once.
    let deputy = env.sim.add_user("", "deputy", "SiteAdministratorCreator");
    let both = act(&env, "suspend", &["boss", "deputy", "--format", "json"]).await;
    assert_exit(&both, 3);
    let rows = both.json();
    let results: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["refused", "refused"]);
    act(&env, "suspend", &["deputy"]).await.ok();
    assert_eq!(
        env.sim.user("", &deputy.id).unwrap().site_role,
        "Unlicensed"
    );
    assert_eq!(
        env.sim.user("", &boss.id).unwrap().site_role,
        "SiteAdministratorExplorer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_over_max_actions_need_yes() {
    let env = Env::start(empty_site()).await;
    let users: Vec<_> = (1..=3)
        .map(|n| env.sim.add_user("", &format!("temp{n}"), "Viewer"))
        .collect();
    let run = act(
        &env,
        "suspend",
        &["temp1", "temp2", "temp3", "--max-actions", "2"],
    )
    .await;
    assert_exit(&run, 3);
    assert!(
        run.stderr.contains("3 targets exceed --max-actions 2") && run.stderr.contains("--yes"),
        "{}",
        run.stderr
    );
    assert!(users
        .iter()
        .all(|u| env.sim.user("", &u.id).unwrap().site_role == "Viewer"));
    assert!(journal(&env).await.is_empty());

    act(
        &env,
        "suspend",
        &["temp1", "temp2", "temp3", "--max-actions", "2", "--yes"],
    )
    .await
    .ok();
    assert!(users
        .iter()
        .all(|u| env.sim.user("", &u.id).unwrap().site_role == "Unlicensed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_changes_nothing_in_tableau_or_the_store() {
    let env = Env::start(empty_site()).await;
    let grant = env
        .sim
        .add_group("", "Grant", Some("Explorer"), Some("onLogin"));
    let alice = env.sim.add_user("", "alice", "Creator");
    env.sim.add_member("", &grant.id, &alice.id);

    // Never synced: not even a site row appears.
    let run = act(
        &env,
        "suspend",
        &["alice", "--sticky", "--dry-run", "--format", "json"],
    )
    .await
    .ok();
    let row = &run.json()[0];
    assert_eq!(row["result"], "planned");
    assert_eq!(
        row["detail"],
        "would set alice from Creator to Unlicensed and remove them from Grant"
    );
    assert!(sites(&env).await.is_empty());

    env.sync(&[]).await.ok();
    let tableau = env.sim.users("");
    let store = env.accounts().await;
    act(&env, "suspend", &["alice", "--sticky", "--dry-run"])
        .await
        .ok();
    act(&env, "deprovision", &["alice", "--dry-run"]).await.ok();
    assert_eq!(env.sim.users(""), tableau);
    assert!(env.sim.user_groups("", &alice.id).contains(&grant.id));
    assert_eq!(env.accounts().await, store);
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspend_killed_after_the_tableau_call_is_settled_by_the_next_attempt() {
    let env = Env::start(empty_site()).await;
    let grant = env
        .sim
        .add_group("", "Grant", Some("Explorer"), Some("onLogin"));
    let alice = env.sim.add_user("", "alice", "Creator");
    env.sim.add_member("", &grant.id, &alice.id);
    env.sync(&[]).await.ok();

    let killed = act_env(
        &env,
        "suspend",
        &["alice", "--sticky", "--reason", "leaver"],
        &[(CRASH, "suspend")],
    )
    .await;
    assert_ne!(killed.code, 0, "the process was aborted: {}", killed.stderr);
    assert_eq!(
        env.sim.user("", &alice.id).unwrap().site_role,
        "Unlicensed",
        "Tableau changed"
    );
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].state,
        JournalState::Intent,
        "the outcome was never written"
    );
    assert_eq!(
        account(&env, "alice").await.unwrap()["site_role"],
        "Creator"
    );

    let again = act(&env, "suspend", &["alice", "--sticky", "--format", "json"])
        .await
        .ok();
    assert_eq!(again.json()[0]["result"], "completed", "{}", again.stdout);
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1, "one entry: {entries:?}");
    let e = &entries[0];
    assert_eq!(
        (&e.intent.action, e.state),
        (&JournalAction::Suspend, JournalState::Completed)
    );
    assert_eq!(e.intent.previous_site_role, Some(SiteRole::Creator));
    assert_eq!(e.intent.reason.as_deref(), Some("leaver"));
    assert!(!env.sim.user_groups("", &alice.id).contains(&grant.id));
    assert_eq!(
        account(&env, "alice").await.unwrap()["site_role"],
        "Unlicensed"
    );

    act(&env, "restore", &["alice"]).await.ok();
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Creator");
    assert!(env.sim.user_groups("", &alice.id).contains(&grant.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deprovision_killed_after_the_tableau_call_is_settled_by_the_next_attempt() {
    let env = Env::start(empty_site()).await;
    let dave = env.sim.add_user("", "dave", "Explorer");
    let erin = env.sim.add_user("", "erin", "Creator");
    env.sim.give_content("", &dave.id, "workbook", "Sales");
    env.sync(&[]).await.ok();

    let args = ["dave", "--transfer-to", "erin"];
    let killed = act_env(&env, "deprovision", &args, &[(CRASH, "1")]).await;
    assert_ne!(killed.code, 0, "{}", killed.stderr);
    assert!(env.sim.user("", &dave.id).is_none(), "Tableau removed dave");
    assert_eq!(journal(&env).await[0].state, JournalState::Intent);
    assert_eq!(account(&env, "dave").await.unwrap()["status"], "Active");

    let again = act(&env, "deprovision", &args).await.ok();
    assert!(
        again.stdout.contains("settled the interrupted deprovision"),
        "{}",
        again.stdout
    );
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].state, JournalState::Completed);
    assert_eq!(
        account(&env, "dave").await.unwrap()["status"],
        "Deprovisioned"
    );
    assert_eq!(account(&env, "erin").await.unwrap()["owned_content"], 1);
    assert_eq!(env.sim.owned_content("", &erin.id).len(), 1);
}
