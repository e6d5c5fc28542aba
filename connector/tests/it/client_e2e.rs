//! The REST client against the simulator: faults, token expiry, a second
//! client on the same PAT, connected-app scopes, and the sentences a user
//! sees when the connection is wrong.

use crate::common;

use std::time::{Duration, Instant};

use common::{Env, PAT_NAME, PAT_SECRET};
use tabgov::api::users;
use tabgov::credentials::{Credential, Scope};
use tabgov::listing::fetch_all;
use tabgov::transport::{Transport, TransportOptions};
use tabgov::{Error, Secret};
use tabgov_mapping::Account;
use tableau_sim::SimConfig;

fn pat() -> Credential {
    Credential::Pat {
        name: PAT_NAME.into(),
        secret: Secret::new(PAT_SECRET),
    }
}

fn options(env: &Env, page_size: u32, concurrency: usize) -> TransportOptions {
    let mut o = TransportOptions::new(env.sim.base_url(), "");
    o.page_size = page_size;
    o.concurrency = concurrency;
    o.max_rps = 0;
    o
}

async fn list_users(t: &Transport) -> tabgov::Result<Vec<Account>> {
    let site = t.site_id();
    fetch_all(
        t,
        "users",
        |p| users::list_users(site, p),
        users::decode_users,
        |a: &Account| a.id.as_str(),
    )
    .await
}

