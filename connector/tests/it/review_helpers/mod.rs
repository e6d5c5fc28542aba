//! Shared steps of the access-review tests: a synced simulated site, the
//! sheet as CSV records, decisions, applying, and the journal.

use serde_json::Value;
use tabgov_state::{JournalFilter, Store};
use tableau_sim::SimConfig;

use crate::common::{Env, Run};

pub const SITE: &str = "";

pub async fn synced() -> Env {
    let env = Env::start(SimConfig::new().users(40).groups(5).seed(3)).await;
    let grant = env
        .sim
        .add_group(SITE, "Analysts (auto)", Some("Explorer"), Some("onLogin"));
    let ana = env.sim.add_user(SITE, "ana", "Explorer");
    env.sim.add_member(SITE, &grant.id, &ana.id);
    env.sync(&[]).await.ok();
    env
}

/// The sheet as records (header first).
pub fn read_sheet(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

pub fn write_sheet(rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

pub fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

pub async fn export(env: &Env) -> Vec<Vec<String>> {
    read_sheet(&env.tabgov(&["review", "export"]).await.ok().stdout)
}

pub async fn apply(env: &Env, sheet: &str, extra: &[&str]) -> Run {
    let path = env.dir.path().join("decisions.csv");
    std::fs::write(&path, sheet).unwrap();
    let conn = env.conn();
    let mut args = vec!["review", "apply", path.to_str().unwrap()];
    args.extend(conn.iter().map(String::as_str));
    args.extend(extra);
    env.tabgov(&args).await
}

/// The 1-based file line of sheet row `i` (row 0 is the header, line 1).
pub fn line_of(i: usize) -> String {
    format!("line {}", i + 1)
}

/// Marks the row of `user`'s entitlement `kind` (and `value`, if given).
pub fn decide(
    rows: &mut [Vec<String>],
    user: &str,
    kind: &str,
    value: Option<&str>,
    decision: &str,
) -> usize {
    let (u, k, v, d) = (
        col(rows, "username"),
        col(rows, "entitlement"),
        col(rows, "value"),
        col(rows, "decision"),
    );
    let i = (1..rows.len())
        .find(|&i| {
            rows[i][u] == user && rows[i][k] == kind && value.is_none_or(|x| rows[i][v] == x)
        })
        .unwrap_or_else(|| panic!("no {kind} row for {user}"));
    rows[i][d] = decision.to_owned();
    i
}

pub async fn journal(env: &Env) -> Vec<tabgov_state::JournalEntry> {
    let store = Store::open(&env.db()).await.unwrap();
    let entries = store.journal_list(&JournalFilter::default()).await.unwrap();
    store.close().await;
    entries
}

/// A seeded user (not the admin) with `role` and at least one group.
pub fn pick(accounts: &[Value], role: &str, not: &str) -> (String, String) {
    let a = accounts
        .iter()
        .find(|a| {
            a["site_role"] == role
                && a["name"] != not
                && a["name"].as_str().unwrap().starts_with("user")
                && !a["groups"].as_array().unwrap().is_empty()
        })
        .unwrap_or_else(|| panic!("no {role} with groups"));
    (
        a["name"].as_str().unwrap().to_owned(),
        a["groups"][0].as_str().unwrap().to_owned(),
    )
}
