//! Every recorded Tableau response the simulator covers, compared with the
//! simulator's answer to the equivalent request: same element paths, same
//! attribute names, same namespace (values may differ). Lists compare the
//! shape of their first item.

use crate::common;

use common::*;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::{BTreeSet, HashSet};
use tableau_sim::SimConfig;

#[derive(Debug, Default)]
struct El {
    name: String,
    ns: String,
    attrs: BTreeSet<String>,
    children: Vec<El>,
}

fn tree(xml: &str) -> El {
    let mut r = NsReader::from_str(xml);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        let (res, ev) = r.read_resolved_event().expect("xml");
        let ns = match res {
            ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
            _ => String::new(),
        };
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| a.unwrap())
                    .filter(|a| {
                        let k = a.key.as_ref();
                        k != b"xmlns" && !k.starts_with(b"xmlns:")
                    })
                    .map(|a| String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned())
                    .collect();
                let el = El {
                    name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    ns,
                    attrs,
                    children: vec![],
                };
                if empty {
                    stack.last_mut().unwrap().children.push(el);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    stack.pop().unwrap().children.pop().expect("root element")
}

fn shape(el: &El, path: &str, out: &mut BTreeSet<String>) {
    let p = format!("{path}/{}", el.name);
    out.insert(format!("{p} {{{}}} {:?}", el.ns, el.attrs));
    let mut seen = HashSet::new();
    for c in &el.children {
        if seen.insert(c.name.clone()) {
            shape(c, &p, out);
        }
    }
}

fn shape_of(xml: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    shape(&tree(xml), "", &mut out);
    out
}

fn fixture(name: &str) -> String {
    let path = format!("{}/../fixtures/tableau/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn same_shape(name: &str, sim_xml: &str) {
    let want = shape_of(&fixture(name));
    let got = shape_of(sim_xml);
    assert_eq!(
        got, want,
        "{name}: simulator answer differs in shape\n{sim_xml}"
    );
}

#[tokio::test]
async fn simulator_answers_have_the_recorded_shapes() {
    let (sim, c) = start(SimConfig::new().pat("alice-pat", "x")).await;
    let alice = sim.add_user("", "alice", "Publisher");
    sim.interactive_sign_in("", &alice.id);
    let admin = sim.user_by_name("", "admin").unwrap();
    let http = c.http.clone();
    let http = &http;
    let base = c.base.clone();
    let api = |p: &str| format!("{base}/api/{V}/{p}");

    // Content: admin owns the first of each list, alice the tagged ones.
    let wb_admin = sim.give_content("", &admin.id, "workbook", "Superstore");
    let wb_alice = sim.give_content("", &alice.id, "workbook", "SafariSample");
    sim.set_tags("", &wb_alice.id, &["Safari", "Sample"]);
    sim.give_content("", &admin.id, "datasource", "SampleDS");
    let fl = sim.give_content("", &alice.id, "flow", "FlowOne");
    sim.set_tags("", &fl.id, &["i_love_tags"]);
    sim.give_content("", &alice.id, "project", "Tableau");
    sim.give_content("", &admin.id, "view", "Overview");
    sim.give_content("", &admin.id, "customView", "ENDANGERED SAFARI");
    sim.give_content("", &admin.id, "dataAlert", "Data Alert test");
    let _ = wb_admin;

    let r = sign_in(http, &c.base, signin_body("admin-pat", "admin-secret", "")).await;
    same_shape("auth_sign_in.xml", &r.body);
    let c = Client {
        token: attr(&r.body, "credentials", "token").unwrap(),
        ..c
    };
    let r = sign_in(http, &c.base, signin_body("admin-pat", "wrong", "")).await;
    same_shape("auth_sign_in_error.xml", &r.body);

    let r = raw(
        http,
        reqwest::Method::GET,
        &api("serverInfo"),
        None,
        None,
        false,
    )
    .await;
    same_shape("server_info_get.xml", &r.body);
    let r = raw(
        http,
        reqwest::Method::GET,
        &format!("{}/api/2.3/serverInfo", c.base),
        None,
        None,
        false,
    )
    .await;
    same_shape("server_info_404.xml", &r.body);

    same_shape("user_get.xml", &c.get("users?fields=_all_").await.body);
    same_shape(
        "user_get_empty.xml",
        &c.get("users?filter=name:eq:nobody").await.body,
    );
    same_shape(
        "user_get_by_id.xml",
        &c.get(&format!("users/{}", alice.id)).await.body,
    );
    let r = c.put(&format!("users/{}", alice.id), r#"<tsRequest><user fullName="Cassie" email="cassie@email.com" siteRole="Viewer"/></tsRequest>"#).await;
    same_shape("user_update.xml", &r.body);
    // The group fixtures were recorded before API 3.9, which added an
    // `<import>` to every group: they are compared with a 3.8 answer.
    let before_3_9 = Client {
        http: c.http.clone(),
        base: c.base.clone(),
        token: c.token.clone(),
        site: c.site.clone(),
        user: c.user.clone(),
        v: "3.8".into(),
    };
    same_shape(
        "user_populate_groups.xml",
        &before_3_9
            .get(&format!("users/{}/groups", alice.id))
            .await
            .body,
    );
    same_shape(
        "user_populate_workbooks.xml",
        &c.get(&format!("users/{}/workbooks?ownedBy=true", alice.id))
            .await
            .body,
    );

    same_shape("group_get.xml", &before_3_9.get("groups").await.body);
    let g = sim.add_group("", "TableauExample", None, None);
    let empty = sim.add_group("", "Empty", None, None);
    let r = c
        .post(
            &format!("groups/{}/users", g.id),
            &format!(r#"<tsRequest><user id="{}"/></tsRequest>"#, alice.id),
        )
        .await;
    same_shape("group_add_user.xml", &r.body);
    same_shape(
        "group_populate_users.xml",
        &c.get(&format!("groups/{}/users", g.id)).await.body,
    );
    same_shape(
        "group_populate_users_empty.xml",
        &c.get(&format!("groups/{}/users", empty.id)).await.body,
    );

    same_shape("workbook_get.xml", &c.get("workbooks").await.body);
    same_shape("datasource_get.xml", &c.get("datasources").await.body);
    same_shape("flow_get.xml", &c.get("flows").await.body);
    same_shape("project_get.xml", &c.get("projects").await.body);
    same_shape("custom_view_get.xml", &c.get("customviews").await.body);
    same_shape("data_alerts_get_by_id.xml", &c.get("dataAlerts").await.body);
    sim.stop().await;
}

#[test]
fn shape_helper_sees_prefixed_namespaces_as_equal() {
    let a = r#"<tsResponse xmlns="http://tableau.com/api"><users><user id="1" name="a"/><user id="2"/></users></tsResponse>"#;
    let b = r#"<ns0:tsResponse xmlns:ns0="http://tableau.com/api"><ns0:users><ns0:user name="b" id="3"/></ns0:users></ns0:tsResponse>"#;
    assert_eq!(shape_of(a), shape_of(b));
    let c =
        r#"<tsResponse xmlns="http://other"><users><user id="1" name="a"/></users></tsResponse>"#;
    assert_ne!(shape_of(a), shape_of(c));
}
