//! `tabgov offboard --file leavers.csv|-`: a batch of suspend and
//! deprovision decisions, validated as a whole before anything changes.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use tabgov::actions::offboard::{parse_offboard, RowDefaults};
use tabgov::actions::Verb;

use tabgov_mapping::OnContent;

use super::action_run::{execute_with_progress, ActionFlags};
use super::args::{ConnectionArgs, StoreArgs};
use super::failure::Failure;

/// Flags of `tabgov offboard`.
#[derive(Debug, Args)]
#[command(
    after_help = "The file is CSV with a header row. Columns: user (Tableau user id, sign-in \
name or email), action (suspend or deprovision; blank takes --action), and optional transfer_to, \
reason, ticket (blank reason and ticket take --reason and --ticket). Every row is checked first \
(unknown user, unknown action, duplicate): one bad row refuses the whole file, naming its line \
numbers (exit 2), and nothing is changed.

Example file:
  user,action,transfer_to,reason,ticket
  alice@example.com,deprovision,bob,left the company,HR-1234
  carol,suspend,,long leave,HR-1240

Examples:
  tabgov offboard --file leavers.csv --dry-run
  tabgov offboard --file leavers.csv --action suspend --format csv > results.csv
  hr-export | tabgov offboard --file - --action deprovision --on-content suspend --yes"
)]
pub struct OffboardArgs {
    /// The CSV file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    file: PathBuf,

    /// The action of rows whose action column is blank or missing.
    #[arg(long, value_enum)]
    action: Option<RowAction>,

    /// What deprovision rows do with a content owner that has no transfer_to.
    #[arg(long, value_enum, default_value_t)]
    on_content: OnContent,

    /// Suspensions also leave groups that would license the user again.
    #[arg(long)]
    sticky: bool,

    #[command(flatten)]
    flags: ActionFlags,

    #[command(flatten)]
    connection: ConnectionArgs,
}

/// The actions an offboarding row may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RowAction {
    Suspend,
    Deprovision,
}

/// Reads, validates and carries out the file, with a progress bar on a
/// terminal unless `quiet`.
pub async fn run(store_args: &StoreArgs, args: OffboardArgs, quiet: bool) -> Result<(), Failure> {
    let defaults = RowDefaults {
        action: args.action.map(|a| match a {
            RowAction::Suspend => Verb::Suspend,
            RowAction::Deprovision => Verb::Deprovision,
        }),
        on_content: args.on_content,
        sticky: args.sticky,
        reason: args.flags.reason.clone(),
        ticket: args.flags.ticket.clone(),
    };
    let shown = args.file.display().to_string();
    let parsed = if shown == "-" {
        parse_offboard(std::io::stdin().lock(), &defaults)
    } else {
        let file = std::fs::File::open(&args.file)
            .map_err(|e| Failure::usage(format!("cannot read {shown}: {e}; check --file")))?;
        parse_offboard(file, &defaults)
    };
    let requests = parsed.map_err(|problems| {
        Failure::usage(format!(
            "{shown} was refused and nothing was changed: {}",
            problems.join("; ")
        ))
    })?;
    execute_with_progress(store_args, &args.connection, &args.flags, requests, quiet).await
}
