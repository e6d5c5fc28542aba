//! `tabgov review export` and `tabgov review apply`: an access review from
//! the store's entitlements to the reviewer's decisions carried out.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use tabgov::reports::review_export::write_csv;
use tabgov::reports::{review_rows, ReviewExportOptions};

use super::args::StoreArgs;
use super::connect::{load_config, open_store_for_reading};
use super::failure::Failure;
use super::report::{deliver, nothing_synced};
use super::review_apply::{self, ApplyArgs};
use super::site_filter::SiteFilter;

/// Flags of `tabgov review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(subcommand)]
    step: ReviewStep,
}

#[derive(Debug, Subcommand)]
enum ReviewStep {
    /// Write the review sheet: one row per account entitlement, with empty
    /// decision and comment columns.
    Export(ExportArgs),
    /// Carry out the reviewer's decisions: keep does nothing, revoke takes
    /// the entitlement away (journalled with the campaign and reviewer).
    Apply(Box<ApplyArgs>),
}

/// Flags of `tabgov review export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Each account gets a row for the account itself, its site role, its licence
and each group membership. Fill `decision` with keep or revoke (blank: not
reviewed) and `comment` with the reason, then run `tabgov review apply FILE`.

Examples:
  tabgov review export --out review-2026q1.csv
  tabgov review export --site finance --format json --out review.json
  tabgov review export --changed-since 41 --out delta.csv   # accounts changed by syncs after run 41"
)]
pub struct ExportArgs {
    #[command(flatten)]
    site: SiteFilter,

    /// Sheet format.
    #[arg(long, value_enum, default_value_t = SheetFormat::Csv)]
    format: SheetFormat,

    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// A delta review: only accounts with changes found by sync runs after
    /// this run id (see `tabgov changes`).
    #[arg(long, value_name = "RUN")]
    changed_since: Option<i64>,
}

/// The formats of the review sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetFormat {
    /// For spreadsheets.
    Csv,
    /// One JSON array.
    Json,
}

/// Runs `tabgov review ...`.
pub async fn run(store_args: &StoreArgs, args: ReviewArgs) -> Result<(), Failure> {
    match args.step {
        ReviewStep::Export(a) => export(store_args, a).await,
        ReviewStep::Apply(a) => review_apply::run(store_args, *a).await,
    }
}

async fn export(store_args: &StoreArgs, args: ExportArgs) -> Result<(), Failure> {
    let config = load_config(store_args)?;
    let store = open_store_for_reading(store_args, config.as_ref()).await?;
    if store.list_sites().await?.is_empty() {
        store.close().await;
        return Err(nothing_synced());
    }
    let opts = ReviewExportOptions {
        site: args.site.key(&store).await?,
        changed_since: args.changed_since.map(tabgov_state::RunId),
    };
    let rows = review_rows(&store, &opts).await;
    store.close().await;
    let rows = rows.map_err(|e| Failure::from_error(e, "", ""))?;
    let mut body = Vec::new();
    match args.format {
        SheetFormat::Csv => write_csv(&rows, &mut body).map_err(anyhow::Error::from)?,
        SheetFormat::Json => {
            serde_json::to_writer_pretty(&mut body, &rows).map_err(anyhow::Error::from)?;
            body.push(b'\n');
        }
    }
    if args.out.is_some() {
        eprintln!("{} entitlement row(s)", rows.len());
    }
    deliver(args.out.as_deref(), &body)
}
