//! The `tabgov` command line: one file per subcommand, this one parses and
//! dispatches, and turns failures into one sentence and an exit code.

/// `println!` for command output that survives a closed pipe (see
/// [`output::line`]).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::line(format_args!($($arg)*))
    };
}

mod accounts;
mod action_run;
mod args;
mod batch_progress;
mod changes;
mod check;
pub mod config_file;
mod connect;
#[cfg(feature = "demo")]
mod demo;
#[cfg(feature = "demo")]
mod demo_store;
mod deprovision;
mod failure;
mod groups;
mod license_table;
mod offboard;
mod output;
mod progress;
mod report;
mod restore;
mod review;
mod review_apply;
#[cfg(feature = "serve")]
mod serve;
mod session;
mod site_filter;
mod store;
mod store_url;
mod suspend;
mod sync;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use tabgov::reports::terminal_text::visible_lines;

use args::StoreArgs;
use failure::Failure;

/// Identity governance for Tableau Server and Tableau Cloud: sync users,
/// groups and site roles into a local store, and report on them.
#[derive(Debug, Parser)]
#[command(name = "tabgov", version, about, long_about = None, after_help = EXAMPLES)]
struct Cli {
    #[command(flatten)]
    store: StoreArgs,

    /// More log output (-v info, -vv debug); RUST_LOG wins when set.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    /// Only errors; no progress bar.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// Log lines as text or as one JSON object per line (for a log
    /// collector; `tabgov serve` logs at info level unless -q).
    #[arg(
        long,
        value_enum,
        global = true,
        env = "TABGOV_LOG_FORMAT",
        default_value_t
    )]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "Examples:
  tabgov demo
  export TABGOV_PAT_SECRET=...   # never on the command line
  tabgov check --server https://tableau.example.com --site finance --pat-name tabgov
  tabgov sync --server https://tableau.example.com --site finance --pat-name tabgov
  tabgov accounts --license Creator --inactive-days 90 --format csv
  tabgov changes --since 2026-11-01
  tabgov report licenses --format html --out licences.html
  tabgov suspend alice@example.com --reason \"left\" --ticket HR-1234 --dry-run
  tabgov offboard --file leavers.csv --action deprovision --on-content suspend";

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Test the connection: sign in, report server, API version and site.
    Check(check::CheckArgs),
    /// Pull users, groups, memberships and content ownership into the store.
    Sync(sync::SyncArgs),
    /// List accounts from the store.
    Accounts(accounts::AccountsArgs),
    /// List groups and their members from the store.
    Groups(groups::GroupsArgs),
    /// The change feed: joiners, leavers, role, licence and group changes.
    Changes(changes::ChangesArgs),
    /// Site role to Unlicensed (licence reclaimed, content kept), journalled.
    Suspend(suspend::SuspendArgs),
    /// Put back the role (and groups) journalled by the user's last suspend.
    Restore(restore::RestoreArgs),
    /// Remove users from the site, after an ownership check.
    Deprovision(deprovision::DeprovisionArgs),
    /// A CSV batch of suspend and deprovision decisions, validated first.
    Offboard(offboard::OffboardArgs),
    /// Reports from the store: `report licenses` (usage, unused seats, cost).
    Report(report::ReportArgs),
    /// Access review: `review export` the sheet, `review apply` the decisions.
    Review(review::ReviewArgs),
    /// The store itself: `store check` (version, integrity), `store migrate`.
    Store(store::StoreCommandArgs),
    /// The service: scheduled syncs, the HTTP API, health, metrics, alerts.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// API tokens of `tabgov serve`: `token new` makes one.
    #[cfg(feature = "serve")]
    Token(serve::TokenArgs),
    /// The whole flow against a simulated site in this process: sync, the
    /// accounts, the licence report, a dry-run offboarding plan.
    #[cfg(feature = "demo")]
    Demo(demo::DemoArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    #[cfg(feature = "demo")]
    let cli = demo_ignores_env_db(cli, &matches);
    // A service's log is its record of requests and syncs: info unless asked otherwise.
    #[cfg(feature = "serve")]
    let verbose = if matches!(cli.command, Command::Serve(_)) {
        cli.verbose.max(1)
    } else {
        cli.verbose
    };
    #[cfg(not(feature = "serve"))]
    let verbose = cli.verbose;
    init_tracing(verbose, cli.quiet, cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return tabgov::ExitCode::Runtime.into();
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => tabgov::ExitCode::Success.into(),
        Err(failure) => {
            // A failure may quote a Tableau name: no escape sequence reaches the terminal.
            eprintln!("error: {}", visible_lines(&failure.message));
            failure.code.into()
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Check(a) => check::run(&cli.store, a).await,
        Command::Sync(a) => sync::run(&cli.store, a, quiet).await,
        Command::Accounts(a) => accounts::run(&cli.store, a).await,
        Command::Groups(a) => groups::run(&cli.store, a).await,
        Command::Changes(a) => changes::run(&cli.store, a).await,
        Command::Suspend(a) => suspend::run(&cli.store, a).await,
        Command::Restore(a) => restore::run(&cli.store, a).await,
        Command::Deprovision(a) => deprovision::run(&cli.store, a).await,
        Command::Offboard(a) => offboard::run(&cli.store, a, quiet).await,
        Command::Report(a) => report::run(&cli.store, a).await,
        Command::Review(a) => review::run(&cli.store, a).await,
        Command::Store(a) => store::run(&cli.store, a).await,
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::run(&cli.store, a).await,
        #[cfg(feature = "serve")]
        Command::Token(a) => serve::token(a),
        #[cfg(feature = "demo")]
        Command::Demo(a) => demo::run(&cli.store, a).await,
    }
}

/// TABGOV_DB names the user's real store: the demo writes its own unless
/// `--db` is given on its command line.
#[cfg(feature = "demo")]
fn demo_ignores_env_db(mut cli: Cli, matches: &clap::ArgMatches) -> Cli {
    use clap::parser::ValueSource;
    if matches!(cli.command, Command::Demo(_))
        && matches.value_source("db") == Some(ValueSource::EnvVariable)
    {
        cli.store.db = None;
    }
    cli
}

fn init_tracing(verbose: u8, quiet: bool, format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    // Libraries stay quiet below warnings; sqlx's "slow statement" warnings
    // on large first syncs are not the user's business.
    let directives = match (quiet, verbose) {
        (true, _) => "error".to_owned(),
        (false, 0) => "warn,sqlx=error".to_owned(),
        (false, 1) => "info,hyper=warn,reqwest=warn,sqlx=error".to_owned(),
        (false, _) => "debug,hyper=warn,reqwest=warn,sqlx=error,h2=warn,rustls=warn".to_owned(),
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(directives));
    let colour = wants_colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(colour).try_init(),
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
}

/// Colours only for a person at a terminal: never in a file, a pipe or a
/// CI log, and never when NO_COLOR is set to anything but "" (no-color.org).
fn wants_colour(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::runtime(format!("{e:#}"))
    }
}

impl From<tabgov_state::Error> for Failure {
    fn from(e: tabgov_state::Error) -> Failure {
        Failure::runtime(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::wants_colour;
    use std::ffi::OsStr;

    #[test]
    fn colours_only_on_a_terminal_without_no_color() {
        assert!(wants_colour(true, None));
        assert!(wants_colour(true, Some(OsStr::new(""))));
        assert!(!wants_colour(true, Some(OsStr::new("1"))));
        assert!(!wants_colour(false, None));
        assert!(!wants_colour(false, Some(OsStr::new(""))));
    }
}
