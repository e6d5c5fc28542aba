//! `tabgov store check`, `tabgov store migrate` and `tabgov store copy`: the
//! store itself, for an operator: which schema version it is at against
//! this tabgov, whether SQLite finds it sound, bringing it up to date on
//! purpose rather than as a side effect of the next sync, and moving it to
//! another database (a SQLite file to a shared PostgreSQL server).

use clap::{Args, Subcommand};
use tabgov_state::{Store, StoreReport};

use super::args::{Format, StoreArgs};
use super::connect::{chosen_url, load_config, open_store, store_failure};
use super::failure::Failure;
use super::output::{self, Column};
use super::store_url::store_url;

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
    /// Copy every site, run, account, group, change and journal entry of
    /// the store (--from, default --db) into a new, empty one (--to), keys
    /// and all, in one transaction: nothing is copied if any of it fails.
    /// The source is brought to this tabgov's schema first, as every
    /// command that opens it does, and otherwise only read. Give a
    /// PostgreSQL password through PGPASSWORD or ~/.pgpass, not in the URL.
    #[command(after_help = "Examples:
  tabgov store copy --to postgres://tabgov@db.example.com/governance
  tabgov store copy --from sqlite:///var/lib/tabgov/tabgov.db --to postgres://tabgov@db/gov")]
    Copy(CopyArgs),
}

#[derive(Debug, Args)]
struct CopyArgs {
    /// The store to copy (default: --db, the config file's db, else
    /// sqlite://tabgov.db).
    #[arg(long, value_name = "URL")]
    from: Option<String>,
    /// The new store to copy into: a database with no sites yet (created
    /// if a SQLite file is named).
    #[arg(long, value_name = "URL")]
    to: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// One table as `store copy` reports it.
#[derive(Debug, serde::Serialize)]
struct Copied {
    table: String,
    rows: u64,
}

const COPIED: &[Column<Copied>] = &[
    ("table", |c| c.table.clone()),
    ("rows", |c| c.rows.to_string()),
];

/// Runs `tabgov store copy`.
async fn copy(from: String, args: CopyArgs) -> Result<(), Failure> {
    let to = store_url(&args.to)?;
    if from == to {
        return Err(Failure::usage(
            "--from and --to name the same store: give --to a new, empty database",
        ));
    }
    let source = Store::open(&from)
        .await
        .map_err(|e| store_failure(&from, e))?;
    let target = match Store::open(&to).await {
        Ok(target) => target,
        Err(e) => {
            source.close().await;
            return Err(store_failure(&to, e));
        }
    };
    let copied = source.copy_into(&target).await;
    source.close().await;
    target.close().await;
    let report = copied.map_err(|e| match e {
        tabgov_state::Error::CopyTargetNotEmpty { .. } => Failure::usage(e.to_string()),
        other => Failure::runtime(format!(
            "the copy into {} failed and was rolled back: {other}",
            tabgov_state::redacted(&to)
        )),
    })?;
    let rows: Vec<Copied> = report
        .tables
        .into_iter()
        .map(|(table, rows)| Copied { table, rows })
        .collect();
    output::print(args.format, &rows, COPIED)?;
    Ok(())
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
    let format = match args.step {
        StoreStep::Check(ref a) | StoreStep::Migrate(ref a) => a.format,
        StoreStep::Copy(copy_args) => {
            let from = match &copy_args.from {
                Some(from) => store_url(from)?,
                None => url,
            };
            return copy(from, copy_args).await;
        }
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
            "the store at {} is damaged ({} integrity finding(s), {} broken reference(s)): restore it from a backup, or sync into a new store",
            tabgov_state::redacted(&url),
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
