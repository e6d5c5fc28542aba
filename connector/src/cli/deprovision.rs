//! `tabgov deprovision USER...`: ownership check, then remove from the site.

use clap::Args;
use tabgov::actions::Verb;

use tabgov_mapping::OnContent;

use super::action_run::{execute, ActionFlags};
use super::args::{ConnectionArgs, StoreArgs};
use super::failure::Failure;

/// Flags of `tabgov deprovision`.
#[derive(Debug, Args)]
#[command(
    after_help = "Inventories what each user owns first (workbooks, data sources, flows, \
projects, custom views, data alerts). With --transfer-to the removal always hands everything \
over (also what no listing shows: collections, virtual connections, Recycle Bin items), then \
every listed item's new owner is verified. No content and no --transfer-to: the user is \
removed. Content and no --transfer-to: refused with the inventory (exit 3), or suspended instead with --on-content suspend. If Tableau \
answers 409003 the user is reported as \"kept, set Unlicensed by Tableau\". A user Tableau no \
longer has is a no-op.

Examples:
  tabgov deprovision alice@example.com --dry-run
  tabgov deprovision alice --transfer-to bob --reason \"left the company\" --ticket HR-1234
  tabgov deprovision alice --on-content suspend"
)]
pub struct DeprovisionArgs {
    /// Users to remove: Tableau user id (LUID), sign-in name or email.
    #[arg(required = true, value_name = "USER")]
    users: Vec<String>,

    /// Who receives the content of users who own some (id, name or email).
    #[arg(long, value_name = "USER")]
    transfer_to: Option<String>,

    /// What to do with a content owner when no --transfer-to is given.
    #[arg(long, value_enum, default_value_t)]
    on_content: OnContent,

    /// With --on-content suspend: also leave groups that would license the user again.
    #[arg(long)]
    sticky: bool,

    #[command(flatten)]
    flags: ActionFlags,

    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Deprovisions every named user.
pub async fn run(store_args: &StoreArgs, args: DeprovisionArgs) -> Result<(), Failure> {
    let requests = args
        .users
        .iter()
        .map(|u| {
            let mut r = args.flags.request(u, Verb::Deprovision);
            r.transfer_to = args.transfer_to.clone();
            r.on_content = args.on_content;
            r.sticky = args.sticky;
            r
        })
        .collect();
    execute(store_args, &args.connection, &args.flags, requests).await
}
