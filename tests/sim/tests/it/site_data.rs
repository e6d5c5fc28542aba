//! Content listings and ownership, seeding, several sites, shutdown and a
//! large site, over HTTP.

use crate::common;

use common::*;
use tableau_sim::SimConfig;

#[tokio::test]
async fn content_listings_owner_filters_and_owner_update() {
    let (sim, c) = start(SimConfig::new().users(40).owners_fraction(0.5)).await;
    let alice = sim.add_user("", "alice", "Creator");
    let wb = sim.give_content("", &alice.id, "workbook", "Alice WB");
    let fl = sim.give_content("", &alice.id, "flow", "Alice Flow");
    sim.give_content("", &alice.id, "datasource", "Alice DS");
    sim.give_content("", &alice.id, "project", "Alice Project");
    sim.give_content("", &alice.id, "view", "Alice View");
    for kind in ["workbooks", "datasources", "projects", "views"] {
        for f in [
            "ownerName:eq:Alice",
            "ownerEmail:eq:alice@example.com",
            "ownerDomain:eq:local,ownerName:in:[Alice]",
        ] {
            let r = c.get(&format!("{kind}?filter={f}")).await;
            assert_eq!(r.status, 200, "{kind} {f}: {}", r.body);
            let owners = attrs(&r.body, "owner", "id");
            assert_eq!(owners, vec![alice.id.clone()], "{kind} {f}");
        }
    }
    let r = c.get("flows?filter=ownerName:eq:Alice").await;
    assert_eq!(attrs(&r.body, "flow", "id"), vec![fl.id.clone()]);
    // ownerName is the owner's display name (fullName), never the sign-in
    // name.
    for kind in ["workbooks", "flows"] {
        let r = c.get(&format!("{kind}?filter=ownerName:eq:alice")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(total(&r.body), 0, "{kind}: {}", r.body);
    }
    assert_eq!(
        error_code(&c.get("flows?filter=ownerEmail:eq:x").await.body).unwrap(),
        "400000"
    );
    let r = c
        .get(&format!("users/{}/workbooks?ownedBy=true", alice.id))
        .await;
    assert_eq!(attrs(&r.body, "workbook", "id"), vec![wb.id.clone()]);
    let all = c.get(&format!("users/{}/workbooks", alice.id)).await;
    assert!(total(&all.body) > 1);
    let r = c
        .get(&format!("users/{}/flows?isOwner=true", alice.id))
        .await;
    assert_eq!(attrs(&r.body, "flow", "id"), vec![fl.id.clone()]);
    // Ownership moves by PUT.
    let admin = sim.user_by_name("", "admin").unwrap();
    let r = c
        .put(
            &format!("workbooks/{}", wb.id),
            &format!(
                r#"<tsRequest><workbook><owner id="{}"/></workbook></tsRequest>"#,
                admin.id
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(attr(&r.body, "owner", "id").unwrap(), admin.id);
    assert!(!sim
        .owned_content("", &alice.id)
        .iter()
        .any(|x| x.id == wb.id));
    let r = c
        .put(
            "workbooks/nope",
            "<tsRequest><workbook><owner id=\"x\"/></workbook></tsRequest>",
        )
        .await;
    assert_eq!(r.status, 404);
    // Seeded ownership: about half of the users own something.
    let owners = sim
        .users("")
        .iter()
        .filter(|u| u.name.starts_with("user") && !sim.owned_content("", &u.id).is_empty())
        .count();
    assert_eq!(owners, 20);
    sim.stop().await;
}

#[tokio::test]
async fn seeding_is_deterministic_and_realistic() {
    let cfg = || {
        SimConfig::new()
            .users(2000)
            .groups(40)
            .memberships_per_user(3)
            .seed(42)
    };
    let (a, _) = start(cfg()).await;
    let (b, _) = start(cfg()).await;
    let ua = a.users("");
    assert_eq!(ua, b.users(""));
    assert_eq!(a.groups(""), b.groups(""));
    assert_eq!(ua.len(), 2001);
    assert_eq!(ua[1].name, "user00001");
    assert_eq!(ua[1].email.as_deref(), Some("user00001@example.com"));
    let share = |f: &dyn Fn(&tableau_sim::SimUser) -> bool| {
        ua.iter().filter(|u| f(u)).count() as f64 / ua.len() as f64
    };
    assert!(share(&|u| u.site_role == "Viewer") > 0.45);
    assert!(share(&|u| u.site_role == "Explorer") > 0.1);
    assert!(share(&|u| u.site_role == "Creator") > 0.03);
    assert!(share(&|u| u.site_role == "Unlicensed") > 0.03);
    assert!(
        share(&|u| ["Interactor", "Publisher", "ViewerWithPublish"].contains(&u.site_role.as_str()))
            > 0.005
    );
    let never = share(&|u| u.last_login.is_none());
    assert!((0.08..0.25).contains(&never), "{never}");
    let oldest = ua.iter().filter_map(|u| u.last_login).min().unwrap();
    assert!(chrono::Utc::now() - oldest > chrono::Duration::days(600));
    let groups = a.groups("");
    assert!(groups.iter().any(|g| g.grant_license_mode.is_some()));
    let sizes: Vec<usize> = groups
        .iter()
        .filter(|g| g.name != "All Users")
        .map(|g| a.group_members("", &g.id).len())
        .collect();
    assert!(sizes.iter().max().unwrap() > &(3 * sizes.iter().min().unwrap()));
    assert_eq!(a.group_members("", &groups[0].id).len(), 2001); // All Users
    let c = SimConfig::new().users(10).seed(43);
    let (other, _) = start(c).await;
    assert_ne!(other.users("")[1].id, ua[1].id);
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn multiple_sites_and_switch_site() {
    let (sim, c) = start(
        SimConfig::new()
            .sites(vec!["".into(), "finance".into()])
            .users(5),
    )
    .await;
    let fin = sim.site_id("finance");
    assert_ne!(fin, c.site);
    let body = r#"<tsRequest><site contentUrl="finance"/></tsRequest>"#;
    let r = raw(
        &c.http,
        reqwest::Method::POST,
        &format!("{}/api/{V}/auth/switchSite", c.base),
        Some(&c.token),
        Some(body.into()),
        false,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(attr(&r.body, "site", "id").unwrap(), fin);
    let t2 = attr(&r.body, "credentials", "token").unwrap();
    // The old token is gone; the new one works on the new site only.
    assert_eq!(c.get("users").await.status, 401);
    let url = format!("{}/api/{V}/sites/{fin}/users", c.base);
    assert_eq!(
        raw(&c.http, reqwest::Method::GET, &url, Some(&t2), None, false)
            .await
            .status,
        200
    );
    let r = raw(
        &c.http,
        reqwest::Method::GET,
        &c.url("users"),
        Some(&t2),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&r.body).unwrap(), "401002");
    let r = raw(
        &c.http,
        reqwest::Method::GET,
        &format!(
            "{}/api/{V}/sites/00000000-0000-4000-8000-000000000000/users",
            c.base
        ),
        Some(&t2),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&r.body).unwrap(), "404000");
    let r = sign_in(
        &c.http,
        &c.base,
        signin_body("admin-pat", "admin-secret", "nosuch"),
    )
    .await;
    assert_eq!(
        error_code(&r.body).unwrap(),
        "401001",
        "Tableau answers an unknown site at sign-in like bad credentials"
    );
    sim.stop().await;
}

#[tokio::test]
async fn stop_refuses_connections() {
    let (sim, c) = start(SimConfig::new()).await;
    let base = c.base.clone();
    sim.stop().await;
    let r = reqwest::Client::new()
        .get(format!("{base}/api/{V}/serverinfo"))
        .send()
        .await;
    assert!(r.is_err());
}

#[tokio::test]
async fn large_site_pages_quickly() {
    let t0 = std::time::Instant::now();
    let (sim, c) = start(SimConfig::new().users(100_000).groups(200)).await;
    let started = t0.elapsed();
    let t1 = std::time::Instant::now();
    let r = c.get("users?pageSize=1000&pageNumber=57").await;
    let page = t1.elapsed();
    assert_eq!(total(&r.body), 100_001);
    assert_eq!(attrs(&r.body, "user", "id").len(), 1000);
    eprintln!("100k users: start {started:?}, one 1000-user page {page:?}");
    sim.stop().await;
}

#[tokio::test]
async fn custom_views_and_data_alerts_are_listed_with_owners_and_block_removal() {
    let (sim, c) = start(SimConfig::new().users(3)).await;
    let cara = sim.add_user("", "cara", "Viewer");
    let dan = sim.add_user("", "dan", "Viewer");
    let heir = sim.add_user("", "heir", "Creator");
    let cv = sim.give_content("", &cara.id, "customView", "My Filters");
    let alert = sim.give_content("", &dan.id, "dataAlert", "Low stock");

    let r = c.get("customviews").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(attrs(&r.body, "customView", "id"), vec![cv.id.clone()]);
    assert_eq!(attrs(&r.body, "owner", "id"), vec![cara.id.clone()]);
    let r = c.get("dataAlerts").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(attr(&r.body, "dataAlert", "subject").unwrap(), "Low stock");
    assert_eq!(attr(&r.body, "dataAlert", "name"), None);
    assert_eq!(attrs(&r.body, "owner", "id"), vec![dan.id.clone()]);

    // Owning only a custom view (or a data alert) blocks removal: 409003,
    // and the user is left Unlicensed.
    let r = c.delete(&format!("users/{}", cara.id)).await;
    assert_eq!(error_code(&r.body).unwrap(), "409003", "{}", r.body);
    assert_eq!(sim.user("", &cara.id).unwrap().site_role, "Unlicensed");
    let r = c
        .delete(&format!("users/{}?mapAssetsTo={}", dan.id, heir.id))
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(sim.owned_content("", &heir.id)[0].id, alert.id);
    assert_eq!(
        sim.removals(),
        vec![(dan.id.clone(), Some(heir.id.clone()))]
    );
    sim.stop().await;
}

#[tokio::test]
async fn views_follow_their_workbook_and_owner_flags_can_be_ignored() {
    let (sim, c) = start(SimConfig::new().users(3)).await;
    let vera = sim.add_user("", "vera", "Creator");
    let owner = sim.add_user("", "owner", "Creator");
    sim.give_content("", &owner.id, "workbook", "Theirs");
    sim.give_content("", &vera.id, "view", "A sheet");
    assert!(
        sim.owned_content("", &vera.id).is_empty(),
        "a view is not owned content"
    );
    let r = c.delete(&format!("users/{}", vera.id)).await;
    assert_eq!(r.status, 204, "views do not block removal: {}", r.body);

    let path = format!("users/{}/workbooks?ownedBy=true", owner.id);
    assert_eq!(total(&c.get(&path).await.body), 1);
    sim.ignore_owner_flags(true);
    let admin = sim.user_by_name("", "admin").unwrap();
    let r = c
        .get(&format!("users/{}/workbooks?ownedBy=true", admin.id))
        .await;
    assert!(
        attrs(&r.body, "owner", "id").contains(&owner.id),
        "the flag is ignored: {}",
        r.body
    );
    sim.stop().await;
}
