//! `tabgov demo`: the whole flow in seconds, with nothing to set up. A
//! simulated Tableau site starts in this process, is synced into a fresh
//! store, and the accounts, the licence report and a dry-run offboarding
//! plan are printed; the store stays for further commands.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use clap::Args;
use comfy_table::{presets, ContentArrangement, Table};
use tabgov::actions::{run_batch, ActionContext, ActionOptions, ActionResult, TargetRequest, Verb};
use tabgov::credentials::{Credential, Scope};
use tabgov::reports::terminal_text::visible;
use tabgov::reports::{license_report, LicenseReport, LicenseReportOptions};
use tabgov::site_lock::SiteLock;
use tabgov::sync::{sync_site, SyncOptions};
use tabgov::transport::{Transport, TransportOptions};
use tabgov::Secret;
use tabgov_mapping::{AccountStatus, License, Recommendation};
use tabgov_state::{AccountFilter, Store};
use tableau_sim::{SimConfig, Simulator};

use super::args::StoreArgs;
use super::demo_store::{demo_url, replace_demo_store, DEMO_DB};
use super::failure::Failure;
use super::license_table::render_table;

/// Flags of `tabgov demo`.
#[derive(Debug, Args)]
#[command(
    after_help = "The store is --db, else ./tabgov-demo.db (TABGOV_DB is not used: it names
your real store). Only a store an earlier demo created there is replaced; any
other file, and a store holding an action journal, never is.

Examples:
  tabgov demo
  tabgov demo --users 1000 --db /tmp/demo.db
  tabgov --db tabgov-demo.db report licenses --format html --out licences.html"
)]
pub struct DemoArgs {
    /// Users on the simulated site (besides its administrator).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(10..=20000))]
    users: u32,

