//! What suspend, restore, deprovision and offboard share: the journal and
//! safety flags, signing in with the batch's least scopes, running the
//! batch, printing one row per target, and the exit code.

use std::time::Duration;

use clap::Args;
use tabgov::actions::{
    run_batch, scopes, ActionContext, ActionOptions, ActionResult, Outcome, TargetRequest,
};
use tabgov::reports::terminal_text::visible;
use tabgov::site_lock::{SiteLock, DEFAULT_LOCK_WAIT};
use tabgov::ExitCode;
use tabgov_mapping::{BatchPolicy, DEFAULT_MAX_ACTIONS};
use tabgov_state::Store;

use super::args::{ConnectionArgs, Format, StoreArgs};
use super::batch_progress::batch_bar;
use super::connect::{load_config, open_store, open_store_for_reading, targets};
use super::failure::Failure;
use super::output::{self, Column};
use super::session::{open, run_then_sign_out};

/// Flags every action takes.
#[derive(Debug, Clone, Args)]
pub struct ActionFlags {
    /// Print the exact plan and change nothing, in Tableau or in the store.
    #[arg(long)]
    pub dry_run: bool,

    /// Why, for the journal (e.g. "left the company").
    #[arg(long)]
    pub reason: Option<String>,

    /// Ticket or change reference, for the journal.
    #[arg(long)]
    pub ticket: Option<String>,

    /// Who asks, for the journal (default: the OS user from $USER or $USERNAME).
    #[arg(long)]
    pub actor: Option<String>,

    /// More targets than this are refused (exit 3) unless --yes is given.
    #[arg(long, default_value_t = DEFAULT_MAX_ACTIONS)]
    pub max_actions: usize,

    /// Confirm a batch larger than --max-actions.
    #[arg(long)]
    pub yes: bool,

    /// Result format: one row per target.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Wait this long for a running sync or action on the site to finish
    /// before giving up (nothing is changed then).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_LOCK_WAIT.as_secs())]
    pub lock_wait_secs: u64,
}

impl ActionFlags {
    /// The batch rail these flags ask for.
    pub fn batch_policy(&self) -> BatchPolicy {
        BatchPolicy {
            max_actions: self.max_actions,
            confirmed: self.yes,
        }
    }
}

impl ActionFlags {
    /// Takes the site's lock before signing in (a real run only), so a
    /// sync never lists the site while this batch changes it, waiting up to
    /// `--lock-wait-secs` for a running one.
    pub async fn lock_site(
        &self,
        store: &Store,
        server: &str,
        site: &str,
    ) -> Result<Option<SiteLock>, Failure> {
        if self.dry_run {
            return Ok(None);
        }
        let wait = Duration::from_secs(self.lock_wait_secs);
        SiteLock::acquire_waiting(store, server, site, wait)
            .await
            .map(Some)
            .map_err(|e| Failure::from_error(e, server, site))
    }

    /// A request for `user` carrying these flags' reason and ticket.
    pub fn request(&self, user: &str, verb: tabgov::actions::Verb) -> TargetRequest {
        TargetRequest {
            reason: self.reason.clone(),
            ticket: self.ticket.clone(),
            ..TargetRequest::new(user, verb)
        }
    }
}

fn os_user() -> Option<String> {
    ["USER", "USERNAME"]
        .into_iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}

/// Runs `requests` on the one site the flags or config name, prints the
/// results, and ends with the batch's exit code.
pub async fn execute(
    store_args: &StoreArgs,
    connection: &ConnectionArgs,
    flags: &ActionFlags,
    requests: Vec<TargetRequest>,
) -> Result<(), Failure> {
    execute_with_progress(store_args, connection, flags, requests, true).await
}

