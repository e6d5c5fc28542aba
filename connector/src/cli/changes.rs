//! `tabgov changes`: the change feed of past syncs.

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use tabgov_state::{ChangeFilter, ChangeRecord};

use super::args::{Format, StoreArgs};
use super::connect::{load_config, open_store_for_reading};
use super::failure::Failure;
use super::output::{self, Column};
use super::site_filter::SiteFilter;

/// Flags of `tabgov changes`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tabgov changes --run 12
  tabgov changes --since 2026-11-01 --format csv")]
pub struct ChangesArgs {
    #[command(flatten)]
    site: SiteFilter,

    /// Only the changes found by this sync run.
    #[arg(long)]
    run: Option<i64>,

    /// Only changes at or after this date (YYYY-MM-DD, UTC) or time (RFC 3339).
    #[arg(long)]
    since: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

const COLUMNS: &[Column<ChangeRecord>] = &[
    ("run", |c| c.run_id.to_string()),
    ("site", |c| c.site.clone()),
    ("at", |c| output::time(&Some(c.at))),
    ("user", |c| c.user_name.clone()),
    ("user_id", |c| c.user_id.to_string()),
    ("change", |c| c.kind.clone()),
    ("from", |c| output::opt(&c.from)),
    ("to", |c| output::opt(&c.to)),
    ("group", |c| output::opt(&c.group)),
];

/// Lists change events.
pub async fn run(store_args: &StoreArgs, args: ChangesArgs) -> Result<(), Failure> {
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let config = load_config(store_args)?;
    let store = open_store_for_reading(store_args, config.as_ref()).await?;
    let filter = ChangeFilter {
        site: args.site.key(&store).await?,
        run: args.run.map(tabgov_state::RunId),
        since,
        user_id: None,
    };
    let changes = store.list_changes(&filter).await?;
    store.close().await;
    output::print(args.format, &changes, COLUMNS)?;
    Ok(())
}

fn parse_since(s: &str) -> Result<DateTime<Utc>, Failure> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            Failure::usage(format!(
                "--since {s:?} is not a date: give YYYY-MM-DD or an RFC 3339 time"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_dates_and_times() {
        assert_eq!(
            parse_since("2026-11-01").unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_since("2026-11-01T10:00:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2026-11-01T08:00:00+00:00"
        );
        assert_eq!(
            parse_since("yesterday").unwrap_err().code,
            tabgov::ExitCode::Usage
        );
    }
}
