//! `tabgov sync`: pull every configured site (or one) into the store.

use clap::Args;
use tabgov::credentials::Scope;
use tabgov::site_lock::SiteLock;
use tabgov::sync::{sync_site, SyncOptions, SyncReport};
use tabgov::ExitCode;
use tabgov_mapping::DEFAULT_MAX_REMOVAL_PERCENT;

use super::args::{ConnectionArgs, Format, StoreArgs};
use super::connect::{load_config, open_store, targets};
use super::failure::Failure;
use super::progress::track;
use super::session::{open, run_then_sign_out};

/// Flags of `tabgov sync`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tabgov sync --server https://tableau.example.com --site finance --pat-name tabgov
                              # the PAT secret in TABGOV_PAT_SECRET
  tabgov sync                 # every site of tabgov.toml
  tabgov sync --site finance  # one site of tabgov.toml")]
pub struct SyncArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// Refuse the sync (exit 3) when more than this percentage of active
    /// accounts would be marked Deprovisioned at once.
    #[arg(long, default_value_t = DEFAULT_MAX_REMOVAL_PERCENT)]
    max_removal_percent: f64,

    /// Accept a mass removal that --max-removal-percent would refuse.
    #[arg(long)]
    allow_mass_removal: bool,

    /// Summary format: table (a line per site) or json.
    #[arg(long, value_enum, default_value_t)]
    format: Format,

    /// Wait this long for a running sync or action on a site to finish
    /// (0, the default: fail that site at once, exit 1).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    lock_wait_secs: u64,
}

/// Syncs each target in turn; a failed site does not stop the others, and
/// the exit code is the first failure's.
pub async fn run(store_args: &StoreArgs, args: SyncArgs, quiet: bool) -> Result<(), Failure> {
    if !(0.0..=100.0).contains(&args.max_removal_percent) {
        return Err(Failure::usage(
            "--max-removal-percent takes a number from 0 to 100",
        ));
    }
    let config = load_config(store_args)?;
    let targets = targets(&args.connection, config.as_ref())?;
    let store = open_store(store_args, config.as_ref()).await?;
    let opts = SyncOptions {
        max_removal_percent: args.max_removal_percent,
        allow_mass_removal: args.allow_mass_removal,
        sign_out_when_listed: true,
    };
    let lock_wait = std::time::Duration::from_secs(args.lock_wait_secs);
    let mut reports = Vec::new();
    let mut failures: Vec<(String, Failure)> = Vec::new();
    let several = targets.len() > 1;
    for target in targets {
        let label = target.label.clone();
        let server = target.options.server.clone();
        let site = target.options.site.clone();
        let result = async {
            let lock = SiteLock::acquire_waiting(&store, &server, &site, lock_wait)
                .await
                .map_err(|e| Failure::from_error(e, &server, &site))?;
            let t = match open(target, Scope::SYNC).await {
                Ok(t) => t,
                Err(f) => {
                    // A wrong --site or token leaves no trace in the store.
                    store.forget_unused_site(lock.site()).await?;
                    return Err(f);
                }
            };
            let work = async {
                track(quiet, &label, &t, sync_site(&t, &store, &lock, &opts))
                    .await
                    .map_err(|e| Failure::from_error(e, &server, &site))
            };
            run_then_sign_out(&t, work).await
        }
        .await;
        match result {
            Ok(report) => {
                if args.format == Format::Table {
                    say!("{}", summary_line(&label, &report));
                }
                reports.push(report);
            }
            // Ctrl-C ends the whole run, not just this site.
            Err(f) if f.code == ExitCode::Interrupted => {
                store.close().await;
                return Err(f);
            }
            Err(f) if several => {
                eprintln!(
                    "error: site {label}: {}",
                    tabgov::reports::terminal_text::visible_lines(&f.message)
                );
                failures.push((label, f));
            }
            Err(f) => failures.push((label, f)),
        }
    }
    store.close().await;
    if args.format == Format::Json {
        say!(
            "{}",
            serde_json::to_string_pretty(&reports).map_err(anyhow::Error::from)?
        );
    }
    let mut failures = failures.into_iter();
    match (failures.next(), several) {
        (None, _) => Ok(()),
        (Some((_, f)), false) => Err(f),
        (Some((_, f)), true) => Err(Failure {
            code: f.code,
            message: format!("{} site(s) were not synced (see above)", failures.len() + 1),
        }),
    }
}

fn summary_line(label: &str, r: &SyncReport) -> String {
    let s = &r.summary.counts;
    format!(
        "site {label}: {} users, {} groups, {} memberships; {} joined, {} left, {} changed; {} pages, {} requests, {} retries, {} sign-ins, {:.1} s (run {})",
        s.users, s.groups, s.memberships, s.joined, s.left, s.changed,
        r.transport.pages,
        r.transport.requests, r.transport.retries, r.transport.sign_ins, r.seconds, r.run_id
    )
}
