//! `tabgov store check` and `tabgov store migrate`: the store itself, for
//! an operator: which schema version it is at against this tabgov, whether
//! SQLite finds it sound, and bringing it up to date on purpose rather
//! than as a side effect of the next sync.

use clap::{Args, Subcommand};
use tabgov_state::{Store, StoreReport};

use super::args::{Format, StoreArgs};
use super::connect::{chosen_url, load_config, open_store, store_failure};
use super::failure::Failure;
use super::output::{self, Column};

/// Flags of `tabgov store`.
#[derive(Debug, Args)]
pub struct StoreCommandArgs {
    #[command(subcommand)]
    step: StoreStep,
}

#[derive(Debug, Subcommand)]
enum StoreStep {
    /// Report the store's schema version and SQLite's integrity and
    /// foreign-key checks; changes nothing (exit 1 when the file is damaged).
    #[command(after_help = "Examples:
  tabgov store check
  tabgov --db sqlite:///var/lib/tabgov/tabgov.db store check --format json")]
    Check(ReportArgs),
    /// Apply the migrations this tabgov has and the store lacks, then report
    /// as `check` does. Every command that writes does this too; this makes
    /// it a step of its own, e.g. right after upgrading tabgov.
    #[command(after_help = "Examples:
  tabgov store migrate
  tabgov --db sqlite:///var/lib/tabgov/tabgov.db store migrate")]
    Migrate(ReportArgs),
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

const COLUMNS: &[Column<StoreReport>] = &[
    ("store", |r| r.location.clone()),
    ("version", |r| output::opt(&r.version)),
    ("latest", |r| r.latest.to_string()),
    ("pending", |r| join(&r.pending)),
    ("sound", |r| r.sound.to_string()),
    ("integrity", |r| r.integrity.join("; ")),
    ("foreign_key_violations", |r| {
        r.foreign_key_violations.to_string()
    }),
    ("sites", |r| r.sites.to_string()),
    ("accounts", |r| r.accounts.to_string()),
    ("journal_entries", |r| r.journal_entries.to_string()),
];

fn join(versions: &[i64]) -> String {
    let shown: Vec<String> = versions.iter().map(i64::to_string).collect();
    shown.join(" ")
}

/// Runs `tabgov store ...`.
pub async fn run(store_args: &StoreArgs, args: StoreCommandArgs) -> Result<(), Failure> {
    let config = load_config(store_args)?;
    let url = chosen_url(store_args, config.as_ref())?;
    let format = match &args.step {
        StoreStep::Check(a) | StoreStep::Migrate(a) => a.format,
    };
    if let StoreStep::Migrate(_) = args.step {
        let store = open_store(store_args, config.as_ref()).await?;
        store.close().await;
    }
    let report = Store::inspect(&url)
        .await
        .map_err(|e| store_failure(&url, e))?;
    output::print(format, std::slice::from_ref(&report), COLUMNS)?;
    if !report.sound {
        return Err(Failure::runtime(format!(
            "the store at {url} is damaged ({} integrity finding(s), {} broken reference(s)): restore it from a backup, or sync into a new store",
            report.integrity.len(),
            report.foreign_key_violations
        )));
    }
    if !report.pending.is_empty() {
        eprintln!(
            "the store is at version {} and this tabgov at {}: run tabgov store migrate (any command that writes also does)",
            output::opt(&report.version),
            report.latest
        );
    }
    Ok(())
}
