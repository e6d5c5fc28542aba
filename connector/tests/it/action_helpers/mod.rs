//! Helpers shared by the `actions_*` end-to-end suites: a small named site,
//! running an action with the simulator's connection flags, and reading
//! the journal and sites back from the store file.

use std::process::Stdio;

use tabgov_state::{JournalEntry, JournalFilter, SiteRecord, Store};
use tableau_sim::SimConfig;
use tokio::io::AsyncWriteExt;

use crate::common::{Env, Run, PAT_SECRET};

/// A site with only the users and groups a test adds (plus `admin`).
pub fn empty_site() -> SimConfig {
    SimConfig::new().users(0).groups(0).seed(5)
}

/// `tabgov COMMAND ARGS... <connection flags>`.
pub fn command_line(env: &Env, command: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec![command.to_owned()];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    all.extend(env.conn());
    all
}

/// Runs an action against the simulator.
pub async fn act(env: &Env, command: &str, args: &[&str]) -> Run {
    let line = command_line(env, command, args);
    let refs: Vec<&str> = line.iter().map(String::as_str).collect();
    env.tabgov(&refs).await
}

/// Runs an action with extra environment variables (the PAT secret included).
pub async fn act_env(env: &Env, command: &str, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let line = command_line(env, command, args);
    let refs: Vec<&str> = line.iter().map(String::as_str).collect();
    let mut all = vec![("TABGOV_PAT_SECRET", PAT_SECRET)];
    all.extend_from_slice(vars);
    env.tabgov_env(&refs, &all).await
}

/// Runs an action with `input` on its standard input.
pub async fn act_stdin(env: &Env, command: &str, args: &[&str], input: &str) -> Run {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tabgov"));
    for (key, _) in std::env::vars() {
        if key.starts_with("TABGOV_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.env("TABGOV_PAT_SECRET", PAT_SECRET)
        .current_dir(env.dir.path())
        .arg("--db")
        .arg(env.db())
        .args(command_line(env, command, args))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("tabgov starts");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(input.as_bytes())
        .await
        .expect("write stdin");
    drop(stdin);
    let out = child.wait_with_output().await.expect("tabgov runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every journal entry in the store file, oldest first.
pub async fn journal(env: &Env) -> Vec<JournalEntry> {
    let store = Store::open(&env.db()).await.expect("store opens");
    let entries = store
        .journal_list(&JournalFilter::default())
        .await
        .expect("journal reads");
    store.close().await;
    entries
}

/// Every site row in the store file.
pub async fn sites(env: &Env) -> Vec<SiteRecord> {
    let store = Store::open(&env.db()).await.expect("store opens");
    let sites = store.list_sites().await.expect("sites read");
    store.close().await;
    sites
}

/// The account named `name` from `tabgov accounts --format json`.
pub async fn account(env: &Env, name: &str) -> Option<serde_json::Value> {
    env.accounts().await.into_iter().find(|a| a["name"] == name)
}

/// Asserts an exit code, showing both streams when it differs.
#[track_caller]
pub fn assert_exit(run: &Run, code: i32) {
    assert_eq!(
        run.code, code,
        "exit {}\nstdout:\n{}\nstderr:\n{}",
        run.code, run.stdout, run.stderr
    );
}
