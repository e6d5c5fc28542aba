//! `tabgov report licenses`: licence usage and reclamation candidates from
//! the store, as a table, CSV, JSON or a self-contained HTML page.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Args, Subcommand, ValueEnum};
use tabgov::reports::html::render_html;
use tabgov::reports::license_text::write_csv;
use tabgov::reports::licenses::DEFAULT_INACTIVE_DAYS;
use tabgov::reports::{license_report, LicenseReportOptions};
use tabgov_mapping::{PriceTable, ReclaimPolicy};

use super::args::StoreArgs;
use super::config_file::ConfigFile;
use super::connect::{load_config, open_store_for_reading};
use super::failure::Failure;
use super::license_table::render_table;
use super::site_filter::SiteFilter;

/// Flags of `tabgov report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    report: ReportKind,
}

#[derive(Debug, Subcommand)]
enum ReportKind {
    /// Licence usage per licence, unused seats, what they cost, and the
    /// accounts to reclaim them from.
    Licenses(LicensesArgs),
}

/// Flags of `tabgov report licenses`.
#[derive(Debug, Args)]
#[command(
    after_help = "Prices default to Tableau Cloud list prices per user per month (USD):
creator=75, explorer=42, viewer=15. Override them with --prices, or once for
everyone in tabgov.toml:

  [prices]
  creator = 70
  explorer = 40
  viewer = 12
  currency = \"EUR\"

lastLogin only counts interactive sign-ins: API-only and embedded accounts look
inactive; leave them out with --exclude-group.

Examples:
  tabgov report licenses
  tabgov report licenses --inactive-days 60 --exclude-group \"Service Accounts\"
  tabgov report licenses --prices creator=70,explorer=40 --currency EUR --format csv
  tabgov report licenses --format html --out licences.html"
)]
pub struct LicensesArgs {
    #[command(flatten)]
    site: SiteFilter,

    /// A seat is unused when its holder has not signed in interactively for
    /// this many days (never signing in counts).
    #[arg(long, default_value_t = DEFAULT_INACTIVE_DAYS, value_parser = clap::value_parser!(i64).range(1..=3650))]
    inactive_days: i64,

    /// Members of this group are never candidates (service accounts);
    /// repeat for several groups.
    #[arg(long = "exclude-group", value_name = "GROUP")]
    exclude_groups: Vec<String>,

    /// Monthly price per user, e.g. creator=75,explorer=42,viewer=15 (any subset).
    #[arg(long, value_name = "LICENCE=PRICE,...")]
    prices: Option<String>,

    /// Currency the prices are in (default USD, or `currency` of [prices]).
    #[arg(long)]
    currency: Option<String>,

    /// What to recommend for an unused seat.
    #[arg(long, value_enum, default_value_t)]
    policy: ReclaimPolicy,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,

    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The formats of the licence report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Tables for people.
    Table,
    /// The candidates, one per row.
    Csv,
    /// Everything: totals, candidates, settings.
    Json,
    /// One self-contained page with a chart, printable.
    Html,
}

/// Runs `tabgov report ...`.
pub async fn run(store_args: &StoreArgs, args: ReportArgs) -> Result<(), Failure> {
    match args.report {
        ReportKind::Licenses(a) => licenses(store_args, a).await,
    }
}

async fn licenses(store_args: &StoreArgs, args: LicensesArgs) -> Result<(), Failure> {
    let config = load_config(store_args)?;
    let prices = price_table(
        config.as_ref(),
        args.prices.as_deref(),
        args.currency.as_deref(),
    )?;
    let store = open_store_for_reading(store_args, config.as_ref()).await?;
    let mut opts = LicenseReportOptions::new(Utc::now());
    opts.site = args.site.key(&store).await?;
    opts.inactive_days = args.inactive_days;
    opts.exclude_groups = args.exclude_groups;
    opts.policy = args.policy;
    opts.prices = prices;
    let report = license_report(&store, &opts).await;
    store.close().await;
    let report = report.map_err(|e| Failure::runtime(e.to_string()))?;
    if report.sites.is_empty() {
        return Err(nothing_synced());
    }
    let mut body = Vec::new();
    match args.format {
        ReportFormat::Table => body.extend_from_slice(render_table(&report, None).as_bytes()),
        ReportFormat::Csv => write_csv(&report, &mut body).map_err(anyhow::Error::from)?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut body, &report).map_err(anyhow::Error::from)?;
            body.push(b'\n');
        }
        ReportFormat::Html => body.extend_from_slice(render_html(&report).as_bytes()),
    }
    deliver(args.out.as_deref(), &body)
}

