//! The simulator's Tableau API over HTTP: routing, versions, paging, filters,
//! sorting, fields and JSON.

use crate::common;

use common::*;
use tableau_sim::SimConfig;

#[tokio::test]
async fn serverinfo_needs_no_auth_and_tsc_spelling_works() {
    let (sim, c) = start(SimConfig::new().api_version("3.22")).await;
    for p in ["serverinfo", "serverInfo"] {
        let r = raw(
            &c.http,
            reqwest::Method::GET,
            &format!("{}/api/2.4/{p}", c.base),
            None,
            None,
            false,
        )
        .await;
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains("<restApiVersion>3.22</restApiVersion>"),
            "{}",
            r.body
        );
    }
    sim.stop().await;
}

#[tokio::test]
async fn unknown_paths_versions_and_methods() {
    let (sim, c) = start(SimConfig::new().api_version("3.10")).await;
    let r = raw(
        &c.http,
        reqwest::Method::GET,
        &format!("{}/api/3.10/nothing/here", c.base),
        Some(&c.token),
        None,
        false,
    )
    .await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (404, "404003".into())
    );
    assert!(
        r.body
            .contains("Unknown resource &apos;/3.10/nothing/here&apos;")
            || r.body.contains("Unknown resource '/3.10/nothing/here'"),
        "{}",
        r.body
    );
    // 3.9 < 3.10 numerically: served; 3.11 is above the server's version.
    let ok = raw(
        &c.http,
        reqwest::Method::GET,
        &format!("{}/api/3.9/sites/{}/users", c.base, c.site),
        Some(&c.token),
        None,
        false,
    )
    .await;
    assert_eq!(ok.status, 200);
    let above = raw(
        &c.http,
        reqwest::Method::GET,
        &format!("{}/api/3.11/sites/{}/users", c.base, c.site),
        Some(&c.token),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&above.body).unwrap(), "404003");
    let r = raw(
        &c.http,
        reqwest::Method::PATCH,
        &format!("{}/api/3.10/sites/{}/users", c.base, c.site),
        Some(&c.token),
        None,
        false,
    )
    .await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (405, "405000".into())
    );
    let r = raw(
        &c.http,
        reqwest::Method::GET,
        &format!("{}/api/2.3/serverInfo", c.base),
        None,
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&r.body).unwrap(), "404003");
    sim.stop().await;
}

#[tokio::test]
async fn every_paging_error() {
    let (sim, c) = start(SimConfig::new().users(250)).await;
    let r = c.get("users").await;
    assert_eq!(attr(&r.body, "pagination", "pageSize").unwrap(), "100");
    assert_eq!(total(&r.body), 251);
    assert_eq!(attrs(&r.body, "user", "id").len(), 100);
    let r = c.get("users?pageSize=1000").await;
    assert_eq!(attrs(&r.body, "user", "id").len(), 251);
    let r = c.get("users?pageSize=100&pageNumber=3").await;
    assert_eq!(attrs(&r.body, "user", "id").len(), 51);
    for (q, status, code) in [
        ("pageSize=1001", 403, "403014"),
        ("pageSize=0", 400, "400007"),
        ("pageSize=abc", 400, "400007"),
        ("pageNumber=0", 400, "400006"),
        ("pageNumber=-2", 400, "400006"),
        ("pageNumber=x", 400, "400006"),
        ("pageSize=100&pageNumber=4", 400, "400006"),
    ] {
        let r = c.get(&format!("users?{q}")).await;
        assert_eq!(
            (r.status, error_code(&r.body).unwrap().as_str()),
            (status, code),
            "{q}"
        );
    }
    // Page 1 of an empty result is fine.
    let r = c.get("users?filter=name:eq:nobody").await;
    assert_eq!((r.status, total(&r.body)), (200, 0));
    sim.stop().await;
}

