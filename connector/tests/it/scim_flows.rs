//! The SCIM face's writes end to end, in the request shapes Okta and
//! Microsoft Entra ID send: create, deactivate (`active` as a boolean or
//! the string "False"), reactivate, group push, delete; each ends with the
//! simulator and the journal in the expected state.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tabgov_state::{JournalAction, JournalState};

use crate::action_helpers::{empty_site, journal};
use crate::common::serve::{ServeConfig, Served};
use crate::common::Env;
use crate::serve_webhooks::{got, receiver};

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const TABLEAU_USER: &str = "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User";

async fn started(env: &Env, site_extra: &str) -> Served {
    let served = env
        .serve(ServeConfig {
            site_extra: site_extra.to_owned(),
            ..ServeConfig::default()
        })
        .await;
    served.wait_for_success(0).await;
    served
}

#[tokio::test]
async fn okta_creates_deactivates_reactivates_and_deletes_a_user() {
    let env = Env::start(empty_site()).await;
    env.sim
        .add_user("", "admin-two", "SiteAdministratorCreator");
    let served = started(&env, "").await;

    // Okta's create: name parts, a primary work email, its own id.
    let created = served
        .scim(
            Method::POST,
            "/Users",
            Some(json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "new.person@example.com",
                "name": {"givenName": "New", "familyName": "Person"},
                "emails": [{"primary": true, "value": "new.person@example.com", "type": "work"}],
                "displayName": "New Person",
                "locale": "en-US",
                "externalId": "00u1okta",
                "groups": [],
                "password": "ignored-by-tabgov",
                "active": true
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let user = created.json();
    let id = user["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.headers["location"].to_str().unwrap(),
        user["meta"]["location"].as_str().unwrap()
    );
    assert_eq!(user["active"], true);
    assert_eq!(user["externalId"], "00u1okta");
    assert_eq!(
        user[TABLEAU_USER]["siteRole"], "Viewer",
        "the site's default role"
    );
    let in_sim = env.sim.user("", &id).expect("Tableau has the user");
    assert_eq!(in_sim.name, "new.person@example.com");
    assert_eq!(in_sim.full_name.as_deref(), Some("New Person"));
    assert_eq!(in_sim.email.as_deref(), Some("new.person@example.com"));
    assert_eq!(in_sim.site_role, "Viewer");

    // Okta finds it again by userName, then by its externalId.
    let found = served
        .scim(
            Method::GET,
            "/Users?filter=userName%20eq%20%22new.person%40example.com%22",
            None,
        )
        .await
        .json();
    assert_eq!(found["totalResults"], 1);
    let by_external = served
        .scim(
            Method::GET,
            "/Users?filter=externalId%20eq%20%2200u1okta%22",
            None,
        )
        .await
        .json();
    assert_eq!(by_external["Resources"][0]["id"], id.as_str());

    // The same name again: 409 uniqueness, nothing added.
    let again = served
        .scim(
            Method::POST,
            "/Users",
            Some(json!({"userName": "NEW.person@example.com"})),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.json()["scimType"], "uniqueness");

    // Deactivate, Okta's way: a value object without a path.
    let patch = |active: serde_json::Value| json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": active}}]});
    let off = served
        .scim(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch(json!(false))),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert_eq!(off.json()["active"], false);
    assert_eq!(env.sim.user("", &id).unwrap().site_role, "Unlicensed");

    let on = served
        .scim(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch(json!(true))),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.body);
    assert_eq!(on.json()["active"], true);
    assert_eq!(
        env.sim.user("", &id).unwrap().site_role,
        "Viewer",
        "the role before"
    );

    let gone = served
        .scim(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    assert!(env.sim.user("", &id).is_none());
    let after = served
        .scim(Method::GET, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(after.status, 404);

    let entries = journal(&env).await;
    let done: Vec<(JournalAction, JournalState)> = entries
        .iter()
        .filter(|e| e.intent.target_user_id.as_str() == id)
        .map(|e| (e.intent.action.clone(), e.state))
        .collect();
    for action in [
        JournalAction::Suspend,
        JournalAction::Restore,
        JournalAction::Deprovision,
    ] {
        assert!(
            done.contains(&(action.clone(), JournalState::Completed)),
            "{action:?} journalled: {done:?}"
        );
    }
    assert!(entries
        .iter()
        .filter(|e| e.intent.target_user_id.as_str() == id)
        .all(|e| e.intent.actor.as_deref() == Some("scim:okta")));
}

#[tokio::test]
async fn entra_sends_strings_for_active_and_paths_for_everything() {
    let env = Env::start(empty_site()).await;
    env.sim
        .add_user("", "admin-two", "SiteAdministratorCreator");
    let served = started(&env, "").await;
    let created = served
        .scim(
            Method::POST,
            "/Users",
            Some(json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", TABLEAU_USER],
                "externalId": "8c1f-entra",
                "userName": "ada@example.com",
                "active": "True",
                "displayName": "Ada L",
                "emails": [{"type": "work", "value": "ada@example.com", "primary": true}],
                TABLEAU_USER: {"siteRole": "Explorer"}
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(env.sim.user("", &id).unwrap().site_role, "Explorer");

    let ops = |ops: serde_json::Value| json!({"schemas": [PATCH_OP], "Operations": ops});
    let renamed = served
        .scim(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(ops(json!([
                {"op": "Replace", "path": "displayName", "value": "Ada Lovelace"},
                {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "ada.l@example.com"}
            ]))),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let in_sim = env.sim.user("", &id).unwrap();
    assert_eq!(in_sim.full_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(in_sim.email.as_deref(), Some("ada.l@example.com"));

    // Entra's default mappings send attributes Tableau cannot hold along
    // with the deactivation: left out, the deactivation goes ahead.
    let off = served
        .scim(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(ops(json!([
                {"op": "Replace", "path": "title", "value": "Analyst"},
                {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Finance"},
                {"op": "Replace", "path": "active", "value": "False"}
            ]))),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert_eq!(env.sim.user("", &id).unwrap().site_role, "Unlicensed");
    // Sent twice (Entra retries): nothing more happens.
    let twice = served
        .scim(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(ops(
                json!([{"op": "Replace", "path": "active", "value": "False"}]),
            )),
        )
        .await;
    assert_eq!(twice.status, 200);
    let suspends = journal(&env)
        .await
        .into_iter()
        .filter(|e| e.intent.action == JournalAction::Suspend && e.state == JournalState::Completed)
        .count();
    assert_eq!(suspends, 1);

    // Group push: a local group, a member added and removed by filter path.
    let group = env.sim.add_group("", "Analysts", None, None);
    let sync = served
        .call(
            Method::POST,
            "/v1/sites/main/sync",
            Some(&served.act),
            None,
            &[],
        )
        .await;
    assert_eq!(sync.status, 202);
    let mut seen = false;
    for _ in 0..100 {
        let found = served
            .scim(
                Method::GET,
                "/Groups?filter=displayName%20eq%20%22Analysts%22",
                None,
            )
            .await
            .json();
        if found["totalResults"] == 1 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "the synced group is found by name");
    let add = served
        .scim(
            Method::PATCH,
            &format!("/Groups/{}", group.id),
            Some(ops(
                json!([{"op": "Add", "path": "members", "value": [{"value": id}]}]),
            )),
        )
        .await;
    assert_eq!(add.status, 200, "{}", add.body);
    assert!(env.sim.group_members("", &group.id).contains(&id));
    let remove = served
        .scim(
            Method::PATCH,
            &format!("/Groups/{}", group.id),
            Some(ops(
                json!([{"op": "Remove", "path": format!("members[value eq \"{id}\"]")}]),
            )),
        )
        .await;
    assert_eq!(remove.status, 200, "{}", remove.body);
    assert!(!env.sim.group_members("", &group.id).contains(&id));
}

#[tokio::test]
async fn deleting_a_content_owner_follows_the_site_policy() {
    let env = Env::start(empty_site()).await;
    env.sim
        .add_user("", "admin-two", "SiteAdministratorCreator");
    let heir = env.sim.add_user("", "heir", "Creator");
    let owners: Vec<_> = (0..3)
        .map(|i| {
            let u = env.sim.add_user("", &format!("owner{i}"), "Creator");
            env.sim
                .give_content("", &u.id, "workbook", &format!("Sales {i}"));
            u
        })
        .collect();

    // Refuse (the default): 409 naming the content; nothing changes.
    let served = started(&env, "").await;
    let refused = served
        .scim(Method::DELETE, &format!("/Users/{}", owners[0].id), None)
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.json()["detail"]
            .as_str()
            .unwrap()
            .contains("Sales 0"),
        "{}",
        refused.body
    );
    assert_eq!(
        env.sim.user("", &owners[0].id).unwrap().site_role,
        "Creator"
    );
    assert_eq!(served.stop().await, 0);

    // Suspend instead: 409 saying so, the licence reclaimed, content kept.
    let suspend = started(&env, "[site.scim]\non_content = \"suspend\"").await;
    let kept = suspend
        .scim(Method::DELETE, &format!("/Users/{}", owners[1].id), None)
        .await;
    assert_eq!(kept.status, 409, "{}", kept.body);
    assert_eq!(
        env.sim.user("", &owners[1].id).unwrap().site_role,
        "Unlicensed"
    );
    assert_eq!(env.sim.owned_content("", &owners[1].id).len(), 1);
    assert_eq!(suspend.stop().await, 0);

    // Transfer: the content goes to the named user, then the owner goes.
    let transfer = started(
        &env,
        "[site.scim]\non_content = \"transfer\"\ntransfer_to = \"heir\"",
    )
    .await;
    let gone = transfer
        .scim(Method::DELETE, &format!("/Users/{}", owners[2].id), None)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    assert!(env.sim.user("", &owners[2].id).is_none());
    assert!(env
        .sim
        .owned_content("", &heir.id)
        .iter()
        .any(|c| c.name == "Sales 2"));
    assert_eq!(transfer.stop().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_deletes_stops_at_the_site_limit() {
    let env = Env::start(empty_site()).await;
    env.sim
        .add_user("", "admin-two", "SiteAdministratorCreator");
    let users: Vec<_> = (0..3)
        .map(|i| env.sim.add_user("", &format!("leaver{i}"), "Viewer"))
        .collect();
    let (hook, url) = receiver("webhook-secret", &[200], Duration::ZERO).await;
    let served = env
        .serve(ServeConfig {
            site_extra: "[site.scim]\nmax_removals = 2".into(),
            serve_extra: format!("[[serve.webhook]]\nurl = \"{url}\"\n"),
            ..ServeConfig::default()
        })
        .await;
    served.wait_for_success(0).await;
    for u in &users[..2] {
        let gone = served
            .scim(Method::DELETE, &format!("/Users/{}", u.id), None)
            .await;
        assert_eq!(gone.status, 204, "{}", gone.body);
    }
    let third = served
        .scim(Method::DELETE, &format!("/Users/{}", users[2].id), None)
        .await;
    assert_eq!(third.status, 503, "{}", third.body);
    assert!(third.json()["detail"]
        .as_str()
        .unwrap()
        .contains("max_removals"));
    assert!(env.sim.user("", &users[2].id).is_some(), "not carried out");

    // And the operator hears of it, signed.
    let mut alert = None;
    for _ in 0..100 {
        alert = got(&hook).into_iter().find(|g| {
            serde_json::from_slice::<serde_json::Value>(&g.body).unwrap()["event"]
                == "mass_removal_refused"
        });
        if alert.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let alert = alert.unwrap_or_else(|| panic!("no alert; log:\n{}", served.log()));
    assert!(alert.valid, "signed with the shared secret");
    let body: serde_json::Value = serde_json::from_slice(&alert.body).unwrap();
    assert_eq!(body["site"], "main");
    assert_eq!(body["detail"]["source"], "scim");
    assert_eq!(body["detail"]["limit"], 2);
}

#[tokio::test]
async fn bad_writes_change_nothing() {
    let env = Env::start(empty_site()).await;
    let alice = env.sim.add_user("", "alice", "Viewer");
    let served = started(&env, "").await;
    let requests = env.sim.request_count();
    let cases = [
        (
            Method::PATCH,
            format!("/Users/{}", alice.id),
            json!({"Operations": []}),
            "invalidSyntax",
        ),
        (
            Method::PATCH,
            format!("/Users/{}", alice.id),
            json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "favouriteColour", "value": "x"}]}),
            "invalidPath",
        ),
        (
            Method::PATCH,
            format!("/Users/{}", alice.id),
            json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": format!("{TABLEAU_USER}:siteRole"), "value": "Boss"}]}),
            "invalidValue",
        ),
        (
            Method::POST,
            "/Users".to_owned(),
            json!({"displayName": "no name"}),
            "invalidValue",
        ),
    ];
    for (method, path, body, scim_type) in cases {
        let answer = served.scim(method, &path, Some(body)).await;
        assert_eq!(answer.status, 400, "{path}: {}", answer.body);
        assert_eq!(
            answer.json()["scimType"],
            scim_type,
            "{path}: {}",
            answer.body
        );
    }
    let not_json = served
        .call(
            Method::POST,
            "/scim/v2/main/Users",
            Some(&served.scim),
            Some(("application/scim+json", b"{not json".to_vec())),
            &[],
        )
        .await;
    assert_eq!(not_json.status, 400);
    assert_eq!(env.sim.request_count(), requests, "Tableau was not called");
    assert_eq!(env.sim.user("", &alice.id).unwrap().site_role, "Viewer");
}

#[tokio::test]
async fn groups_synchronised_from_a_directory_are_read_only() {
    let env = Env::start(empty_site()).await;
    let alice = env.sim.add_user("", "alice", "Viewer");
    let group = env.sim.add_group("", "Finance (AD)", None, None);
    env.sim
        .set_group_grant("", &group.id, None, None, "corp.example.com");
    let served = started(&env, "").await;
    let requests = env.sim.request_count();
    let path = format!("/Groups/{}", group.id);
    let add = json!({"schemas": [PATCH_OP], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": alice.id}]}
    ]});
    for (method, body) in [(Method::PATCH, Some(add)), (Method::DELETE, None)] {
        let answer = served.scim(method.clone(), &path, body).await;
        assert_eq!(answer.status, 400, "{method}: {}", answer.body);
        let error = answer.json();
        assert_eq!(error["scimType"], "mutability");
        assert!(
            error["detail"]
                .as_str()
                .unwrap()
                .contains("corp.example.com"),
            "{error}"
        );
    }
    assert_eq!(env.sim.request_count(), requests, "Tableau was not called");
    assert!(env.sim.groups("").iter().any(|g| g.id == group.id));
    assert!(env.sim.group_members("", &group.id).is_empty());
}
