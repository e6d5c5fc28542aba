//! Extra root certificates: a `--ca-cert` or `SSL_CERT_FILE` that holds no
//! usable certificate stops the run with exit 2 and names the file, before
//! anything is sent; a real PEM bundle in either is accepted.

use crate::common;

use common::{Env, PAT_NAME, PAT_SECRET};
use tableau_sim::SimConfig;

/// A self-signed certificate (public part only), valid as a trust root.
const ROOT_PEM: &str = include_str!("../../../tests/fixtures/tls/root-ca.pem");

fn check(env: &Env) -> Vec<String> {
    [
        "check",
        "--server",
        &env.sim.base_url(),
        "--site",
        "",
        "--pat-name",
        PAT_NAME,
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_ca_file_is_refused_naming_it() {
    let env = Env::start(SimConfig::new()).await;
    let garbage = env.dir.path().join("not-a-cert.pem");
    std::fs::write(&garbage, "hello, I am not a certificate\n").unwrap();
    let garbage = garbage.display().to_string();

    let mut args = check(&env);
    args.extend(["--ca-cert".to_owned(), garbage.clone()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let flag = env.tabgov(&args).await;
    assert_eq!(flag.code, 2, "{flag:?}");
    assert!(flag.stderr.contains(&garbage), "{}", flag.stderr);
    assert!(flag.stderr.contains("--ca-cert"), "{}", flag.stderr);

    let args = check(&env);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let variable = env
        .tabgov_env(
            &args,
            &[
                ("TABGOV_PAT_SECRET", PAT_SECRET),
                ("SSL_CERT_FILE", &garbage),
            ],
        )
        .await;
    assert_eq!(variable.code, 2, "{variable:?}");
    assert!(variable.stderr.contains(&garbage), "{}", variable.stderr);
    assert!(
        variable.stderr.contains("SSL_CERT_FILE"),
        "{}",
        variable.stderr
    );
    assert_eq!(env.sim.request_count(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pem_bundle_is_accepted_from_the_flag_or_the_environment() {
    let env = Env::start(SimConfig::new()).await;
    let root = env.dir.path().join("root-ca.pem");
    std::fs::write(&root, ROOT_PEM).unwrap();
    let root = root.display().to_string();

    let mut args = check(&env);
    args.extend(["--ca-cert".to_owned(), root.clone()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.tabgov(&args).await.ok();

    let args = check(&env);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.tabgov_env(
        &args,
        &[("TABGOV_PAT_SECRET", PAT_SECRET), ("SSL_CERT_FILE", &root)],
    )
    .await
    .ok();
}
