//! `tabgov review export`: the access-review sheet from the store.

use crate::common;
use crate::review_helpers;

use std::collections::BTreeSet;

use common::Env;
use review_helpers::*;
use tableau_sim::SimConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sheet_has_one_row_per_entitlement_and_a_delta_covers_only_changed_accounts() {
    let env = synced().await;
    let rows = export(&env).await;
    assert_eq!(
        rows[0],
        [
            "site",
            "user_id",
            "username",
            "email",
            "full_name",
            "status",
            "last_login",
            "owned_content",
            "entitlement",
            "value",
            "granted_by",
            "decision",
            "comment"
        ]
    );
    let accounts = env.accounts().await;
    let expected: usize = accounts
        .iter()
        .filter(|a| a["status"] != "Deprovisioned")
        .map(|a| 3 + a["groups"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len() - 1, expected);
    let (u, k, v, g) = (
        col(&rows, "username"),
        col(&rows, "entitlement"),
        col(&rows, "value"),
        col(&rows, "granted_by"),
    );
    for a in &accounts {
        let name = a["name"].as_str().unwrap();
        let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[u] == name).collect();
        let of = |kind: &str| -> BTreeSet<String> {
            mine.iter()
                .filter(|r| r[k] == kind)
                .map(|r| r[v].clone())
                .collect()
        };
        assert_eq!(of("account"), BTreeSet::from([name.to_owned()]));
        assert_eq!(
            of("site_role"),
            BTreeSet::from([a["site_role"].as_str().unwrap().to_owned()])
        );
        assert_eq!(
            of("license"),
            BTreeSet::from([a["license"].as_str().unwrap().to_owned()])
        );
        let groups: BTreeSet<String> = a["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(of("group"), groups, "{name}");
        for r in &mine {
            assert!(r[col(&rows, "decision")].is_empty() && r[col(&rows, "comment")].is_empty());
        }
    }
    let ana_role = rows
        .iter()
        .find(|r| r[u] == "ana" && r[k] == "site_role")
        .unwrap();
    assert_eq!(
        ana_role[g], "group:Analysts (auto)",
        "granted by the grant-licence group"
    );

    let json = env
        .tabgov(&["review", "export", "--format", "json"])
        .await
        .ok()
        .json();
    let json = json.as_array().unwrap();
    assert_eq!(json.len(), expected);
    assert_eq!(json[0]["decision"], "");

    // A delta review after run 1: only the accounts a later sync changed.
    let (mover, _) = pick(&accounts, "Viewer", "");
    let mover_id = env.sim.user_by_name(SITE, &mover).unwrap().id;
    env.sim.set_site_role(SITE, &mover_id, "Explorer");
    let joiner = env.sim.add_user(SITE, "new.hire", "Viewer");
    let group = env
        .sim
        .groups(SITE)
        .into_iter()
        .find(|g| g.name != "All Users")
        .unwrap();
    env.sim.add_member(SITE, &group.id, &joiner.id);
    env.sync(&[]).await.ok();
    let delta = read_sheet(
        &env.tabgov(&["review", "export", "--changed-since", "1"])
            .await
            .ok()
            .stdout,
    );
    let users: BTreeSet<&str> = delta[1..].iter().map(|r| r[u].as_str()).collect();
    assert_eq!(users, BTreeSet::from([mover.as_str(), "new.hire"]));
    assert_eq!(delta.len() - 1, (3 + 2) + (3 + 1), "{delta:?}");

    let unknown = env
        .tabgov(&["review", "export", "--changed-since", "99"])
        .await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("no sync run 99"),
        "{}",
        unknown.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formula_like_names_are_guarded_in_the_sheet_and_read_back() {
    let env = synced().await;
    let group = env.sim.add_group(SITE, "-Contractors", None, None);
    let eve = env.sim.add_user(SITE, "eve", "Viewer");
    env.sim.add_member(SITE, &group.id, &eve.id);
    env.sync(&[]).await.ok();
    let mut rows = export(&env).await;
    let v = col(&rows, "value");
    let i = decide(&mut rows, "eve", "group", Some("'-Contractors"), "revoke");
    assert_eq!(rows[i][v], "'-Contractors", "a spreadsheet must not run it");
    apply(&env, &write_sheet(&rows), &["--campaign", "c"])
        .await
        .ok();
    assert!(!env.sim.user_groups(SITE, &eve.id).contains(&group.id));

    let empty = Env::start(SimConfig::new()).await;
    for args in [&["review", "export"][..], &["report", "licenses"][..]] {
        let run = empty.tabgov(args).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("run tabgov sync first"),
            "{}",
            run.stderr
        );
    }
}
