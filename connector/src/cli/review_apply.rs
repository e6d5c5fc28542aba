//! `tabgov review apply FILE`: the reviewer's decisions carried out. The
//! whole sheet is checked first (against the store, then Tableau); one bad
//! row refuses it with every problem's line and nothing changes.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use tabgov::actions::review::{
    apply_revokes, check_against_store, check_against_tableau, AppliedRevoke, ApplyRules, Revoke,
};
use tabgov::actions::scopes as actions_scopes;
use tabgov::actions::{ActionContext, ActionOptions};
use tabgov::credentials::Scope;
use tabgov::reports::{read_review_file, ReviewLine, RowProblem, SiteView};
use tabgov::ExitCode;
use tabgov_mapping::RevokeAction;
use tabgov_state::Store;

use tabgov_mapping::OnContent;

use super::action_run::ActionFlags;
use super::args::{ConnectionArgs, StoreArgs};
use super::connect::{load_config, open_store, open_store_for_reading, targets, Target};
use super::failure::Failure;
use super::output::{self, Column};
use super::session::{open, run_then_sign_out};

/// Flags of `tabgov review apply`.
#[derive(Debug, Args)]
#[command(
    after_help = "keep: nothing happens. revoke on a group: the user leaves that group.
revoke on site_role or license: the user is suspended (Unlicensed, content
kept). revoke on account: the user is deprovisioned (content owners are
refused unless --transfer-to or --on-content suspend). Blank: not reviewed.

Examples:
  tabgov review apply review-2026q1.csv --campaign 2026-Q1 --reviewer jane.doe --dry-run
  tabgov review apply review-2026q1.csv --campaign 2026-Q1 --reviewer jane.doe
  tabgov review apply review.json --campaign 2026-Q1 --on-content suspend"
)]
pub struct ApplyArgs {
    /// The filled-in sheet (CSV or JSON, as `review export` wrote it); - for stdin.
    file: PathBuf,

    #[command(flatten)]
    connection: ConnectionArgs,

    /// The review campaign, journalled with every change (default: the file's name).
    #[arg(long)]
    campaign: Option<String>,

    /// Who reviewed, journalled with every change (default: the actor).
    #[arg(long)]
    reviewer: Option<String>,

    /// What an account revoke does with a content owner and no --transfer-to.
    #[arg(long, value_enum, default_value_t)]
    on_content: OnContent,

    /// Who receives the content of a deprovisioned owner (id, name or email).
    #[arg(long)]
    transfer_to: Option<String>,

    /// A suspend also removes the user from groups that would license them
    /// again on sign-in (grant licence on sign-in), so the revoke sticks.
    #[arg(long)]
    sticky: bool,

    #[command(flatten)]
    flags: ActionFlags,
}

const COLUMNS: &[Column<AppliedRevoke>] = &[
    ("rows", |r| r.rows.clone()),
    ("user", |r| r.user.clone()),
    ("entitlement", |r| r.entitlement.clone()),
    ("action", |r| r.action.clone()),
    ("result", |r| r.result.as_str().to_owned()),
    ("detail", |r| {
        let mut d = r.detail.clone();
        for w in &r.warnings {
            d.push_str(&format!(" Warning: {w}"));
        }
        d
    }),
];

/// Checks the sheet, then carries out its revokes on the one site named.
pub async fn run(store_args: &StoreArgs, args: ApplyArgs) -> Result<(), Failure> {
    let lines = read_review_file(&read_text(&args.file)?).map_err(|p| refuse(&args.file, &p))?;
    let config = load_config(store_args)?;
    let mut sites = targets(&args.connection, config.as_ref())?;
    if sites.len() != 1 {
        return Err(Failure::usage(format!(
            "a review is applied to one site at a time and tabgov.toml lists {}: choose one with --site",
            sites.len()
        )));
    }
    let target = sites.remove(0);
    // A dry run changes nothing, so a read-only store will do.
    let store = if args.flags.dry_run {
        open_store_for_reading(store_args, config.as_ref()).await?
    } else {
        open_store(store_args, config.as_ref()).await?
    };
    let result = apply(&store, &args, &lines, target).await;
    store.close().await;
    let results = result?;
    if results.is_empty() {
        return Ok(());
    }
    output::print(args.flags.format, &results, COLUMNS)?;
    match AppliedRevoke::exit_code(&results) {
        ExitCode::Success => Ok(()),
        code => Err(Failure {
            code,
            message: "some revokes were not carried out (see the result column)".to_owned(),
        }),
    }
}

