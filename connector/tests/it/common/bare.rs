//! Running the binary without the harness's `--db`, for tests of `--db`
//! and TABGOV_DB themselves.

use std::path::Path;

use super::{tabgov_command, Run};

/// `tabgov ARGS` in `dir` with exactly `env` as tabgov's variables.
pub async fn tabgov_bare(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = tabgov_command(dir, env)
        .args(args)
        .output()
        .await
        .expect("tabgov runs");
    Run::from_output(out)
}
