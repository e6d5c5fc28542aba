//! A site whose "All Users" group grants a licence on sign-in: nobody can
//! leave it, so `suspend --sticky` says the suspension will not stick (in
//! the plan and in the result) instead of trying to remove the membership.
//! The grant reaches tabgov only through `<import siteRole grantLicenseMode>`,
//! as real Tableau sends it.

use crate::action_helpers;
use crate::common;

use action_helpers::{act, empty_site, journal};
use common::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sticky_suspend_says_all_users_will_license_the_user_again() {
    let env = Env::start(empty_site()).await;
    let all_users = env
        .sim
        .groups("")
        .into_iter()
        .find(|g| g.name == "All Users")
        .unwrap();
    env.sim.set_group_grant(
        "",
        &all_users.id,
        Some("Explorer"),
        Some("onLogin"),
        "local",
    );
    let carl = env.sim.add_user("", "carl", "Creator");
    env.sync(&[]).await.ok();

    let plan = act(
        &env,
        "suspend",
        &["carl", "--sticky", "--dry-run", "--format", "json"],
    )
    .await
    .ok();
    let row = &plan.json()[0];
    assert_eq!(row["result"], "planned", "{row}");
    let detail = row["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("would set carl from Creator to Unlicensed; All Users")
            && detail
                .contains("cannot be left, so the suspension will not stick even with --sticky"),
        "{detail}"
    );
    assert_eq!(env.sim.user("", &carl.id).unwrap().site_role, "Creator");

    let run = act(&env, "suspend", &["carl", "--sticky", "--format", "json"])
        .await
        .ok();
    let row = &run.json()[0];
    assert_eq!(row["result"], "completed", "{row}");
    assert_eq!(row["groups"], serde_json::json!([]), "{row}");
    let warnings = row["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .unwrap()
            .starts_with("All Users (grants Explorer) licenses every user again on sign-in")),
        "{row}"
    );
    assert!(run.stderr.contains("cannot be left"), "{}", run.stderr);
    assert!(journal(&env).await[0].intent.groups_removed.is_empty());
    // The warning was right.
    env.sim.interactive_sign_in("", &carl.id);
    assert_eq!(env.sim.user("", &carl.id).unwrap().site_role, "Explorer");
}
