//! `tabgov suspend` and `tabgov restore` end to end: the real binary over
//! HTTP against the simulator, journalled into a real SQLite file.

use crate::action_helpers;
use crate::common;

use action_helpers::{account, act, assert_exit, empty_site, journal, sites};
use common::Env;
use tabgov_mapping::SiteRole;
use tabgov_state::{JournalAction, JournalState};
use tableau_sim::SimConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspending_a_creator_journals_the_role_and_restore_brings_it_back() {
    let env = Env::start(empty_site()).await;
    let alice = env.sim.add_user("", "alice", "Creator");
    env.sim.add_user("", "bob", "Viewer");
    env.sync(&[]).await.ok();

    let run = act(
        &env,
        "suspend",
        &[
            "alice",
            "--reason",
            "left the company",
            "--ticket",
            "HR-1",
            "--actor",
            "ops",
            "--format",
            "json",
        ],
    )
    .await
    .ok();
    let rows = run.json();
    assert_eq!(rows[0]["result"], "completed", "{rows}");
    assert_eq!(rows[0]["previous_role"], "Creator");
    assert_eq!(rows[0]["new_role"], "Unlicensed");
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Unlicensed");

    let entries = journal(&env).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!(e.intent.action, JournalAction::Suspend);
    assert_eq!(e.state, JournalState::Completed);
    assert_eq!(e.intent.target_user_id, alice.id);
    assert_eq!(e.intent.target_user_name.as_deref(), Some("alice"));
    assert_eq!(e.intent.previous_site_role, Some(SiteRole::Creator));
    assert_eq!(e.intent.new_site_role, Some(SiteRole::Unlicensed));
    assert_eq!(
        (
            e.intent.actor.as_deref(),
            e.intent.reason.as_deref(),
            e.intent.ticket.as_deref()
        ),
        (Some("ops"), Some("left the company"), Some("HR-1"))
    );
    assert!(!e.intent.dry_run && e.completed_at.is_some());

    // The store shows the suspension without a re-sync.
    let stored = account(&env, "alice").await.unwrap();
    assert_eq!(
        (
            stored["site_role"].as_str(),
            stored["status"].as_str(),
            stored["license"].as_str()
        ),
        (Some("Unlicensed"), Some("Suspended"), Some("Unlicensed"))
    );

    // A second suspend is a journalled no-op.
    let again = act(&env, "suspend", &["alice", "--format", "json"])
        .await
        .ok();
    assert_eq!(again.json()[0]["result"], "noop");
    let entries = journal(&env).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].state, JournalState::Noop);
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Unlicensed");

    // Restore brings Creator back, in Tableau and in the store.
    let restored = act(&env, "restore", &["alice", "--format", "json"])
        .await
        .ok();
    assert_eq!(
        restored.json()[0]["result"],
        "completed",
        "{}",
        restored.stdout
    );
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Creator");
    assert_eq!(
        account(&env, "alice").await.unwrap()["site_role"],
        "Creator"
    );
    let entries = journal(&env).await;
    let last = entries.last().unwrap();
    assert_eq!(
        (
            &last.intent.action,
            last.state,
            last.intent.new_site_role.clone()
        ),
        (
            &JournalAction::Restore,
            JournalState::Completed,
            Some(SiteRole::Creator)
        )
    );
    let again = act(&env, "restore", &["alice", "--format", "json"])
        .await
        .ok();
    assert_eq!(again.json()[0]["result"], "noop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_licence_group_warns_and_sticky_makes_the_suspension_stick() {
    let env = Env::start(empty_site()).await;
    let analysts = env
        .sim
        .add_group("", "Analysts", Some("Explorer"), Some("onLogin"));
    let plain = env.sim.add_group("", "Readers", None, None);
    let bob = env.sim.add_user("", "bob", "Creator");
    env.sim.add_member("", &analysts.id, &bob.id);
    env.sim.add_member("", &plain.id, &bob.id);
    env.sync(&[]).await.ok();

    let run = act(&env, "suspend", &["bob", "--format", "json"])
        .await
        .ok();
    assert!(
        run.stderr.contains("warning: bob") && run.stderr.contains("Analysts (grants Explorer)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Readers"), "{}", run.stderr);
    assert_eq!(run.json()[0]["warnings"].as_array().unwrap().len(), 1);
    assert_eq!(env.sim.user("", &bob.id).unwrap().site_role, "Unlicensed");
    // The warning was right: signing in licenses bob again.
    env.sim.interactive_sign_in("", &bob.id);
    assert_eq!(env.sim.user("", &bob.id).unwrap().site_role, "Explorer");

    let run = act(&env, "suspend", &["bob", "--sticky", "--format", "json"])
        .await
        .ok();
    let row = &run.json()[0];
    assert_eq!(row["result"], "completed", "{row}");
    assert_eq!(row["groups"], serde_json::json!(["Analysts"]));
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let groups = env.sim.user_groups("", &bob.id);
    assert!(
        !groups.contains(&analysts.id) && groups.contains(&plain.id),
        "{groups:?}"
    );
    env.sim.interactive_sign_in("", &bob.id);
    assert_eq!(
        env.sim.user("", &bob.id).unwrap().site_role,
        "Unlicensed",
        "sticky"
    );
    let stored = account(&env, "bob").await.unwrap();
    assert_eq!(stored["groups"], serde_json::json!(["Readers"]), "{stored}");
    let last = journal(&env).await.pop().unwrap();
    assert_eq!(last.intent.groups_removed, vec![analysts.id.clone()]);
    assert_eq!(last.intent.previous_site_role, Some(SiteRole::Explorer));

    // Restore puts the role of the last suspend and the membership back.
    let run = act(&env, "restore", &["bob", "--format", "json"])
        .await
        .ok();
    assert_eq!(
        run.json()[0]["groups"],
        serde_json::json!(["Analysts"]),
        "{}",
        run.stdout
    );
    assert!(env.sim.user_groups("", &bob.id).contains(&analysts.id));
    assert_eq!(env.sim.user("", &bob.id).unwrap().site_role, "Explorer");
    let stored = account(&env, "bob").await.unwrap();
    assert_eq!(
        stored["groups"],
        serde_json::json!(["Analysts", "Readers"]),
        "{stored}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actions_resolve_by_email_and_id_on_a_site_never_synced() {
    let env = Env::start(empty_site()).await;
    let carol = env.sim.add_user("", "carol", "Explorer");
    let dan = env.sim.add_user("", "dan", "Viewer");

    act(&env, "suspend", &["CAROL@example.com", &dan.id])
        .await
        .ok();
    assert_eq!(env.sim.user("", &carol.id).unwrap().site_role, "Unlicensed");
    assert_eq!(env.sim.user("", &dan.id).unwrap().site_role, "Unlicensed");
    let entries = journal(&env).await;
    let targets: Vec<&str> = entries
        .iter()
        .map(|e| e.intent.target_user_id.as_str())
        .collect();
    assert_eq!(targets, [carol.id.as_str(), dan.id.as_str()]);
    assert!(entries.iter().all(|e| e.state == JournalState::Completed));
    // The site row was added for the journal; no account rows were made up.
    assert_eq!(sites(&env).await.len(), 1);
    assert!(env.accounts().await.is_empty());

    act(&env, "restore", &["carol"]).await.ok();
    assert_eq!(env.sim.user("", &carol.id).unwrap().site_role, "Explorer");

    let unknown = act(&env, "suspend", &["nobody@example.com", "carol"]).await;
    assert_exit(&unknown, 2);
    assert!(
        unknown.stderr.contains("no user 'nobody@example.com'"),
        "{}",
        unknown.stderr
    );
    assert_eq!(
        env.sim.user("", &carol.id).unwrap().site_role,
        "Explorer",
        "nothing changed"
    );
}

/// Runs tabgov signed in as the simulator's connected app (scopes enforced).
async fn jwt(env: &Env, args: &[&str]) -> common::Run {
    let base_url = env.sim.base_url();
    let conn = [
        "--server",
        base_url.as_str(),
        "--site",
        "",
        "--jwt-client-id",
        "client-1",
        "--jwt-secret-id",
        "kid-1",
        "--jwt-username",
        "admin",
    ];
    let all: Vec<&str> = args.iter().chain(conn.iter()).copied().collect();
    env.tabgov_env(&all, &[("TABGOV_JWT_SECRET", "app-secret")])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connected_app_needs_only_the_least_scopes() {
    let config = empty_site().connected_app("client-1", "kid-1", "app-secret");
    let env = Env::start(config).await;
    let erin = env.sim.add_user("", "erin", "Creator");
    let grant = env
        .sim
        .add_group("", "Grant", Some("Creator"), Some("onLogin"));
    env.sim.add_member("", &grant.id, &erin.id);
    let frank = env.sim.add_user("", "frank", "Viewer");
    jwt(&env, &["suspend", "erin", "--sticky"]).await.ok();
    assert_eq!(env.sim.user("", &erin.id).unwrap().site_role, "Unlicensed");
    jwt(&env, &["restore", "erin"]).await.ok();
    assert!(env.sim.user_groups("", &erin.id).contains(&grant.id));
    jwt(&env, &["deprovision", "frank"]).await.ok();
    assert!(env.sim.user("", &frank.id).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_larger_seeded_site_suspends_one_user_among_many() {
    let env = Env::start(SimConfig::new().users(300).groups(10).seed(3)).await;
    env.sync(&[]).await.ok();
    let target = env
        .sim
        .users("")
        .into_iter()
        .find(|u| u.site_role == "Viewer")
        .unwrap();
    let email = target.email.clone().unwrap();
    act(&env, "suspend", &[&email]).await.ok();
    let after = env.sim.users("");
    assert_eq!(
        after.iter().find(|u| u.id == target.id).unwrap().site_role,
        "Unlicensed"
    );
    let stored = account(&env, &target.name).await.unwrap();
    assert_eq!(stored["status"], "Suspended");
}
