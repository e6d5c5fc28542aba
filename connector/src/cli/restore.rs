//! `tabgov restore USER...`: undo the user's last suspend, from the journal.

use clap::Args;
use tabgov::actions::Verb;

use super::action_run::{execute, ActionFlags};
use super::args::{ConnectionArgs, StoreArgs};
use super::failure::Failure;

/// Flags of `tabgov restore`.
#[derive(Debug, Args)]
#[command(
    after_help = "Puts back the site role journalled by the user's last completed suspend, \
and the groups a --sticky suspend removed them from. A user already back in that state is a \
no-op; a user whose role was changed since the suspend is refused (exit 3), as is one tabgov \
never suspended.

Examples:
  tabgov restore alice@example.com --reason \"rehired\" --ticket HR-1301
  tabgov restore alice --dry-run"
)]
pub struct RestoreArgs {
    /// Users to restore: Tableau user id (LUID), sign-in name or email.
    #[arg(required = true, value_name = "USER")]
    users: Vec<String>,

    #[command(flatten)]
    flags: ActionFlags,

    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Restores every named user.
pub async fn run(store_args: &StoreArgs, args: RestoreArgs) -> Result<(), Failure> {
    let requests = args
        .users
        .iter()
        .map(|u| args.flags.request(u, Verb::Restore))
        .collect();
    execute(store_args, &args.connection, &args.flags, requests).await
}