fn sorted(mut accounts: Vec<Account>) -> Vec<Account> {
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    accounts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_change_nothing_in_a_5000_user_listing() {
    let env = Env::start(
        SimConfig::new()
            .users(5000)
            .groups(10)
            .seed(3)
            .retry_after_secs(0),
    )
    .await;
    let t = Transport::connect(options(&env, 250, 8), pat(), Scope::SYNC)
        .await
        .unwrap();
    let clean = sorted(list_users(&t).await.unwrap());
    assert_eq!(clean.len(), 5001);

    env.sim.set_faults(0.2, 0.1, 30);
    let before = t.stats();
    let faulty = sorted(list_users(&t).await.unwrap());
    let after = t.stats();
    assert!(
        after.retries > before.retries,
        "faults were met and retried"
    );
    assert_eq!(faulty, clean);
    t.sign_out().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_outlives_its_token_signs_in_exactly_once_more() {
    let env = Env::start(
        SimConfig::new()
            .users(2999)
            .groups(4)
            .seed(4)
            .token_ttl(Duration::from_millis(2500))
            .latency_ms(500),
    )
    .await;
    // Six pages one after another, 0.5 s each: the token expires once, near
    // the middle, and the renewed one outlives the rest.
    let t = Transport::connect(options(&env, 500, 1), pat(), Scope::SYNC)
        .await
        .unwrap();
    let started = Instant::now();
    let all = list_users(&t).await.unwrap();
    let took = started.elapsed();
    assert_eq!(all.len(), 3000);
    assert!(
        took > Duration::from_millis(2500),
        "the listing outlived the token: {took:?}"
    );
    assert_eq!(env.sim.sign_in_count(), 2, "one sign-in, one renewal");
    assert_eq!(t.stats().sign_ins, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_client_on_the_same_pat_is_reported_not_fought_forever() {
    let env = Env::start(
        SimConfig::new()
            .users(3000)
            .groups(4)
            .seed(5)
            .latency_ms(60),
    )
    .await;
    let t = Transport::connect(options(&env, 100, 1), pat(), Scope::SYNC)
        .await
        .unwrap();
    let url = env.sim.base_url();
    let thief = tokio::spawn(async move {
        let body = format!(
            r#"<tsRequest><credentials personalAccessTokenName="{PAT_NAME}" personalAccessTokenSecret="{PAT_SECRET}"><site contentUrl=""/></credentials></tsRequest>"#
        );
        let http = reqwest::Client::new();
        for _ in 0..100 {
            let _ = http
                .post(format!("{url}/api/3.21/auth/signin"))
                .body(body.clone())
                .send()
                .await;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    });
    let started = Instant::now();
    let err = list_users(&t).await.unwrap_err();
    thief.abort();
    assert!(matches!(err, Error::SessionStolen { .. }), "{err:?}");
    assert!(err
        .to_string()
        .contains("another client is using the same personal access token"));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(t.stats().sign_ins <= 3, "{:?}", t.stats());
}

fn connected_app() -> Credential {
    Credential::ConnectedApp {
        client_id: "tabgov-app".into(),
        secret_id: "kid-1".into(),
        secret: Secret::new("connected-app-secret"),
        username: "admin".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connected_app_gets_the_scopes_it_asks_for_and_no_more() {
    let env = Env::start(SimConfig::new().users(50).groups(3).connected_app(
        "tabgov-app",
        "kid-1",
        "connected-app-secret",
    ))
    .await;

    // A sync asks only for read scopes, and they are enough.
    let run = env
        .tabgov_env(
            &[
                "sync",
                "--server",
                &env.sim.base_url(),
                "--site",
                "",
                "--jwt-client-id",
                "tabgov-app",
                "--jwt-secret-id",
                "kid-1",
                "--jwt-username",
                "admin",
            ],
            &[("TABGOV_JWT_SECRET", "connected-app-secret")],
        )
        .await
        .ok();
    assert!(run.stdout.contains("51 users"), "{}", run.stdout);

    // With read scopes, an update is refused and reported as a scope problem.
    let target = env
        .sim
        .users("")
        .into_iter()
        .find(|u| u.name != "admin" && u.site_role != "Viewer")
        .unwrap();
    let read_only = Transport::connect(options(&env, 100, 2), connected_app(), Scope::SYNC)
        .await
        .unwrap();
    let site = read_only.site_id();
    let update = users::update_site_role(
        site,
        &target.id.as_str().into(),
        &tabgov_mapping::SiteRole::Viewer,
    );
    let err = read_only.send(&update).await.unwrap_err();
    assert!(
        err.is_tableau(tabgov::ErrorCode::SESSION_INVALID),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("outside the connected app's scopes"),
        "{err}"
    );
    assert_ne!(env.sim.user("", &target.id).unwrap().site_role, "Viewer");

    // Asking for the update scope makes the same call work.
    let writer = Transport::connect(
        options(&env, 100, 2),
        connected_app(),
        &[Scope::UsersRead, Scope::UsersUpdate],
    )
    .await
    .unwrap();
    writer.send(&update).await.unwrap();
    assert_eq!(env.sim.user("", &target.id).unwrap().site_role, "Viewer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_connections_end_with_exit_1_and_one_sentence() {
    let env = Env::start(SimConfig::new().users(5).groups(1)).await;
    let server = env.sim.base_url();
    let check = |site: &str, server: &str| {
        vec![
            "check".to_owned(),
            "--server".into(),
            server.to_owned(),
            "--site".into(),
            site.to_owned(),
            "--pat-name".into(),
            PAT_NAME.into(),
        ]
    };

    let wrong_pat = env
        .tabgov_env(
            &refs(&check("", &server)),
            &[("TABGOV_PAT_SECRET", "not-the-secret")],
        )
        .await;
    assert_eq!(wrong_pat.code, 1, "{wrong_pat:?}");
    assert_one_sentence(
        &wrong_pat.stderr,
        &["sign-in failed", "TABGOV_PAT_SECRET", "401001"],
    );
    assert!(
        !wrong_pat.stderr.contains("not-the-secret"),
        "the secret is never printed"
    );

    let wrong_site = env.tabgov(&refs(&check("no-such-site", &server))).await;
    assert_eq!(wrong_site.code, 1, "{wrong_site:?}");
    assert_one_sentence(
        &wrong_site.stderr,
        &[
            "sign-in failed",
            "the site does not exist",
            "--site",
            "401001",
        ],
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let unreachable = env
        .tabgov(&refs(
            &[
                check("", &dead),
                vec!["--connect-timeout-secs".into(), "1".into()],
            ]
            .concat(),
        ))
        .await;
    assert_eq!(unreachable.code, 1, "{unreachable:?}");
    assert_one_sentence(
        &unreachable.stderr,
        &["cannot reach the Tableau server", "check --server"],
    );

    let bad_jwt = env
        .tabgov_env(
            &[
                "check",
                "--server",
                &server,
                "--jwt-client-id",
                "c",
                "--jwt-secret-id",
                "k",
                "--jwt-username",
                "admin",
            ],
            &[("TABGOV_JWT_SECRET", "s")],
        )
        .await;
    assert_eq!(bad_jwt.code, 1, "{bad_jwt:?}");
    assert_one_sentence(&bad_jwt.stderr, &["sign-in failed", "401001"]);

    let no_credential = env.tabgov(&["check", "--server", &server]).await;
    assert_eq!(no_credential.code, 2, "{no_credential:?}");
    assert_one_sentence(
        &no_credential.stderr,
        &["no credential given", "--pat-name"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_never_carry_secrets_or_tokens() {
    let env = Env::start(SimConfig::new().users(20).groups(2)).await;
    let conn = env.conn();
    let mut args = vec!["-vv"];
    args.extend(env.sync_args(&conn, &[]));
    let run = env.tabgov(&args).await.ok();
    assert!(
        run.stderr.contains("signed in"),
        "debug logging is on: {}",
        run.stderr
    );
    for secret in [PAT_SECRET, "X-Tableau-Auth", "token="] {
        assert!(
            !run.stderr.contains(secret),
            "{secret} leaked:\n{}",
            run.stderr
        );
    }
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[track_caller]
fn assert_one_sentence(stderr: &str, parts: &[&str]) {
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "one error line:\n{stderr}");
    for part in parts {
        assert!(
            lines[0].contains(part),
            "{part:?} missing from {:?}",
            lines[0]
        );
    }
}
