//! Listings reuse each user's prepared text: every way of changing a user
//! must show in the very next users page and group member page, in both
//! formats; and a `name:eq` filter (answered by a name lookup) must still
//! respect group membership and the other conditions.

use crate::common;

use common::*;
use tableau_sim::SimConfig;

/// The `<user>` of `id` in the site's users page and in the member page of
/// `group`, XML and JSON, as (XML attributes, JSON object) pairs.
async fn listed(c: &Client, group: &str, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for path in [
        "users?fields=_all_&pageSize=1000".to_string(),
        format!("groups/{group}/users?fields=_all_&pageSize=1000"),
    ] {
        let xml = c.get(&path).await.body;
        let (_, a) = elements(&xml)
            .into_iter()
            .find(|(n, a)| n == "user" && a.get("id").map(String::as_str) == Some(id))
            .expect("listed in XML");
        let mut a: Vec<_> = a.into_iter().collect();
        a.sort();
        out.push(format!("{a:?}"));
        let json: serde_json::Value = serde_json::from_str(&c.get_json(&path).await.body).unwrap();
        let u = json["users"]["user"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .expect("listed in JSON")
            .clone();
        out.push(u.to_string());
    }
    out
}

#[tokio::test]
async fn every_change_to_a_user_is_listed_at_once() {
    let (sim, c) = start(SimConfig::new().users(30).groups(3)).await;
    let group = sim.groups("")[1].id.clone();
    let id = sim.group_members("", &group)[0].clone();
    let mut seen = listed(&c, &group, &id).await;
    let mut changed = |now: Vec<String>, what: &str| {
        assert!(
            now.iter().zip(&seen).all(|(a, b)| a != b),
            "{what} did not show in every listing: {now:?}"
        );
        seen = now;
    };

    let r = c
        .put(
            &format!("users/{id}"),
            r#"<tsRequest><user siteRole="Creator" fullName="New &amp; Name" email="new@example.com"/></tsRequest>"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let now = listed(&c, &group, &id).await;
    assert!(now[0].contains("New & Name") && now[0].contains("Creator"));
    assert!(now[1].contains("new@example.com") && now[3].contains("New & Name"));
    changed(now, "PUT users/{id}");

    sim.set_site_role("", &id, "Explorer");
    changed(listed(&c, &group, &id).await, "set_site_role");

    sim.set_last_login("", &id, None);
    let now = listed(&c, &group, &id).await;
    assert!(now.iter().all(|s| !s.contains("lastLogin")), "{now:?}");
    changed(now, "set_last_login");

    sim.interactive_sign_in("", &id);
    let now = listed(&c, &group, &id).await;
    assert!(now.iter().all(|s| s.contains("lastLogin")), "{now:?}");
    changed(now, "interactive sign-in");

    // Removing an owner without an heir leaves them Unlicensed (409003).
    sim.give_content("", &id, "workbook", "Kept");
    let r = c.delete(&format!("users/{id}")).await;
    assert_eq!(error_code(&r.body).as_deref(), Some("409003"), "{}", r.body);
    let now = listed(&c, &group, &id).await;
    assert!(now.iter().all(|s| s.contains("Unlicensed")), "{now:?}");
    changed(now, "409003");
    sim.stop().await;
}

#[tokio::test]
async fn name_eq_on_group_members_respects_membership() {
    let (sim, c) = start(SimConfig::new().users(30).groups(3)).await;
    let group = sim.groups("")[1].id.clone();
    let members = sim.group_members("", &group);
    let member = sim.user("", &members[0]).unwrap();
    let outsider = sim
        .users("")
        .into_iter()
        .find(|u| !members.contains(&u.id))
        .unwrap();
    let names = |xml: &str| attrs(xml, "user", "name");
    let get = |q: String| {
        let c = &c;
        let group = &group;
        async move { c.get(&format!("groups/{group}/users?{q}")).await.body }
    };
    let hit = get(format!("filter=name:eq:{}", member.name)).await;
    assert_eq!(names(&hit), std::slice::from_ref(&member.name));
    assert_eq!(total(&hit), 1);
    let miss = get(format!("filter=name:eq:{}", outsider.name)).await;
    assert_eq!((names(&miss).len(), total(&miss)), (0, 0));
    let other_role = if member.site_role == "Viewer" {
        "Creator"
    } else {
        "Viewer"
    };
    let both = get(format!(
        "filter=siteRole:eq:{other_role},name:eq:{}",
        member.name
    ))
    .await;
    assert_eq!(total(&both), 0);
    let page2 = get(format!(
        "filter=name:eq:{}&pageSize=1&pageNumber=2",
        member.name
    ))
    .await;
    assert_eq!(error_code(&page2).as_deref(), Some("400006"));
    // Removed from the group: no longer found there, still on the site.
    sim.remove_member("", &group, &member.id);
    assert_eq!(
        total(&get(format!("filter=name:eq:{}", member.name)).await),
        0
    );
    let site = c
        .get(&format!("users?filter=name:eq:{}", member.name))
        .await;
    assert_eq!(total(&site.body), 1);
    sim.stop().await;
}
