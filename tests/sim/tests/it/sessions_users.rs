//! Sessions and the user/group mutations a governance connector performs.

use crate::common;

use common::*;
use std::time::Duration;
use tableau_sim::SimConfig;

#[tokio::test]
async fn tokens_missing_bad_signed_out_and_expired() {
    let (sim, c) = start(SimConfig::new().token_ttl(Duration::from_millis(800))).await;
    let url = c.url("users");
    let r = raw(&c.http, reqwest::Method::GET, &url, None, None, false).await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (401, "401000".into())
    );
    let r = raw(
        &c.http,
        reqwest::Method::GET,
        &url,
        Some("bogus"),
        None,
        false,
    )
    .await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (401, "401002".into())
    );
    assert_eq!(c.get("users").await.status, 200);
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(error_code(&c.get("users").await.body).unwrap(), "401002");
    // Sign-out ends a fresh session.
    let r = sign_in(
        &c.http,
        &c.base,
        signin_body("admin-pat", "admin-secret", ""),
    )
    .await;
    let t = attr(&r.body, "credentials", "token").unwrap();
    let out = raw(
        &c.http,
        reqwest::Method::POST,
        &format!("{}/api/{V}/auth/signout", c.base),
        Some(&t),
        Some(String::new()),
        false,
    )
    .await;
    assert_eq!(out.status, 204);
    let r = raw(&c.http, reqwest::Method::GET, &url, Some(&t), None, false).await;
    assert_eq!(error_code(&r.body).unwrap(), "401002");
    assert_eq!(sim.sign_in_count(), 2);
    sim.stop().await;
}

#[tokio::test]
async fn an_expired_session_answers_401000_like_tableau_cloud_when_asked() {
    let (sim, c) = start(
        SimConfig::new()
            .token_ttl(Duration::from_millis(300))
            .expired_session_401000(true),
    )
    .await;
    assert_eq!(c.get("users").await.status, 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let r = c.get("users").await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (401, "401000".into()),
        "expired, as Tableau Cloud says it"
    );
    // A token ended by a new sign-in with its PAT is invalid, not expired.
    let _ = sign_in(
        &c.http,
        &c.base,
        signin_body("admin-pat", "admin-secret", ""),
    )
    .await;
    assert_eq!(error_code(&c.get("users").await.body).unwrap(), "401002");
    sim.stop().await;
}

#[tokio::test]
async fn second_pat_sign_in_ends_the_first_session() {
    let (sim, c) = start(SimConfig::new().pat("other-pat", "other-secret")).await;
    let r = sign_in(
        &c.http,
        &c.base,
        signin_body("other-pat", "other-secret", ""),
    )
    .await;
    let other = attr(&r.body, "credentials", "token").unwrap();
    let r = sign_in(
        &c.http,
        &c.base,
        signin_body("admin-pat", "admin-secret", ""),
    )
    .await;
    let second = attr(&r.body, "credentials", "token").unwrap();
    let url = c.url("users");
    let old = raw(
        &c.http,
        reqwest::Method::GET,
        &url,
        Some(&c.token),
        None,
        false,
    )
    .await;
    assert_eq!(
        (old.status, error_code(&old.body).unwrap()),
        (401, "401002".into())
    );
    assert_eq!(
        raw(
            &c.http,
            reqwest::Method::GET,
            &url,
            Some(&second),
            None,
            false
        )
        .await
        .status,
        200
    );
    // Another PAT's session is untouched.
    assert_eq!(
        raw(
            &c.http,
            reqwest::Method::GET,
            &url,
            Some(&other),
            None,
            false
        )
        .await
        .status,
        200
    );
    sim.stop().await;
}

#[tokio::test]
async fn sign_in_failures_and_password() {
    let (sim, c) = start(SimConfig::new().users(3).user_password("user00001", "pw")).await;
    sim.set_site_role("", &sim.user_by_name("", "user00001").unwrap().id, "Viewer");
    let r = sign_in(&c.http, &c.base, signin_body("admin-pat", "wrong", "")).await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (401, "401001".into())
    );
    assert!(r.body.contains("<summary>Signin Error</summary>"));
    let body = |pw: &str| {
        format!(
            r#"<tsRequest><credentials name="user00001" password="{pw}"><site contentUrl=""/></credentials></tsRequest>"#
        )
    };
    let r = sign_in(&c.http, &c.base, body("pw")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        attr(&r.body, "user", "id").unwrap(),
        sim.user_by_name("", "user00001").unwrap().id
    );
    assert_eq!(sign_in(&c.http, &c.base, body("nope")).await.status, 401);
    // A PAT signs in on any URL version (tableauserverclient starts at 2.4).
    let r = sign_in_at(
        &c.http,
        &c.base,
        "2.4",
        signin_body("admin-pat", "admin-secret", ""),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    sim.stop().await;
}

