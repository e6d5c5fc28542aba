//! What Tableau says about where users and groups come from: a user's
//! identity provider, external id, language and locale are stored and shown
//! by `accounts --format json`; a group synchronised from a directory is
//! shown as such by `groups`, and every action that removes a membership
//! from it warns that the next directory sync adds it back.

use crate::action_helpers;
use crate::common;
use crate::review_helpers;

use action_helpers::{act, empty_site};
use common::Env;
use review_helpers::{apply, decide, export, write_sheet};
use tableau_sim::SimIdentity;

async fn site() -> Env {
    let env = Env::start(empty_site()).await;
    let dora = env.sim.add_user("", "dora", "Creator");
    env.sim.set_identity(
        "",
        &dora.id,
        SimIdentity {
            idp_configuration_id: Some("5b6a9c43-idp".into()),
            external_auth_user_id: Some("00u1dora".into()),
            language: Some("fr".into()),
            locale: Some("fr_FR".into()),
        },
    );
    env.sim.add_user("", "local.lou", "Viewer");
    let finance = env
        .sim
        .add_group("", "Finance", Some("Explorer"), Some("onSync"));
    env.sim.set_group_grant(
        "",
        &finance.id,
        Some("Explorer"),
        Some("onSync"),
        "example.com",
    );
    env.sim.add_member("", &finance.id, &dora.id);
    let readers = env.sim.add_group("", "Readers", None, None);
    env.sim.add_member("", &readers.id, &dora.id);
    env.sync(&[]).await.ok();
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_attributes_are_stored_and_shown() {
    let env = site().await;
    let accounts = env.accounts().await;
    let dora = accounts.iter().find(|a| a["name"] == "dora").unwrap();
    assert_eq!(dora["idp_configuration_id"], "5b6a9c43-idp", "{dora}");
    assert_eq!(dora["external_auth_user_id"], "00u1dora");
    assert_eq!(dora["language"], "fr");
    assert_eq!(dora["locale"], "fr_FR");
    let lou = accounts.iter().find(|a| a["name"] == "local.lou").unwrap();
    assert!(
        lou["external_auth_user_id"].is_null(),
        "an empty externalAuthUserId is absent: {lou}"
    );

    // A change at the identity provider reaches the store at the next sync.
    let id = env.sim.user_by_name("", "dora").unwrap().id;
    env.sim.set_identity(
        "",
        &id,
        SimIdentity {
            locale: Some("de_DE".into()),
            ..SimIdentity::default()
        },
    );
    env.sync(&[]).await.ok();
    let accounts = env.accounts().await;
    let dora = accounts.iter().find(|a| a["name"] == "dora").unwrap();
    assert_eq!(dora["locale"], "de_DE");
    assert!(dora["idp_configuration_id"].is_null(), "{dora}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_groups_are_shown_and_removals_from_them_warn() {
    let env = site().await;
    let run = env.tabgov(&["groups", "--format", "json"]).await.ok();
    let groups = run.json();
    let by_name = |n: &str| {
        groups
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("Finance")["directory_synced"], true);
    assert_eq!(by_name("Finance")["domain"], "example.com");
    assert_eq!(by_name("Finance")["minimum_site_role"], "Explorer");
    assert_eq!(by_name("Readers")["directory_synced"], false);
    let table = env.tabgov(&["groups"]).await.ok();
    assert!(
        table.stdout.contains("directory_synced"),
        "{}",
        table.stdout
    );

    // Review apply: the plan and the result warn.
    let mut rows = export(&env).await;
    decide(&mut rows, "dora", "group", Some("Finance"), "revoke");
    let sheet = write_sheet(&rows);
    for extra in [&["--dry-run"][..], &[]] {
        let run = apply(&env, &sheet, extra).await.ok();
        assert!(
            run.stdout
                .contains("Finance (example.com) is synchronised from a directory"),
            "{extra:?}: {}",
            run.stdout
        );
    }

    // A sticky suspend leaving the directory group warns too.
    env.sim.add_member(
        "",
        &env.sim
            .groups("")
            .into_iter()
            .find(|g| g.name == "Finance")
            .unwrap()
            .id,
        &env.sim.user_by_name("", "dora").unwrap().id,
    );
    let run = act(&env, "suspend", &["dora", "--sticky", "--format", "json"])
        .await
        .ok();
    let row = &run.json()[0];
    assert_eq!(row["groups"], serde_json::json!(["Finance"]), "{row}");
    assert!(
        row["warnings"].as_array().unwrap().iter().any(|w| w
            .as_str()
            .unwrap()
            .contains("comes back at the next directory sync")),
        "{row}"
    );
}
