//! How many requests checking a large offboarding file costs: the users it
//! names are found in one user listing (a few pages), not one request per
//! row; and the progress a batch reports while it runs.

use crate::action_helpers;
use crate::common;

use std::sync::{Arc, Mutex};

use action_helpers::{act, assert_exit, journal};
use common::{Env, PAT_NAME, PAT_SECRET};
use tabgov::actions::{
    run_batch, scopes, ActionContext, ActionOptions, BatchProgress, BatchStage, TargetRequest, Verb,
};
use tabgov::credentials::Credential;
use tabgov::transport::{Transport, TransportOptions};
use tabgov::Secret;
use tableau_sim::SimConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checking_a_large_file_costs_listing_pages_not_a_request_per_row() {
    let env = Env::start(SimConfig::new().users(300).groups(0).seed(7)).await;
    env.sync(&[]).await.ok();
    let users: Vec<_> = env
        .sim
        .users("")
        .into_iter()
        .filter(|u| u.name != "admin")
        .take(240)
        .collect();
    assert_eq!(users.len(), 240);
    // Every way of naming a user: LUID, sign-in name (any case), email.
    let mut csv = String::from("user,action\n");
    for (i, u) in users.iter().enumerate() {
        let named = match i % 3 {
            0 => u.id.clone(),
            1 => u.name.to_uppercase(),
            _ => u.email.clone().expect("seeded users have an email"),
        };
        csv.push_str(&format!("{named},suspend\n"));
    }
    csv.push_str("nobody-at-all,suspend\n");
    let path = env.dir.path().join("leavers.csv");
    std::fs::write(&path, csv).unwrap();
    let file = path.display().to_string();

    let before = env.sim.request_count();
    let run = act(
        &env,
        "offboard",
        &["--file", &file, "--yes", "--page-size", "100"],
    )
    .await;
    let requests = env.sim.request_count() - before;

    // Only the unknown row is refused: the 240 others were all found.
    assert_exit(&run, 2);
    assert!(
        run.stderr.contains("1 problem(s)")
            && run.stderr.contains("line 242: no user 'nobody-at-all'"),
        "{}",
        run.stderr
    );
    // Server info and sign-in, four pages of 100 users, sign-out.
    assert!(requests <= 7, "checking 241 rows took {requests} requests");
    assert!(journal(&env).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_reports_each_target_checked_then_acted_on() {
    let env = Env::start(SimConfig::new().users(5).groups(0).seed(3)).await;
    env.sync(&[]).await.ok();
    let names: Vec<String> = env
        .sim
        .users("")
        .into_iter()
        .filter(|u| u.name != "admin")
        .take(3)
        .map(|u| u.name)
        .collect();
    let requests: Vec<TargetRequest> = names
        .iter()
        .map(|n| TargetRequest::new(n.clone(), Verb::Suspend))
        .collect();
    let store = env.store().await;
    let mut options = TransportOptions::new(env.sim.base_url(), "");
    options.max_rps = 0;
    let credential = Credential::Pat {
        name: PAT_NAME.to_owned(),
        secret: Secret::new(PAT_SECRET),
    };
    let transport = Transport::connect(options, credential, &scopes::for_batch(&requests))
        .await
        .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let progress = BatchProgress::new(move |stage, done, total| {
        record.lock().unwrap().push((stage, done, total));
    });
    let opts = ActionOptions {
        dry_run: true,
        ..ActionOptions::default()
    };
    let ctx = ActionContext::new(&transport, &store, opts)
        .await
        .unwrap()
        .with_progress(progress);
    let results = run_batch(&ctx, requests).await.unwrap();
    assert_eq!(results.len(), 3);
    use BatchStage::{Acting, Checking};
    assert_eq!(
        *seen.lock().unwrap(),
        [
            (Checking, 0, 3),
            (Checking, 1, 3),
            (Checking, 2, 3),
            (Checking, 3, 3),
            (Acting, 0, 3),
            (Acting, 1, 3),
            (Acting, 2, 3),
            (Acting, 3, 3),
        ]
    );
    drop(ctx);
    transport.sign_out().await.unwrap();
    store.close().await;
}