#[tokio::test]
async fn update_user_roles_and_errors() {
    let (sim, c) = start(SimConfig::new().users(3)).await;
    let u = sim.user_by_name("", "user00002").unwrap();
    let r = c
        .put(
            &format!("users/{}", u.id),
            r#"<tsRequest><user siteRole="Explorer"/></tsRequest>"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(attr(&r.body, "user", "siteRole").unwrap(), "Explorer");
    assert!(attr(&r.body, "user", "id").is_none());
    assert_eq!(sim.user("", &u.id).unwrap().site_role, "Explorer");
    let r = c
        .put(
            &format!("users/{}", u.id),
            r#"<tsRequest><user siteRole="Wizard"/></tsRequest>"#,
        )
        .await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (400, "400013".into())
    );
    let r = c
        .put(
            &format!("users/{}", c.user),
            r#"<tsRequest><user siteRole="Viewer"/></tsRequest>"#,
        )
        .await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (403, "403009".into())
    );
    let r = c
        .put(
            "users/nope",
            r#"<tsRequest><user siteRole="Viewer"/></tsRequest>"#,
        )
        .await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (404, "404002".into())
    );
    assert!(
        r.body.contains("User &apos;nope&apos; could not be found.")
            || r.body.contains("User 'nope' could not be found.")
    );
    sim.stop().await;
}

#[tokio::test]
async fn remove_user_with_and_without_map_assets_to() {
    let (sim, c) = start(SimConfig::new().users(5).owners_fraction(0.0)).await;
    let plain = sim.user_by_name("", "user00001").unwrap();
    let owner = sim.user_by_name("", "user00002").unwrap();
    let heir = sim.user_by_name("", "user00003").unwrap();
    let g = sim.add_group("", "Team", None, None);
    sim.add_member("", &g.id, &plain.id);
    sim.give_content("", &owner.id, "workbook", "Owned");
    sim.give_content("", &owner.id, "datasource", "Owned DS");

    assert_eq!(c.delete(&format!("users/{}", plain.id)).await.status, 204);
    assert!(sim.user("", &plain.id).is_none());
    assert!(sim.group_members("", &g.id).is_empty());
    assert_eq!(
        error_code(&c.delete(&format!("users/{}", plain.id)).await.body).unwrap(),
        "404002"
    );

    let r = c.delete(&format!("users/{}", owner.id)).await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (409, "409003".into())
    );
    assert_eq!(sim.user("", &owner.id).unwrap().site_role, "Unlicensed");

    let r = c
        .delete(&format!("users/{}?mapAssetsTo=nobody", owner.id))
        .await;
    assert_eq!(error_code(&r.body).unwrap(), "404002");
    let old = raw(
        &c.http,
        reqwest::Method::DELETE,
        &format!(
            "{}/api/3.8/sites/{}/users/{}?mapAssetsTo={}",
            c.base, c.site, owner.id, heir.id
        ),
        Some(&c.token),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&old.body).unwrap(), "400000");
    assert_eq!(
        c.delete(&format!("users/{}?mapAssetsTo={}", owner.id, heir.id))
            .await
            .status,
        204
    );
    assert!(sim.user("", &owner.id).is_none());
    assert_eq!(sim.owned_content("", &heir.id).len(), 2);
    sim.stop().await;
}

