//! Sessions that expire during a run: Tableau Cloud answers `401000` for
//! an expired session (Tableau Server `401002`). Either renews the session
//! once, single-flight, and an expiry is never reported as another client
//! using the same token, however often sessions expire.

use crate::common;

use std::time::Duration;

use common::{Env, PAT_NAME, PAT_SECRET};
use tabgov::api::users;
use tabgov::credentials::{Credential, Scope};
use tabgov::listing::fetch_all;
use tabgov::transport::{Transport, TransportOptions};
use tabgov::Secret;
use tabgov_mapping::Account;
use tableau_sim::SimConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_that_keep_expiring_with_401000_are_renewed_not_called_stolen() {
    let env = Env::start(
        SimConfig::new()
            .users(2999)
            .groups(2)
            .seed(8)
            .token_ttl(Duration::from_millis(900))
            .expired_session_401000(true)
            .latency_ms(300),
    )
    .await;
    let mut options = TransportOptions::new(env.sim.base_url(), "");
    options.page_size = 250;
    options.concurrency = 2;
    let credential = Credential::Pat {
        name: PAT_NAME.into(),
        secret: Secret::new(PAT_SECRET),
    };
    let t = Transport::connect(options, credential, Scope::SYNC)
        .await
        .unwrap();
    let site = t.site_id();
    // Twelve pages, two at a time, 0.3 s each: every session expires after
    // three rounds or so, and young: sessions dying this young after more
    // than one renewal would look stolen if an expiry counted.
    let all: Vec<Account> = fetch_all(
        &t,
        "users",
        |p| users::list_users(site, p),
        users::decode_users,
        |a: &Account| a.id.as_str(),
    )
    .await
    .unwrap();
    assert_eq!(all.len(), 3000);
    let sign_ins = t.stats().sign_ins;
    assert!(
        sign_ins >= 3,
        "sessions expired and were renewed: {sign_ins}"
    );
    assert_eq!(env.sim.sign_in_count(), sign_ins, "one sign-in per expiry");
}