/// Checks the sheet against the store and Tableau, then applies its
/// revokes, under the site's lock.
async fn apply(
    store: &Store,
    args: &ApplyArgs,
    lines: &[ReviewLine],
    target: Target,
) -> Result<Vec<AppliedRevoke>, Failure> {
    let (server, site) = (target.options.server.clone(), target.options.site.clone());
    let Some(record) = store.find_site(Some(&server), &site).await? else {
        return Err(Failure::usage(format!(
            "site '{site}' of {server} was never synced into this store: run tabgov sync, then review export, first"
        )));
    };
    // Locked before the sheet is checked: a sync it waits for changes the store.
    let lock = args.flags.lock_site(store, &server, &site).await?;
    let view = SiteView::load(store, record.key, &site)
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    let sheet = check_against_store(&view, lines).map_err(|p| refuse(&args.file, &p))?;
    let summary = format!(
        "{} revoke(s), {} keep(s), {} row(s) not reviewed",
        sheet.revokes.len(),
        sheet.kept,
        sheet.undecided
    );
    if sheet.revokes.is_empty() {
        say!("{summary}: nothing to change.");
        return Ok(Vec::new());
    }
    let changes = change_count(&sheet.revokes);
    let flags = &args.flags;
    if let (false, Err(too_large)) = (flags.dry_run, flags.batch_policy().check(changes)) {
        return Err(Failure::refused(format!(
            "refused: the sheet asks for {changes} changes, more than --max-actions {}; nothing was changed. Pass --yes to confirm, or raise --max-actions",
            too_large.max_actions
        )));
    }
    let actor = flags.actor.clone().or_else(os_user);
    let opts = ActionOptions {
        actor: actor.clone(),
        dry_run: flags.dry_run,
        batch: flags.batch_policy(),
    };
    let campaign = args.campaign.clone().or_else(|| file_stem(&args.file));
    let reviewer = args.reviewer.clone().or(actor);
    let rules = ApplyRules {
        on_content: args.on_content,
        transfer_to: args.transfer_to.clone(),
        sticky: args.sticky,
        reason: flags.reason.clone(),
        ticket: flags.ticket.clone(),
    };
    let transport = open(target, &scopes(&sheet.revokes, &rules)).await?;
    let work = async {
        let explain = |e| Failure::from_error(e, &server, &site);
        let ctx = ActionContext::with_lock(&transport, store, opts, lock)
            .await
            .map_err(explain)?
            .for_review(campaign.clone(), reviewer.clone());
        let problems = check_against_tableau(&ctx, &sheet.revokes)
            .await
            .map_err(explain)?;
        if !problems.is_empty() {
            return Err(refuse(&args.file, &problems));
        }
        apply_revokes(&ctx, &sheet.revokes, &rules)
            .await
            .map_err(explain)
    };
    let results = run_then_sign_out(&transport, work).await?;
    let verb = if flags.dry_run {
        "dry run of"
    } else {
        "applied"
    };
    eprintln!(
        "{verb} campaign {} (reviewer {}): {summary}",
        campaign.as_deref().unwrap_or("(none)"),
        reviewer.as_deref().unwrap_or("(none)")
    );
    Ok(results)
}

/// The Tableau changes a set of revokes makes: one per group membership,
/// one per user for the rest.
fn change_count(revokes: &[Revoke]) -> usize {
    let mut users: Vec<&str> = revokes
        .iter()
        .filter(|r| r.action() != RevokeAction::RemoveMembership)
        .map(|r| r.user_id.as_str())
        .collect();
    users.sort_unstable();
    users.dedup();
    revokes.len()
        - revokes
            .iter()
            .filter(|r| r.action() != RevokeAction::RemoveMembership)
            .count()
        + users.len()
}

/// The least connected-app scopes the revokes need: the actions' own.
fn scopes(revokes: &[Revoke], rules: &ApplyRules) -> Vec<Scope> {
    let mut scopes = vec![Scope::UsersRead];
    for r in revokes {
        match r.action() {
            RevokeAction::RemoveMembership => {
                scopes.extend_from_slice(actions_scopes::REMOVE_MEMBER);
            }
            RevokeAction::Suspend => scopes.extend_from_slice(actions_scopes::SUSPEND),
            RevokeAction::Deprovision => {
                scopes.extend_from_slice(actions_scopes::DEPROVISION);
                if rules.on_content == tabgov_mapping::OnContent::Suspend {
                    scopes.extend_from_slice(actions_scopes::SUSPEND);
                }
            }
        }
    }
    if rules.sticky {
        scopes.extend_from_slice(actions_scopes::STICKY);
    }
    scopes.sort();
    scopes.dedup();
    scopes
}

fn read_text(path: &Path) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    Ok(text)
}

/// The refusal of a sheet: every problem on its own line.
fn refuse(path: &Path, problems: &[RowProblem]) -> Failure {
    let rows: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    Failure::usage(format!(
        "{} is refused and nothing was changed; fix these rows (or export a fresh sheet) and apply again:\n{}",
        path.display(),
        rows.join("\n")
    ))
}

fn file_stem(path: &Path) -> Option<String> {
    (path != Path::new("-"))
        .then(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .flatten()
}

/// The operator from the environment when --actor is not given (as the
/// other actions do).
fn os_user() -> Option<String> {
    ["USER", "USERNAME"]
        .into_iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}