#[tokio::test]
async fn groups_members_and_groups_of_a_user() {
    let (sim, c) = start(SimConfig::new().users(4)).await;
    let u = sim.user_by_name("", "user00001").unwrap();
    let g = sim.add_group("", "Analysts", None, None);
    let body = format!(r#"<tsRequest><user id="{}"/></tsRequest>"#, u.id);
    let r = c.post(&format!("groups/{}/users", g.id), &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(attr(&r.body, "user", "id").unwrap(), u.id);
    let r = c.post(&format!("groups/{}/users", g.id), &body).await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (409, "409011".into())
    );
    let r = c.get(&format!("groups/{}/users", g.id)).await;
    assert_eq!(attrs(&r.body, "user", "id"), vec![u.id.clone()]);
    let r = c.get(&format!("users/{}/groups", u.id)).await;
    assert_eq!(
        attrs(&r.body, "group", "name"),
        vec!["All Users", "Analysts"]
    );
    let old = raw(
        &c.http,
        reqwest::Method::GET,
        &format!("{}/api/3.6/sites/{}/users/{}/groups", c.base, c.site, u.id),
        Some(&c.token),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&old.body).unwrap(), "404003");
    assert_eq!(
        c.delete(&format!("groups/{}/users/{}", g.id, u.id))
            .await
            .status,
        204
    );
    assert!(sim.group_members("", &g.id).is_empty());
    assert_eq!(
        error_code(
            &c.delete(&format!("groups/{}/users/{}", g.id, u.id))
                .await
                .body
        )
        .unwrap(),
        "404002"
    );
    assert_eq!(
        error_code(&c.get("groups/nope/users").await.body).unwrap(),
        "404012"
    );
    // All Users lists everyone.
    let all = sim
        .groups("")
        .into_iter()
        .find(|g| g.name == "All Users")
        .unwrap();
    assert_eq!(
        total(&c.get(&format!("groups/{}/users", all.id)).await.body),
        5
    );
    sim.stop().await;
}

#[tokio::test]
async fn interactive_sign_in_grants_licence() {
    let (sim, c) = start(SimConfig::new().users(2)).await;
    let u = sim.user_by_name("", "user00001").unwrap();
    let v = sim.user_by_name("", "user00002").unwrap();
    sim.set_site_role("", &u.id, "Unlicensed");
    sim.set_site_role("", &v.id, "Unlicensed");
    let g = sim.add_group("", "Grant Explorer", Some("Explorer"), Some("onLogin"));
    let sync = sim.add_group("", "Grant on sync", Some("Creator"), Some("onSync"));
    sim.add_member("", &g.id, &u.id);
    sim.add_member("", &sync.id, &u.id);
    sim.add_member("", &sync.id, &v.id);
    let r = raw(
        &c.http,
        reqwest::Method::POST,
        &format!("{}/_sim/interactive-signin?site=&user=user00001", c.base),
        None,
        None,
        false,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = sim.user("", &u.id).unwrap();
    assert_eq!(after.site_role, "Explorer");
    assert!(after.last_login.is_some());
    sim.interactive_sign_in("", &v.id);
    assert_eq!(sim.user("", &v.id).unwrap().site_role, "Unlicensed");
    // Control requests are not Tableau requests.
    let before = sim.request_count();
    raw(
        &c.http,
        reqwest::Method::GET,
        &format!("{}/_sim/stats", c.base),
        None,
        None,
        false,
    )
    .await;
    assert_eq!(sim.request_count(), before);
    sim.stop().await;
}

#[tokio::test]
async fn local_groups_are_created_and_deleted() {
    let (sim, c) = start(SimConfig::new().users(2)).await;
    let r = c
        .post(
            "groups",
            r#"<tsRequest><group name="Finance"/></tsRequest>"#,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = attr(&r.body, "group", "id").unwrap();
    assert_eq!(attr(&r.body, "group", "name").unwrap(), "Finance");
    assert!(sim
        .groups("")
        .iter()
        .any(|g| g.id == id && g.domain == "local"));
    let again = c
        .post(
            "groups",
            r#"<tsRequest><group name="finance"/></tsRequest>"#,
        )
        .await;
    assert_eq!(
        (again.status, error_code(&again.body).unwrap()),
        (409, "409009".into())
    );
    let u = sim.user_by_name("", "user00001").unwrap();
    sim.add_member("", &id, &u.id);
    assert_eq!(c.delete(&format!("groups/{id}")).await.status, 204);
    assert!(!sim.groups("").iter().any(|g| g.id == id));
    // The member stays on the site, in "All Users" only.
    assert_eq!(sim.user_groups("", &u.id).len(), 1);
    assert!(sim.user("", &u.id).is_some());
    let gone = c.delete(&format!("groups/{id}")).await;
    assert_eq!(
        (gone.status, error_code(&gone.body).unwrap()),
        (404, "404012".into())
    );
    let all = sim
        .groups("")
        .into_iter()
        .find(|g| g.name == "All Users")
        .unwrap();
    let refused = c.delete(&format!("groups/{}", all.id)).await;
    assert_eq!(
        (refused.status, error_code(&refused.body).unwrap()),
        (400, "400000".into())
    );
    let r = c
        .post("groups", r#"<tsRequest><group name=" "/></tsRequest>"#)
        .await;
    assert_eq!(r.status, 400);
    sim.stop().await;
}
