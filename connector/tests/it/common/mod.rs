//! End-to-end harness: a simulated Tableau site in process, a fresh store
//! file, and the real `tabgov` binary run against both.

pub mod bare;
pub mod serve;
pub mod settle;

use std::process::Stdio;

use tableau_sim::{SimConfig, Simulator};
use tempfile::TempDir;

/// The PAT every test signs in with (the simulator's default).
pub const PAT_NAME: &str = "admin-pat";
pub const PAT_SECRET: &str = "admin-secret";

/// A simulator, a scratch directory with the store, and helpers to run tabgov.
pub struct Env {
    pub sim: Simulator,
    pub dir: TempDir,
    /// The store when it is not the file in `dir`: a PostgreSQL database.
    pub store_url: Option<String>,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// A finished `tabgov` process as a run.
    pub fn from_output(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The one `error:` line of stderr (panics when there is not exactly one:
    /// a failure is one sentence).
    #[track_caller]
    pub fn error_line(&self) -> &str {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert_eq!(lines.len(), 1, "one error line:\n{}", self.stderr);
        lines[0]
    }

    /// The stdout parsed as JSON (panics with both streams when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts a zero exit and returns self.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

impl Env {
    /// Starts a simulator seeded by `config`.
    pub async fn start(config: SimConfig) -> Env {
        let sim = Simulator::start(config).await.expect("simulator starts");
        Env {
            sim,
            dir: tempfile::tempdir().expect("temp dir"),
            store_url: None,
        }
    }

    /// [`Env::start`] with the store in a new PostgreSQL database; `None`
    /// (the test says it was skipped) when no server was given.
    pub async fn start_on_postgres(config: SimConfig, test: &str) -> Option<Env> {
        let url = tabgov_state::testing::fresh_postgres_url(test).await?;
        let mut env = Env::start(config).await;
        env.store_url = Some(url);
        Some(env)
    }

    /// The store URL of this test.
    pub fn db(&self) -> String {
        self.store_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.dir.path().join("tabgov.db").display()))
    }

    /// Connection flags for the simulator's default site with the admin PAT.
    pub fn conn(&self) -> Vec<String> {
        vec![
            "--server".into(),
            self.sim.base_url(),
            "--site".into(),
            String::new(),
            "--pat-name".into(),
            PAT_NAME.into(),
        ]
    }

    /// Runs `tabgov --db <store> ARGS` with the PAT secret in the environment.
    pub async fn tabgov(&self, args: &[&str]) -> Run {
        self.tabgov_env(args, &[("TABGOV_PAT_SECRET", PAT_SECRET)])
            .await
    }

    /// Runs `tabgov --db <store> ARGS` with exactly `env` as tabgov's variables.
    pub async fn tabgov_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = self
            .command(&self.db(), args, env)
            .output()
            .await
            .expect("tabgov runs");
        Run::from_output(out)
    }

    /// The `tabgov --db DB ARGS` command, not yet started (for tests that
    /// kill it or run two at once).
    pub fn command(
        &self,
        db: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> tokio::process::Command {
        let mut cmd = tabgov_command(self.dir.path(), env);
        cmd.arg("--db").arg(db).args(args);
        cmd
    }

    /// `sync` arguments with the connection flags and `extra`.
    pub fn sync_args<'a>(&'a self, conn: &'a [String], extra: &[&'a str]) -> Vec<&'a str> {
        let mut args: Vec<&str> = vec!["sync"];
        args.extend(conn.iter().map(String::as_str));
        args.extend(extra);
        args
    }

    /// Opens the test's store file directly (to read runs and the journal).
    pub async fn store(&self) -> tabgov_state::Store {
        tabgov_state::Store::open(&self.db())
            .await
            .expect("store opens")
    }

    /// The test's store file as another process sees it, for statements the
    /// store offers no method for (a hand edit, a competing writer).
    /// The store is created (and migrated) first if it does not exist yet.
    pub async fn raw_db(&self) -> sqlx::SqlitePool {
        self.store().await.close().await;
        sqlx::SqlitePool::connect(&self.db())
            .await
            .expect("the store file opens")
    }

    /// `tabgov sync` against the simulator, with extra flags.
    pub async fn sync(&self, extra: &[&str]) -> Run {
        let conn = self.conn();
        self.tabgov(&self.sync_args(&conn, extra)).await
    }

    /// `tabgov accounts --format json`, parsed.
    pub async fn accounts(&self) -> Vec<serde_json::Value> {
        let run = self.tabgov(&["accounts", "--format", "json"]).await.ok();
        run.json().as_array().cloned().expect("an array")
    }
}

/// The `tabgov` binary in `dir` with exactly `env` as its tabgov variables
/// (the developer's own TABGOV_*, RUST_LOG and NO_COLOR are not passed on),
/// its output captured, killed if the test drops it.
pub fn tabgov_command(dir: &std::path::Path, env: &[(&str, &str)]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tabgov"));
    for (key, _) in std::env::vars() {
        if key.starts_with("TABGOV_") || key == "RUST_LOG" || key == "NO_COLOR" {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}
