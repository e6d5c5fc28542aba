//! `tabgov check`: sign in and say what was reached.

use clap::Args;
use tabgov::credentials::Scope;

use super::args::{ConnectionArgs, StoreArgs};
use super::connect::{load_config, targets};
use super::failure::Failure;
use super::session::{open, run_then_sign_out};

/// Flags of `tabgov check`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tabgov check --server https://tableau.example.com --site finance --pat-name tabgov
                              # the PAT secret in TABGOV_PAT_SECRET
  tabgov check --server https://tableau.example.com --username admin
                              # the password in TABGOV_PASSWORD
  tabgov check                # every site of tabgov.toml")]
pub struct CheckArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Signs in to each target and prints server, API version, site and user.
pub async fn run(store: &StoreArgs, args: CheckArgs) -> Result<(), Failure> {
    let config = load_config(store)?;
    for target in targets(&args.connection, config.as_ref())? {
        let label = target.label.clone();
        let server = target.options.server.clone();
        let identity = target.credential.identity();
        let t = open(target, &[Scope::UsersRead]).await?;
        let work = async {
            let product = t
                .server_info()
                .map(|i| {
                    let build = i
                        .build
                        .as_deref()
                        .map(|b| format!(" (build {b})"))
                        .unwrap_or_default();
                    format!(
                        "{}{build}",
                        i.product_version.as_deref().unwrap_or("unknown")
                    )
                })
                .unwrap_or_else(|| "not reported".into());
            say!("server:       {server}");
            say!("product:      {product}");
            say!("api version:  {}", t.api_version());
            say!("site:         {label} (id {})", t.site_id());
            say!("signed in as: {identity} (user id {})", t.user_id());
            Ok(())
        };
        run_then_sign_out(&t, work).await?;
    }
    Ok(())
}