/// [`execute`] with a progress bar on a terminal unless `quiet`.
pub async fn execute_with_progress(
    store_args: &StoreArgs,
    connection: &ConnectionArgs,
    flags: &ActionFlags,
    requests: Vec<TargetRequest>,
    quiet: bool,
) -> Result<(), Failure> {
    let config = load_config(store_args)?;
    let mut sites = targets(connection, config.as_ref())?;
    if sites.len() != 1 {
        return Err(Failure::usage(format!(
            "actions work on one site at a time and tabgov.toml lists {}: choose one with --site",
            sites.len()
        )));
    }
    let target = sites.remove(0);
    let (server, site) = (target.options.server.clone(), target.options.site.clone());
    // A dry run changes nothing, so a read-only store will do.
    let store = if flags.dry_run {
        open_store_for_reading(store_args, config.as_ref()).await?
    } else {
        open_store(store_args, config.as_ref()).await?
    };
    let lock = flags.lock_site(&store, &server, &site).await?;
    let transport = match open(target, &scopes::for_batch(&requests)).await {
        Ok(t) => t,
        Err(f) => {
            // A wrong --site or token leaves no trace in the store.
            if let Some(lock) = &lock {
                // The sign-in failure is what the operator must see.
                if let Err(e) = store.forget_unused_site(lock.site()).await {
                    tracing::warn!("could not remove the unused site from the store: {e}");
                }
            }
            return Err(f);
        }
    };
    let opts = ActionOptions {
        actor: flags.actor.clone().or_else(os_user),
        dry_run: flags.dry_run,
        batch: flags.batch_policy(),
    };
    let work = async {
        let explain = |e| Failure::from_error(e, &server, &site);
        let ctx = ActionContext::with_lock(&transport, &store, opts, lock)
            .await
            .map_err(explain)?;
        let bar = batch_bar(quiet);
        let ctx = match &bar {
            Some((_, hook)) => ctx.with_progress(hook.clone()),
            None => ctx,
        };
        let results = run_batch(&ctx, requests).await;
        if let Some((bar, _)) = bar {
            bar.finish_and_clear();
        }
        if let (Err(_), Some(site)) = (&results, ctx.site_key()) {
            // A refused batch changed nothing: not even a new site row stays.
            store.forget_unused_site(site).await?;
        }
        results.map_err(explain)
    };
    let results = run_then_sign_out(&transport, work).await;
    store.close().await;
    let results = results?;
    report(flags, &results)
}

const COLUMNS: &[Column<ActionResult>] = &[
    ("line", |r| output::opt(&r.line)),
    ("user", |r| r.user.clone()),
    ("user_id", |r| output::opt(&r.user_id)),
    ("user_name", |r| output::opt(&r.user_name)),
    ("requested", |r| r.requested.to_string()),
    ("action", |r| r.action.to_string()),
    ("result", |r| r.result.as_str().to_owned()),
    ("previous_role", |r| output::opt(&r.previous_role)),
    ("new_role", |r| output::opt(&r.new_role)),
    ("detail", |r| r.detail.clone()),
    ("warnings", |r| r.warnings.join("; ")),
    ("owned_items", |r| r.owned_items.join(";")),
    ("groups", |r| r.groups.join(";")),
    ("transfer_to", |r| output::opt(&r.transfer_to)),
    ("journal_id", |r| output::opt(&r.journal_id)),
    ("tableau_code", |r| output::opt(&r.tableau_code)),
];

const TABLE_COLUMNS: &[Column<ActionResult>] = &[
    ("line", |r| output::opt(&r.line)),
    ("user", |r| {
        r.user_name.clone().unwrap_or_else(|| r.user.clone())
    }),
    ("action", |r| r.action.to_string()),
    ("result", |r| r.result.as_str().to_owned()),
    ("role", |r| match (&r.previous_role, &r.new_role) {
        (Some(from), Some(to)) if from != to => format!("{from} -> {to}"),
        (Some(from), _) => from.clone(),
        (None, _) => String::new(),
    }),
    ("detail", |r| r.detail.clone()),
];

/// Prints the results and turns them into the exit code.
fn report(flags: &ActionFlags, results: &[ActionResult]) -> Result<(), Failure> {
    for r in results {
        let who = r.user_name.as_deref().unwrap_or(&r.user);
        for w in &r.warnings {
            eprintln!("warning: {}: {}", visible(who), visible(w));
        }
    }
    let columns = match flags.format {
        Format::Table if results.iter().all(|r| r.line.is_none()) => &TABLE_COLUMNS[1..],
        Format::Table => TABLE_COLUMNS,
        _ => COLUMNS,
    };
    output::print(flags.format, results, columns)?;
    if flags.dry_run {
        eprintln!("dry run: nothing was changed in Tableau or in the store");
    }
    match Outcome::exit_code(results) {
        ExitCode::Success => Ok(()),
        code => {
            let bad: Vec<&ActionResult> = results
                .iter()
                .filter(|r| matches!(r.result, Outcome::Failed | Outcome::Refused | Outcome::Kept))
                .collect();
            let message = match bad.as_slice() {
                [one] => format!(
                    "{}: {}",
                    one.user_name.as_deref().unwrap_or(&one.user),
                    one.detail
                ),
                _ => format!(
                    "{} of {} targets were not carried out (see the detail above)",
                    bad.len(),
                    results.len()
                ),
            };
            Err(Failure { code, message })
        }
    }
}