#[tokio::test]
async fn fields_all_adds_email_and_full_name() {
    let (sim, c) = start(SimConfig::new().users(3)).await;
    let r = c.get("users").await;
    assert!(!r.body.contains("email=") && !r.body.contains("fullName="));
    let r = c.get("users?fields=_all_").await;
    assert_eq!(attrs(&r.body, "user", "email").len(), 4);
    assert_eq!(attrs(&r.body, "user", "fullName").len(), 4);
    sim.stop().await;
}

#[tokio::test]
async fn every_user_filter_operator_over_http() {
    let (sim, c) = start(SimConfig::new().users(30).groups(4)).await;
    let users = sim.users("");
    let names = |r: &Resp| attrs(&r.body, "user", "name");
    assert_eq!(
        names(&c.get("users?filter=name:eq:user00003").await),
        vec!["user00003"]
    );
    assert_eq!(
        names(&c.get("users?filter=name:cieq:USER00003").await),
        vec!["user00003"]
    );
    assert_eq!(
        names(
            &c.get("users?filter=name:in:[user00003,user00005,nobody]")
                .await
        ),
        vec!["user00003", "user00005"]
    );
    assert_eq!(names(&c.get("users?filter=name:has:0002").await).len(), 11);
    assert_eq!(
        names(&c.get("users?filter=name:like:user0001*").await).len(),
        10
    );
    let viewers = users.iter().filter(|u| u.site_role == "Viewer").count();
    assert_eq!(
        total(&c.get("users?filter=siteRole:eq:Viewer").await.body),
        viewers
    );
    let vc = users
        .iter()
        .filter(|u| u.site_role == "Viewer" || u.site_role == "Creator")
        .count();
    assert_eq!(
        total(
            &c.get("users?filter=siteRole:in:[Viewer,Creator]")
                .await
                .body
        ),
        vc
    );
    let cut = chrono::Utc::now() - chrono::Duration::days(365);
    let cut_s = cut.format("%Y-%m-%dT%H:%M:%SZ");
    let recent = users
        .iter()
        .filter(|u| u.last_login.is_some_and(|l| l >= cut))
        .count();
    let old = users
        .iter()
        .filter(|u| u.last_login.is_some_and(|l| l < cut))
        .count();
    assert_eq!(
        total(
            &c.get(&format!("users?filter=lastLogin:gte:{cut_s}"))
                .await
                .body
        ),
        recent
    );
    assert_eq!(
        total(
            &c.get(&format!("users?filter=lastLogin:lt:{cut_s}"))
                .await
                .body
        ),
        old
    );
    let gt = total(
        &c.get(&format!("users?filter=lastLogin:gt:{cut_s}"))
            .await
            .body,
    );
    let lte = total(
        &c.get(&format!("users?filter=lastLogin:lte:{cut_s}"))
            .await
            .body,
    );
    assert_eq!(gt + lte, recent + old);
    let admin = sim.user_by_name("", "admin").unwrap();
    let at = admin.last_login.unwrap().format("%Y-%m-%dT%H:%M:%SZ");
    assert!(
        names(&c.get(&format!("users?filter=lastLogin:eq:{at}")).await)
            .contains(&"admin".to_string())
    );
    assert_eq!(
        names(&c.get(&format!("users?filter=luid:eq:{}", admin.id)).await),
        vec!["admin"]
    );
    assert_eq!(
        total(
            &c.get("users?filter=domainName:eq:local,isLocal:eq:true")
                .await
                .body
        ),
        31
    );
    assert_eq!(
        names(
            &c.get("users?filter=friendlyName:eq:Site%20Administrator")
                .await
        ),
        vec!["admin"]
    );
    // AND of two conditions.
    assert_eq!(
        total(
            &c.get("users?filter=name:has:user,siteRole:eq:Viewer")
                .await
                .body
        ),
        viewers
    );
    for bad in [
        "email:eq:x",
        "name:gt:",
        "siteRole:has:View",
        "lastLogin:gte:yesterday",
        "name:bogus:x",
        "name:in:user1",
    ] {
        let r = c.get(&format!("users?filter={bad}")).await;
        assert_eq!(error_code(&r.body).unwrap(), "400000", "{bad}");
    }
    // Groups: name, userCount, minimumSiteRole.
    let g = c.get("groups?filter=name:eq:All%20Users").await;
    assert_eq!(attrs(&g.body, "group", "name"), vec!["All Users"]);
    let g = c.get("groups?filter=userCount:gte:31&fields=_all_").await;
    assert_eq!(attrs(&g.body, "group", "userCount"), vec!["31"]);
    let grant = sim.add_group("", "Grantees", Some("Explorer"), Some("onLogin"));
    let g = c.get("groups?filter=minimumSiteRole:eq:Explorer").await;
    assert!(attrs(&g.body, "group", "id").contains(&grant.id));
    assert!(g.body.contains("grantLicenseMode=\"onLogin\""));
    // As in Tableau: the granted role is only in <import>, which every
    // group carries from 3.9; <group minimumSiteRole> is never returned.
    let all = c.get("groups?pageSize=1000").await;
    assert!(!all.body.contains("minimumSiteRole"), "{}", all.body);
    assert_eq!(
        attrs(&all.body, "import", "domainName").len(),
        attrs(&all.body, "group", "id").len()
    );
    let grant_import = elements(&all.body)
        .into_iter()
        .filter(|(name, a)| name == "import" && a.get("grantLicenseMode").is_some())
        .map(|(_, a)| a["siteRole"].clone())
        .collect::<Vec<_>>();
    assert!(
        grant_import.contains(&"Explorer".to_owned()),
        "{grant_import:?}"
    );
    sim.stop().await;
}

