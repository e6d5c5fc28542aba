//! `tabgov sync` end to end: the real binary over HTTP against the
//! simulator, into a real SQLite file.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use common::Env;
use serde_json::Value;
use tabgov_mapping::SiteRole;
use tableau_sim::SimConfig;

fn site(users: usize, groups: usize) -> SimConfig {
    SimConfig::new()
        .users(users)
        .groups(groups)
        .memberships_per_user(2)
        .owners_fraction(0.2)
        .seed(11)
}

fn by_id(accounts: &[Value]) -> BTreeMap<String, Value> {
    accounts
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_owned(), a.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2000_user_site_syncs_one_for_one() {
    let env = Env::start(site(2000, 40)).await;
    env.sync(&[]).await.ok();
    let accounts = by_id(&env.accounts().await);
    let users = env.sim.users("");
    assert_eq!(accounts.len(), users.len());
    let group_names: BTreeMap<String, String> = env
        .sim
        .groups("")
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    for u in users {
        let a = &accounts[&u.id];
        assert_eq!(a["name"], u.name.as_str());
        assert_eq!(a["email"].as_str(), u.email.as_deref());
        assert_eq!(a["full_name"].as_str(), u.full_name.as_deref());
        assert_eq!(a["site_role"], u.site_role.as_str(), "verbatim");
        let role = SiteRole::parse(&u.site_role);
        assert_eq!(a["license"], role.license().to_string().as_str());
        assert_eq!(a["status"], role.status().to_string().as_str());
        let last_login = a["last_login"]
            .as_str()
            .map(|t| t.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(last_login, u.last_login, "{}", u.name);
        let mut expected_groups: Vec<String> = env
            .sim
            .user_groups("", &u.id)
            .iter()
            .map(|g| group_names.get(g).cloned().unwrap_or_else(|| g.clone()))
            .filter(|name| name != "All Users")
            .collect();
        expected_groups.sort();
        let groups: Vec<String> = a["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(groups, expected_groups, "{}", u.name);
        assert_eq!(
            a["owned_content"].as_u64().unwrap() as usize,
            env.sim.owned_content("", &u.id).len(),
            "{}",
            u.name
        );
        for field in ["first_seen", "last_seen"] {
            assert!(a[field].is_string(), "{field} of {}", u.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_feed_holds_exactly_what_changed() {
    let env = Env::start(site(120, 6)).await;
    env.sync(&[]).await.ok();

    let users = env.sim.users("");
    let pick = |role: &str, skip: &BTreeSet<String>| {
        users
            .iter()
            .find(|u| u.site_role == role && !skip.contains(&u.id) && u.name != "admin")
            .unwrap_or_else(|| panic!("a {role}"))
            .clone()
    };
    let mut used = BTreeSet::new();
    let mover = pick("Viewer", &used);
    used.insert(mover.id.clone());
    let suspended = pick("Creator", &used);
    used.insert(suspended.id.clone());
    let leaver = pick("Viewer", &used);
    used.insert(leaver.id.clone());
    let group = env
        .sim
        .groups("")
        .into_iter()
        .find(|g| g.name != "All Users")
        .unwrap();
    let members: BTreeSet<String> = env.sim.group_members("", &group.id).into_iter().collect();
    let added = users
        .iter()
        .find(|u| !members.contains(&u.id) && !used.contains(&u.id) && u.name != "admin")
        .unwrap()
        .clone();
    used.insert(added.id.clone());
    let removed_from = users
        .iter()
        .find(|u| members.contains(&u.id) && !used.contains(&u.id))
        .unwrap()
        .clone();

    env.sim.set_site_role("", &mover.id, "Explorer");
    env.sim.set_site_role("", &suspended.id, "Unlicensed");
    env.sim.remove_user("", &leaver.id);
    let joiner = env.sim.add_user("", "newcomer", "Viewer");
    env.sim.add_member("", &group.id, &added.id);
    env.sim.remove_member("", &group.id, &removed_from.id);

    let run = env.sync(&[]).await.ok();
    assert!(run.stdout.contains("1 joined, 1 left"), "{}", run.stdout);
    let changes = env
        .tabgov(&["changes", "--run", "2", "--format", "json"])
        .await
        .ok()
        .json();
    let got: BTreeSet<(String, String)> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["user_id"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        (mover.id.clone(), "license_changed"),
        (suspended.id.clone(), "suspended"),
        (leaver.id.clone(), "left"),
        (joiner.id.clone(), "joined"),
        (added.id.clone(), "group_added"),
        (removed_from.id.clone(), "group_removed"),
    ]
    .into_iter()
    .map(|(id, k)| (id, k.to_owned()))
    .collect();
    assert_eq!(changes.as_array().unwrap().len(), 6, "{changes:#}");
    assert_eq!(got, expected);

    let accounts = by_id(&env.accounts().await);
    let gone = &accounts[&leaver.id];
    assert_eq!(gone["status"], "Deprovisioned");
    assert!(gone["deprovisioned_at"].is_string(), "{gone:#}");
    assert_eq!(accounts[&suspended.id]["status"], "Suspended");
    assert_eq!(accounts[&mover.id]["license"], "Explorer");

    // Nothing changed since: no events, no account row rewritten.
    env.sync(&[]).await.ok();
    let quiet = env
        .tabgov(&["changes", "--run", "3", "--format", "json"])
        .await
        .ok()
        .json();
    assert_eq!(quiet.as_array().unwrap().len(), 0, "{quiet:#}");
    let rewritten: Vec<Value> = env
        .accounts()
        .await
        .into_iter()
        .filter(|a| a["updated_run_id"] == 3)
        .collect();
    assert!(rewritten.is_empty(), "{rewritten:#?}");
}

/// Accounts without the fields that differ between two stores by design.
fn comparable(accounts: Vec<Value>) -> BTreeMap<String, Value> {
    accounts
        .into_iter()
        .map(|mut a| {
            let o = a.as_object_mut().unwrap();
            for volatile in ["first_seen", "last_seen", "updated_run_id", "site_key"] {
                o.remove(volatile);
            }
            (o["id"].as_str().unwrap().to_owned(), a)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_under_faults_stores_what_a_clean_sync_stores() {
    let env = Env::start(site(600, 15).retry_after_secs(0)).await;
    let clean_db = format!("sqlite://{}", env.dir.path().join("clean.db").display());
    let conn = env.conn();
    let args = env.sync_args(&conn, &["--page-size", "100"]);
    let clean = env
        .command(
            &clean_db,
            &args,
            &[("TABGOV_PAT_SECRET", common::PAT_SECRET)],
        )
        .output()
        .await
        .unwrap();
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    env.sim.set_faults(0.2, 0.1, 0);
    let before = env.sim.request_count();
    let faulty = env.sync(&["--page-size", "100"]).await.ok();
    assert!(env.sim.request_count() > before);
    assert!(
        !faulty.stdout.contains(" 0 retries"),
        "faults were met: {}",
        faulty.stdout
    );
    env.sim.set_faults(0.0, 0.0, 0);

    let with_faults = comparable(env.accounts().await);
    let clean_run = env
        .command(&clean_db, &["accounts", "--format", "json"], &[])
        .output()
        .await
        .unwrap();
    let clean_accounts: Vec<Value> = serde_json::from_slice(&clean_run.stdout).unwrap();
    assert_eq!(with_faults, comparable(clean_accounts));
}
