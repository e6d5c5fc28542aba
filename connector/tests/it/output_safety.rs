//! Names from Tableau are data, never instructions: a user who names
//! themselves like a spreadsheet formula with a terminal escape sequence in
//! it comes out guarded in every CSV and escaped in every table, end to end
//! through a sync against the simulator into a real SQLite file. Files
//! tabgov writes are readable by their owner only.

use crate::common;

use std::os::unix::fs::PermissionsExt;

use common::{Env, Run};
use tableau_sim::SimConfig;

const HOSTILE: &str = "=cmd|'/C calc'!A0\x1b[31mmallory";
const GROUP: &str = "@SUM(1+1)*cmd|'/C calc'!A0\x1b]0;owned\x07";

async fn hostile_site() -> Env {
    let env = Env::start(SimConfig::new().users(12).groups(3).seed(41)).await;
    let user = env.sim.add_user("", HOSTILE, "Explorer");
    // Unused for a year: a reclamation candidate in the licence report.
    let long_ago = chrono::Utc::now() - chrono::Duration::days(365);
    env.sim.set_last_login("", &user.id, Some(long_ago));
    let group = env.sim.add_group("", GROUP, None, None);
    env.sim.add_member("", &group.id, &user.id);
    env.sync(&[]).await.ok();
    env
}

/// Every cell of every row whose cells mention `marker`.
fn csv_cells_with(run: &Run, marker: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .map(|r| r.expect("valid CSV"))
        .flat_map(|r| r.iter().map(str::to_owned).collect::<Vec<_>>())
        .filter(|c| c.contains(marker))
        .collect();
    assert!(
        !cells.is_empty(),
        "no cell with {marker:?}:\n{}",
        run.stdout
    );
    cells
}

fn assert_guarded(run: &Run, what: &str) {
    for marker in ["calc'!A0"] {
        for cell in csv_cells_with(run, marker) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{what}: a formula cell {cell:?}"
            );
        }
    }
}

fn assert_escaped(run: &Run, what: &str) {
    assert!(
        !run.stdout.contains('\x1b') && !run.stdout.contains('\x07'),
        "{what}: an escape sequence reached the terminal:\n{:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains("A0\\u{1b}"),
        "{what}: the escape is not shown:\n{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_are_guarded_in_csv_and_escaped_in_tables() {
    let env = hostile_site().await;
    let conn = env.conn();
    let mut suspend: Vec<&str> = vec!["suspend", HOSTILE, "--dry-run"];
    suspend.extend(conn.iter().map(String::as_str));

    for (what, args) in [
        ("accounts", vec!["accounts"]),
        ("groups", vec!["groups"]),
        ("changes", vec!["changes"]),
        ("suspend result", suspend.clone()),
    ] {
        let mut csv_args = args.clone();
        csv_args.extend(["--format", "csv"]);
        let csv = env.tabgov(&csv_args).await.ok();
        assert_guarded(&csv, what);
        let table = env.tabgov(&args).await.ok();
        assert_escaped(&table, what);
    }
    // The group's member list is a CSV column of its own.
    let groups = env.tabgov(&["groups", "--format", "csv"]).await.ok();
    let members = csv_cells_with(&groups, "mallory");
    assert!(members.iter().all(|c| !c.starts_with('=')), "{members:?}");

    // The licence report and the review sheet (guarded before) still are.
    let report = env
        .tabgov(&[
            "report",
            "licenses",
            "--format",
            "csv",
            "--inactive-days",
            "1",
        ])
        .await
        .ok();
    assert_guarded(&report, "report licenses");
    let table = env
        .tabgov(&["report", "licenses", "--inactive-days", "1"])
        .await
        .ok();
    assert_escaped(&table, "report licenses");
    let review = env.tabgov(&["review", "export"]).await.ok();
    assert_guarded(&review, "review export");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_and_written_reports_are_owner_only() {
    let env = Env::start(SimConfig::new().users(12).groups(3).seed(42)).await;
    env.sync(&[]).await.ok();
    let mode = |name: &str| {
        std::fs::metadata(env.dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("tabgov.db"), 0o600, "the store");
    for (format, out) in [
        ("html", "licences.html"),
        ("csv", "licences.csv"),
        ("json", "licences.json"),
    ] {
        env.tabgov(&["report", "licenses", "--format", format, "--out", out])
            .await
            .ok();
        assert_eq!(mode(out), 0o600, "{out}");
    }
    env.tabgov(&["review", "export", "--out", "review.csv"])
        .await
        .ok();
    assert_eq!(mode("review.csv"), 0o600, "the review sheet");
}