#[tokio::test]
async fn sorting() {
    let (sim, c) = start(SimConfig::new().users(12)).await;
    let r = c.get("users?sort=name:desc&pageSize=3").await;
    assert_eq!(
        attrs(&r.body, "user", "name"),
        vec!["user00012", "user00011", "user00010"]
    );
    let r = c.get("users?sort=lastLogin:asc&pageSize=1000").await;
    let ll = attrs(&r.body, "user", "lastLogin");
    let mut sorted = ll.clone();
    sorted.sort();
    assert_eq!(ll, sorted);
    assert_eq!(
        error_code(&c.get("users?sort=bogus:asc").await.body).unwrap(),
        "400000"
    );
    sim.stop().await;
}

#[tokio::test]
async fn json_responses() {
    let (sim, c) = start(SimConfig::new().users(2).groups(1)).await;
    let r = c.get_json("users?fields=_all_").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["pagination"]["totalAvailable"], "3");
    assert_eq!(v["users"]["user"][1]["name"], "user00001");
    assert_eq!(v["users"]["user"][1]["email"], "user00001@example.com");
    let id = v["users"]["user"][1]["id"].as_str().unwrap().to_string();
    let one: serde_json::Value =
        serde_json::from_str(&c.get_json(&format!("users/{id}")).await.body).unwrap();
    assert_eq!(one["user"]["domain"]["name"], "local");
    let g: serde_json::Value = serde_json::from_str(&c.get_json("groups").await.body).unwrap();
    assert!(g["groups"]["group"].is_array());
    let e = c.get_json("users/nope").await;
    assert_eq!(e.status, 404);
    let ev: serde_json::Value = serde_json::from_str(&e.body).unwrap();
    assert_eq!(ev["error"]["code"], "404002");
    assert_eq!(ev["error"]["summary"], "Resource Not Found");
    assert_eq!(ev["error"]["detail"], "User 'nope' could not be found.");
    // JSON request bodies are accepted too.
    let r = raw(&c.http, reqwest::Method::POST, &format!("{}/api/{V}/auth/signin", c.base), None,
        Some(r#"{"credentials":{"personalAccessTokenName":"admin-pat","personalAccessTokenSecret":"admin-secret","site":{"contentUrl":""}}}"#.into()), true).await;
    let sv: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(sv["credentials"]["site"]["contentUrl"], "");
    assert!(sv["credentials"]["token"].is_string());
    sim.stop().await;
}
