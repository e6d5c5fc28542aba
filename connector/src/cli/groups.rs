//! `tabgov groups`: groups, their grant-licence role and members.

use clap::Args;
use tabgov_state::GroupRecord;

use super::args::{Format, StoreArgs};
use super::connect::{load_config, open_store_for_reading};
use super::failure::Failure;
use super::output::{self, Column};
use super::site_filter::SiteFilter;

/// Flags of `tabgov groups`.
#[derive(Debug, Args)]
#[command(
    after_help = "directory_synced is yes for a group whose domain is not local (Active \
Directory, LDAP, an identity provider): a membership removed in Tableau comes back at the next \
directory sync.

Examples:
  tabgov groups
  tabgov groups --site finance --format json"
)]
pub struct GroupsArgs {
    #[command(flatten)]
    site: SiteFilter,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `yes` for a group synchronised from a directory.
fn synced(g: &GroupRecord) -> String {
    if g.directory_synced { "yes" } else { "no" }.to_owned()
}

const COLUMNS: &[Column<GroupRecord>] = &[
    ("site", |g| g.site.clone()),
    ("name", |g| g.name.clone()),
    ("domain", |g| output::opt(&g.domain)),
    ("directory_synced", synced),
    ("grants_role", |g| output::opt(&g.minimum_site_role)),
    ("grant_mode", |g| output::opt(&g.grant_license_mode)),
    ("members", |g| g.member_count.to_string()),
    ("member_names", |g| g.members.join(";")),
];

const TABLE_COLUMNS: &[Column<GroupRecord>] = &[
    ("site", |g| g.site.clone()),
    ("name", |g| g.name.clone()),
    ("domain", |g| output::opt(&g.domain)),
    ("directory_synced", synced),
    ("grants_role", |g| output::opt(&g.minimum_site_role)),
    ("grant_mode", |g| output::opt(&g.grant_license_mode)),
    ("members", |g| g.member_count.to_string()),
];

/// Lists groups of one site or of every synced site.
pub async fn run(store_args: &StoreArgs, args: GroupsArgs) -> Result<(), Failure> {
    let config = load_config(store_args)?;
    let store = open_store_for_reading(store_args, config.as_ref()).await?;
    let keys = match args.site.key(&store).await? {
        Some(key) => vec![key],
        None => store
            .list_sites()
            .await?
            .into_iter()
            .map(|s| s.key)
            .collect(),
    };
    let mut groups = Vec::new();
    for key in keys {
        groups.extend(store.list_groups(key).await?);
    }
    store.close().await;
    let columns = if args.format == Format::Table {
        TABLE_COLUMNS
    } else {
        COLUMNS
    };
    output::print(args.format, &groups, columns)?;
    Ok(())
}