    /// Seed of the simulated site: the same seed gives the same site.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// The simulator's administrator token (the simulator's own default).
const PAT_NAME: &str = "admin-pat";
const PAT_SECRET: &str = "admin-secret";
const SERVICE_GROUP: &str = "Service Accounts";

/// Runs the demo.
pub async fn run(store_args: &StoreArgs, args: DemoArgs) -> Result<(), Failure> {
    let url = demo_url(store_args.db.as_deref())?;
    if let Some(path) = replace_demo_store(store_args.db.as_deref()).await? {
        say!("Replacing the earlier demo store {}.", path.display());
    }
    let sim = Simulator::start(
        SimConfig::new()
            .users(args.users as usize)
            .groups(14)
            .memberships_per_user(2)
            .owners_fraction(0.2)
            .seed(args.seed),
    )
    .await
    .map_err(|e| Failure::runtime(format!("cannot start the simulated site: {e}")))?;
    furnish(&sim);
    let store = match Store::create_demo(&url).await {
        Ok(store) => store,
        Err(e) => {
            sim.stop().await;
            return Err(Failure::runtime(format!(
                "cannot create the store {url}: {e}; check --db"
            )));
        }
    };
    let result = walk_through(&sim, &store, &url).await;
    store.close().await;
    sim.stop().await;
    result?;
    print_next_steps(store_args.db.as_deref().unwrap_or(DEMO_DB));
    Ok(())
}

/// What a real site also has: service accounts that only use the API, and
/// a group granting Explorer on sign-in.
fn furnish(sim: &Simulator) {
    let site = "";
    let service = sim.add_group(site, SERVICE_GROUP, None, None);
    let set_up = Some(Utc::now() - Duration::days(400));
    for (name, role) in [
        ("svc-extract-refresh", "Creator"),
        ("svc-embedded-portal", "Viewer"),
        ("svc-audit-export", "Explorer"),
    ] {
        let user = sim.add_user(site, name, role);
        sim.set_last_login(site, &user.id, set_up);
        sim.add_member(site, &service.id, &user.id);
    }
    let grant = sim.add_group(
        site,
        "Analysts (Explorer on sign-in)",
        Some("Explorer"),
        Some("onLogin"),
    );
    for user in sim
        .users(site)
        .iter()
        .filter(|u| u.site_role == "Explorer")
        .take(25)
    {
        sim.add_member(site, &grant.id, &user.id);
    }
}

async fn walk_through(sim: &Simulator, store: &Store, url: &str) -> Result<(), Failure> {
    let server = sim.base_url();
    let mut options = TransportOptions::new(server.clone(), "");
    options.max_rps = 0;
    let credential = Credential::Pat {
        name: PAT_NAME.to_owned(),
        secret: Secret::new(PAT_SECRET),
    };
    let lock = SiteLock::acquire(store, &server, "")
        .await
        .map_err(|e| Failure::from_error(e, &server, ""))?;
    let transport = Transport::connect(options, credential, Scope::SYNC)
        .await
        .map_err(|e| Failure::from_error(e, &server, ""))?;
    let work = async {
        let report = sync_site(&transport, store, &lock, &SyncOptions::default())
            .await
            .map_err(|e| Failure::from_error(e, &server, ""))?;
        say!(
            "Simulated Tableau site at {server}: synced {} users, {} groups, {} memberships into {url} in {:.1} s.\n",
            report.summary.counts.users, report.summary.counts.groups, report.summary.counts.memberships, report.seconds
        );
        print_accounts(store).await?;
        let licences = print_license_report(store).await?;
        print_offboarding_plan(&transport, store, &licences).await
    };
    let result = work.await;
    if let Err(e) = transport.sign_out().await {
        tracing::warn!("sign-out failed: {e}");
    }
    result
}

async fn print_accounts(store: &Store) -> Result<(), Failure> {
    let accounts = store.list_accounts(&AccountFilter::default()).await?;
    let mut counts: BTreeMap<(License, AccountStatus), usize> = BTreeMap::new();
    for a in &accounts {
        *counts.entry((a.license, a.status)).or_default() += 1;
    }
    let mut t = Table::new();
    t.load_preset(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["licence", "Active", "Suspended", "Deprovisioned", "total"]);
    for license in License::ALL {
        let n = |s| counts.get(&(license, s)).copied().unwrap_or(0);
        let row: Vec<usize> = AccountStatus::ALL.into_iter().map(n).collect();
        t.add_row([
            license.to_string(),
            row[0].to_string(),
            row[1].to_string(),
            row[2].to_string(),
            row.iter().sum::<usize>().to_string(),
        ]);
    }
    say!("== Accounts ({} in the store) ==\n{t}\n", accounts.len());
    Ok(())
}

async fn print_license_report(store: &Store) -> Result<LicenseReport, Failure> {
    let mut opts = LicenseReportOptions::new(Utc::now());
    opts.exclude_groups = vec![SERVICE_GROUP.to_owned()];
    let report = license_report(store, &opts)
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    say!(
        "== Licence report (--exclude-group \"{SERVICE_GROUP}\") ==\n{}",
        render_table(&report, Some(10))
    );
    Ok(report)
}

/// Plans (dry run) reclaiming a few of the report's seats: three removals
/// and two suspensions of content owners.
async fn print_offboarding_plan(
    transport: &Transport,
    store: &Store,
    report: &LicenseReport,
) -> Result<(), Failure> {
    let pick = |r: Recommendation, n: usize| {
        report
            .candidates
            .iter()
            .filter(move |c| c.candidate.recommendation == r)
            .take(n)
            .map(move |c| {
                let verb = match r {
                    Recommendation::Suspend => Verb::Suspend,
                    Recommendation::Deprovision => Verb::Deprovision,
                };
                let mut request = TargetRequest::new(c.candidate.name.clone(), verb);
                request.reason = Some("unused licence (tabgov demo)".to_owned());
                request
            })
    };
    let requests: Vec<TargetRequest> = pick(Recommendation::Deprovision, 3)
        .chain(pick(Recommendation::Suspend, 2))
        .collect();
    say!("== Offboarding plan (dry run: nothing is changed) ==");
    if requests.is_empty() {
        say!("No inactive users to offboard.\n");
        return Ok(());
    }
    let opts = ActionOptions {
        actor: Some("tabgov demo".to_owned()),
        dry_run: true,
        ..ActionOptions::default()
    };
    let server = transport.options().server.clone();
    let ctx = ActionContext::new(transport, store, opts)
        .await
        .map_err(|e| Failure::from_error(e, &server, ""))?;
    let results = run_batch(&ctx, requests)
        .await
        .map_err(|e| Failure::from_error(e, &server, ""))?;
    say!("{}\n", plan_table(&results));
    Ok(())
}

fn plan_table(results: &[ActionResult]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["user", "action", "result", "what would happen"]);
    for r in results {
        let mut detail = r.detail.clone();
        for w in &r.warnings {
            detail.push_str(&format!(" Warning: {w}"));
        }
        t.add_row([
            visible(r.user_name.as_deref().unwrap_or(&r.user)).into_owned(),
            r.action.to_string(),
            r.result.as_str().to_owned(),
            visible(&detail).into_owned(),
        ]);
    }
    t
}

fn print_next_steps(db: &str) {
    say!(
        "== Next ==
The simulated site is gone; the store {db} stays. Try:
  tabgov --db {db} accounts --license Creator --inactive-days 90
  tabgov --db {db} report licenses --format html --out licences.html
  tabgov --db {db} review export --out review.csv

Point tabgov at your own Tableau Server or Tableau Cloud site with a personal
access token of a site administrator (the secret only in the environment):
  export TABGOV_PAT_SECRET='<token secret>'
  tabgov check --server https://tableau.example.com --site <content-url> --pat-name <token name>
  tabgov sync  --server https://tableau.example.com --site <content-url> --pat-name <token name>
  tabgov report licenses
Or list your sites once in tabgov.toml (see docs/connecting.md) and run `tabgov sync`."
    );
}
