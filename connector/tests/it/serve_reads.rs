//! The read side of `tabgov serve`: accounts and groups paged by key, the
//! change feed as a cursor across syncs and a restart, the licence report
//! in three formats.

use std::collections::HashSet;

use tableau_sim::SimConfig;

use crate::common::serve::{ServeConfig, Served};
use crate::common::Env;

/// Every item of a paged list, following `next`.
async fn walk(served: &Served, path: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let url = match &next {
            Some(c) => format!("{path}&after={c}"),
            None => path.to_owned(),
        };
        let page = served.get(&url).await;
        assert_eq!(page.status, 200, "{url}: {}", page.body);
        let page = page.json();
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(c) => next = Some(c.to_owned()),
            None => return all,
        }
    }
}

#[tokio::test]
async fn accounts_pages_hold_every_account_once_as_the_simulator_has_them() {
    let env = Env::start(SimConfig::new().users(230).seed(11)).await;
    let served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;

    let accounts = walk(&served, "/v1/accounts?limit=100").await;
    let names: Vec<&str> = accounts
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "no account twice");
    let sim: HashSet<String> = env.sim.users("").into_iter().map(|u| u.name).collect();
    assert_eq!(unique, sim.iter().map(String::as_str).collect());
    let first = &accounts[0];
    let in_sim = env
        .sim
        .user_by_name("", first["name"].as_str().unwrap())
        .unwrap();
    assert_eq!(first["site_role"], in_sim.site_role);
    assert_eq!(first["id"], in_sim.id);

    let creators = walk(&served, "/v1/accounts?license=Creator&limit=7").await;
    let expected = env
        .sim
        .users("")
        .into_iter()
        .filter(|u| {
            tabgov_mapping::SiteRole::parse(&u.site_role).license()
                == tabgov_mapping::License::Creator
        })
        .count();
    assert_eq!(creators.len(), expected);
    assert!(creators.iter().all(|a| a["license"] == "Creator"));

    for (query, part) in [
        ("/v1/accounts?license=Gold", "license"),
        ("/v1/accounts?limit=0", "1 to 1000"),
        ("/v1/accounts?limit=5000", "1 to 1000"),
        ("/v1/accounts?after=garbage", "cursor"),
        ("/v1/accounts?site=nowhere", "no site"),
        ("/v1/accounts?colour=blue", "unknown field"),
    ] {
        let answer = served.get(query).await;
        assert_eq!(answer.status, 400, "{query}: {}", answer.body);
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(part), "{query}: {message}");
    }

    let groups = walk(&served, "/v1/groups?limit=3").await;
    let group_names: HashSet<String> = groups
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_owned())
        .collect();
    let sim_groups: HashSet<String> = env.sim.groups("").into_iter().map(|g| g.name).collect();
    assert_eq!(group_names, sim_groups);
    assert_eq!(served.stop().await, 0);
}

/// Polls the feed from `cursor` until an answer has nothing more; returns
/// the events and the new cursor.
async fn drain(served: &Served, cursor: &str) -> (Vec<i64>, String) {
    let mut ids = Vec::new();
    let mut cursor = cursor.to_owned();
    loop {
        let page = served
            .get(&format!("/v1/changes?limit=7&after={cursor}"))
            .await
            .json();
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap()),
        );
        cursor = page["next"].as_str().unwrap().to_owned();
        if page["more"] == false {
            return (ids, cursor);
        }
    }
}

#[tokio::test]
async fn the_change_feed_gives_every_event_once_across_syncs_and_a_restart() {
    let env = Env::start(SimConfig::new().users(30).seed(12)).await;
    let mut served = env.serve(ServeConfig::default()).await;
    let run = served.wait_for_success(0).await;
    let (mut seen, mut cursor) = drain(&served, "").await;
    assert!(!seen.is_empty(), "the first sync's joiners");

    let someone = env
        .sim
        .users("")
        .into_iter()
        .find(|u| u.site_role == "Viewer")
        .unwrap();
    env.sim.set_site_role("", &someone.id, "Creator");
    env.sim.add_user("", "newcomer", "Explorer");
    served
        .post_json("/v1/sites/main/sync", serde_json::json!({}))
        .await;
    let run = served.wait_for_success(run).await;
    let (more, next) = drain(&served, &cursor).await;
    assert!(more.len() >= 2, "a role change and a joiner: {more:?}");
    seen.extend(more);
    cursor = next;

    let pid = served.child.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-9", &pid])
        .status()
        .unwrap();
    served.child.wait().await.unwrap();
    env.sim.remove_user("", &someone.id);
    let (read, act, scim) = (served.read.clone(), served.act.clone(), served.scim.clone());
    served = env.start_serve(read, act, scim).await;
    served
        .post_json("/v1/sites/main/sync", serde_json::json!({}))
        .await;
    served.wait_for_success(run).await;
    let (more, _) = drain(&served, &cursor).await;
    assert!(!more.is_empty(), "the leaver");
    seen.extend(more);

    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no event twice");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in order");
    let store = env.store().await;
    let all = store.list_changes(&Default::default()).await.unwrap();
    assert_eq!(
        seen,
        all.iter().map(|e| e.id).collect::<Vec<_>>(),
        "none lost"
    );
    let bad = served.get("/v1/changes?after=abc").await;
    assert_eq!(bad.status, 400);
    assert_eq!(served.stop().await, 0);
}

#[tokio::test]
async fn the_licence_report_comes_as_json_csv_or_html() {
    let env = Env::start(SimConfig::new().users(40).seed(13)).await;
    let served = env.serve(ServeConfig::default()).await;
    served.wait_for_success(0).await;

    let json = served.get("/v1/reports/licenses").await;
    assert_eq!(json.status, 200);
    let report = json.json();
    assert!(report["licenses"].as_array().unwrap().len() > 1);
    let csv = served.get("/v1/reports/licenses?format=csv").await;
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(csv.body.starts_with("site,"), "{}", csv.body);
    let html = served
        .call(
            reqwest::Method::GET,
            "/v1/reports/licenses",
            Some(&served.read),
            None,
            &[("Accept", "text/html")],
        )
        .await;
    assert!(html.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        html.body.contains("<html"),
        "{}",
        &html.body[..200.min(html.body.len())]
    );
    let bad = served.get("/v1/reports/licenses?format=pdf").await;
    assert_eq!(bad.status, 400);
    assert_eq!(served.stop().await, 0);
}
