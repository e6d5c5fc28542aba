//! Running the binary without the harness's `--db`, for tests of `--db`
//! and TABGOV_DB themselves.

use std::path::Path;
use std::process::Stdio;

use super::Run;

/// `tabgov ARGS` in `dir` with exactly `env` as tabgov's variables.
pub async fn tabgov_bare(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tabgov"));
    for (key, _) in std::env::vars() {
        if key.starts_with("TABGOV_") || key == "RUST_LOG" || key == "NO_COLOR" {
            cmd.env_remove(key);
        }
    }
    let out = cmd
        .envs(env.iter().copied())
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .expect("tabgov runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