/// The failure of a report on a store no sync has filled.
pub fn nothing_synced() -> Failure {
    Failure::usage("the store holds no synced site: run tabgov sync first, or check --db")
}

/// Prices: the list prices, then tabgov.toml's `[prices]`, then the flags.
pub fn price_table(
    config: Option<&ConfigFile>,
    flag: Option<&str>,
    currency: Option<&str>,
) -> Result<PriceTable, Failure> {
    let mut prices = PriceTable::default();
    if let Some(p) = config.and_then(|c| c.prices.as_ref()) {
        for (name, value) in [
            ("creator", p.creator),
            ("explorer", p.explorer),
            ("viewer", p.viewer),
        ] {
            if let Some(v) = value {
                prices = prices.with_overrides(&format!("{name}={v}")).map_err(|e| {
                    Failure::usage(format!("tabgov.toml [prices] {name} = {v}: {}", e.0))
                })?;
            }
        }
        if let Some(c) = &p.currency {
            prices.currency = c.clone();
        }
    }
    if let Some(spec) = flag {
        prices = prices
            .with_overrides(spec)
            .map_err(|e| Failure::usage(e.to_string()))?;
    }
    if let Some(c) = currency {
        prices.currency = c.to_owned();
    }
    prices.currency = prices.currency.trim().to_owned();
    let valid = !prices.currency.is_empty()
        && prices.currency.len() <= 8
        && prices.currency.chars().all(|c| c.is_ascii_alphabetic());
    if !valid {
        return Err(Failure::usage(format!(
            "currency {:?} is not a currency code: use letters such as USD or EUR",
            prices.currency
        )));
    }
    Ok(prices)
}

/// Writes `body` to `out` (saying so on stderr) or to standard output; a
/// closed pipe on standard output is the reader's choice, not a failure.
pub fn deliver(out: Option<&Path>, body: &[u8]) -> Result<(), Failure> {
    match out {
        Some(path) => {
            write_private(path, body).map_err(|e| {
                Failure::runtime(format!("cannot write {}: {e}; check --out", path.display()))
            })?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match lock.write_all(body).and_then(|()| lock.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Failure::runtime(format!("cannot write the output: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// Writes `body` to `path`, created readable by its owner only (0600 on
/// Unix): reports list every account's name, email and activity. An
/// existing file keeps the mode its owner gave it.
fn write_private(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut file = tabgov_state::create_private_file(path)?;
    file.write_all(body)?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_config_file_which_wins_over_list_prices() {
        let config =
            ConfigFile::parse("[prices]\ncreator = 70\nviewer = 12\ncurrency = \"EUR\"\n").unwrap();
        let p = price_table(Some(&config), Some("viewer=10"), None).unwrap();
        assert_eq!((p.creator, p.explorer, p.viewer), (70.0, 42.0, 10.0));
        assert_eq!(p.currency, "EUR");
        let p = price_table(None, None, Some("gbp")).unwrap();
        assert_eq!((p.creator, p.currency.as_str()), (75.0, "gbp"));
        assert_eq!(
            price_table(None, Some("gold=1"), None).unwrap_err().code,
            tabgov::ExitCode::Usage
        );
        assert_eq!(
            price_table(None, None, Some("<b>")).unwrap_err().code,
            tabgov::ExitCode::Usage
        );
        let negative = ConfigFile::parse("[prices]\ncreator = -5\n").unwrap();
        let err = price_table(Some(&negative), None, None).unwrap_err();
        assert!(err.message.contains("[prices] creator"), "{}", err.message);
    }
}
