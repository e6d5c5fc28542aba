//! `tabgov accounts`: accounts from the store, filtered.

use clap::Args;
use tabgov_mapping::{AccountStatus, License};
use tabgov_state::{AccountFilter, AccountRecord};

use super::args::{Format, StoreArgs};
use super::connect::{load_config, open_store_for_reading};
use super::failure::Failure;
use super::output::{self, Column};
use super::site_filter::SiteFilter;

/// Flags of `tabgov accounts`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tabgov accounts --status Active --license Creator
  tabgov accounts --inactive-days 90 --format csv > inactive.csv
  tabgov accounts --group Finance --format json")]
pub struct AccountsArgs {
    #[command(flatten)]
    site: SiteFilter,

    /// Active, Suspended or Deprovisioned.
    #[arg(long)]
    status: Option<String>,

    /// Creator, Explorer, Viewer, Unlicensed or Unknown.
    #[arg(long)]
    license: Option<String>,

    /// Members of this group (by name).
    #[arg(long)]
    group: Option<String>,

    /// No interactive sign-in for at least this many days (never signed in counts).
    #[arg(long)]
    inactive_days: Option<u32>,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

const COLUMNS: &[Column<AccountRecord>] = &[
    ("site", |a| a.site.clone()),
    ("id", |a| a.account.id.to_string()),
    ("name", |a| a.account.name.clone()),
    ("email", |a| output::opt(&a.account.email)),
    ("full_name", |a| output::opt(&a.account.full_name)),
    ("site_role", |a| a.account.site_role.to_string()),
    ("license", |a| a.license.to_string()),
    ("status", |a| a.status.to_string()),
    ("last_login", |a| output::time(&a.account.last_login)),
    ("groups", |a| a.groups.join(";")),
    ("owned_content", |a| a.owned.total().to_string()),
];

/// Lists the matching accounts.
pub async fn run(store_args: &StoreArgs, args: AccountsArgs) -> Result<(), Failure> {
    let status = args
        .status
        .as_deref()
        .map(str::parse::<AccountStatus>)
        .transpose()
        .map_err(|e| Failure::usage(format!("--status: {e}")))?;
    let license = args
        .license
        .as_deref()
        .map(str::parse::<License>)
        .transpose()
        .map_err(|e| Failure::usage(format!("--license: {e}")))?;
    let config = load_config(store_args)?;
    let store = open_store_for_reading(store_args, config.as_ref()).await?;
    let filter = AccountFilter {
        site: args.site.key(&store).await?,
        status,
        license,
        group: args.group,
        inactive_days: args.inactive_days,
        ..AccountFilter::default()
    };
    let accounts = store.list_accounts(&filter).await?;
    store.close().await;
    output::print(args.format, &accounts, COLUMNS)?;
    Ok(())
}
