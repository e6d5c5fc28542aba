//! `tabgov suspend USER...`: site role to Unlicensed, previous role journalled.

use clap::Args;
use tabgov::actions::Verb;

use super::action_run::{execute, ActionFlags};
use super::args::{ConnectionArgs, StoreArgs};
use super::failure::Failure;

/// Flags of `tabgov suspend`.
#[derive(Debug, Args)]
#[command(
    after_help = "Sets each user's site role to Unlicensed (the licence is reclaimed, their \
content stays), journals the previous role for `tabgov restore`, and reads the user back to verify. \
Suspending a suspended user is a journalled no-op. Groups that would license the user again on \
sign-in are reported; --sticky also removes the user from them (journalled, so restore puts them back).

Examples:
  tabgov suspend alice@example.com --reason \"left the company\" --ticket HR-1234
  tabgov suspend alice bob --sticky --dry-run
  tabgov suspend 9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b --format json"
)]
pub struct SuspendArgs {
    /// Users to suspend: Tableau user id (LUID), sign-in name or email.
    #[arg(required = true, value_name = "USER")]
    users: Vec<String>,

    /// Also remove the users from groups that would license them again on sign-in.
    #[arg(long)]
    sticky: bool,

    #[command(flatten)]
    flags: ActionFlags,

    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Suspends every named user.
pub async fn run(store_args: &StoreArgs, args: SuspendArgs) -> Result<(), Failure> {
    let requests = args
        .users
        .iter()
        .map(|u| {
            let mut r = args.flags.request(u, Verb::Suspend);
            r.sticky = args.sticky;
            r
        })
        .collect();
    execute(store_args, &args.connection, &args.flags, requests).await
}
