//! `tabgov serve`: the service (scheduled syncs, the /v1 API, health,
//! metrics, alerts) for the sites of tabgov.toml, and `tabgov token new`
//! to admit its callers.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use tabgov::credentials::read_secret;
use tabgov::serve::settings::duration_text;
use tabgov::serve::webhook::WebhookTarget;
use tabgov::serve::{Scope, ServeSettings, ServedSite, Service, Tokens};

use super::args::{ConnectionArgs, StoreArgs};
use super::config_file::ConfigFile;
use super::connect::{load_config, open_store, targets};
use super::failure::Failure;
use super::report::price_table;

/// Flags of `tabgov serve`; `[serve]` in tabgov.toml sets the rest.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tabgov token new --name hr-feed --scope act >> tokens.txt   # prints the token on stderr
  tabgov token new --name okta --scope scim >> tokens.txt     # for an identity provider
  tabgov serve --tokens-file tokens.txt                       # every site of tabgov.toml
  tabgov serve --listen 0.0.0.0:8080 --every 30m --log-format json
  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/v1/sites
  curl -H \"Authorization: Bearer $SCIM_TOKEN\" http://127.0.0.1:8080/scim/v2/finance/Users

See docs/serve.md for the API, docs/openapi.yaml for its schema, docs/scim.md for SCIM.")]
pub struct ServeArgs {
    #[command(flatten)]
    connection: ConnectionArgs,

    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "TABGOV_LISTEN")]
    listen: Option<SocketAddr>,

    /// Token file: `NAME SCOPE sha256:HEX` lines (`tabgov token new`).
    #[arg(long, env = "TABGOV_TOKENS_FILE")]
    tokens_file: Option<PathBuf>,

    /// How often each site is synced, e.g. 30m (default 1h).
    #[arg(long, value_parser = duration_text::parse)]
    every: Option<Duration>,
}

/// Flags of `tabgov token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// A new random token: its line for the token file on stdout, the
    /// token itself (give it to the caller, it is not kept) on stderr.
    New {
        /// The caller's name, shown in logs and as the journal's actor.
        #[arg(long)]
        name: String,
        /// read (GET), act (read, offboard, sync) or scim.
        #[arg(long, value_parser = ["read", "act", "scim"])]
        scope: String,
    },
}

pub fn token(args: TokenArgs) -> Result<(), Failure> {
    match args.command {
        TokenCommand::New { name, scope } => {
            if name.is_empty() || name.chars().any(char::is_whitespace) {
                return Err(Failure::usage("--name takes one word, e.g. okta-prod"));
            }
            let scope = Scope::parse(&scope).expect("clap checked the scope");
            let (token, line) = tabgov::serve::tokens::new_token(&name, scope);
            say!("{line}");
            eprintln!("token for {name} (shown once, keep it secret): {token}");
            Ok(())
        }
    }
}

pub async fn run(store_args: &StoreArgs, args: ServeArgs) -> Result<(), Failure> {
    let config = load_config(store_args)?;
    let mut settings = config
        .as_ref()
        .and_then(|c| c.serve.clone())
        .unwrap_or_default();
    if let Some(listen) = args.listen {
        settings.listen = listen;
    }
    if let Some(path) = args.tokens_file.clone() {
        settings.tokens_file = Some(path);
    }
    if let Some(every) = args.every {
        settings.every = every;
    }
    settings.validate().map_err(Failure::usage)?;
    let tokens = load_tokens(&settings)?;
    let sites = served_sites(&args.connection, config.as_ref(), &settings)?;
    let webhooks = webhook_targets(&settings)?;
    let prices = price_table(config.as_ref(), None, None)?;
    let store = open_store(store_args, config.as_ref()).await?;
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|e| {
            Failure::runtime(format!(
                "cannot listen on {}: {e}; choose another address with --listen",
                settings.listen
            ))
        })?;
    let address = listener.local_addr().map_err(anyhow::Error::from)?;
    // The one line scripts and tests wait for.
    eprintln!(
        "tabgov serve: listening on http://{address} for {} site(s)",
        sites.len()
    );
    let service = Service {
        settings,
        sites,
        tokens,
        store,
        prices,
        webhooks,
    };
    tabgov::serve::run(service, listener, stop_signal())
        .await
        .map_err(|e| Failure::runtime(format!("the service failed: {e}")))?;
    eprintln!("tabgov serve: stopped");
    Ok(())
}

/// SIGTERM (a service manager) or SIGINT (Ctrl-C).
async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

fn load_tokens(settings: &ServeSettings) -> Result<Tokens, Failure> {
    let mut tokens = Tokens::default();
    if let Some(path) = &settings.tokens_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::usage(format!(
                "cannot read the token file {}: {e}",
                path.display()
            ))
        })?;
        tokens = Tokens::parse(&text, &path.display().to_string()).map_err(Failure::usage)?;
    }
    if let Some(var) = &settings.tokens_env {
        let text = std::env::var(var).map_err(|_| {
            Failure::usage(format!("[serve] tokens_env names {var}, which is not set"))
        })?;
        let more = Tokens::parse(&text, var).map_err(Failure::usage)?;
        tokens.extend(more).map_err(Failure::usage)?;
    }
    if tokens.is_empty() {
        return Err(Failure::usage(
            "no API tokens: make one with `tabgov token new --name NAME --scope read >> tokens.txt` and pass --tokens-file tokens.txt",
        ));
    }
    Ok(tokens)
}

fn served_sites(
    connection: &ConnectionArgs,
    config: Option<&ConfigFile>,
    settings: &ServeSettings,
) -> Result<Vec<ServedSite>, Failure> {
    let mut sites: Vec<ServedSite> = Vec::new();
    for target in targets(connection, config)? {
        let site_config = config.and_then(|c| {
            c.sites
                .iter()
                .find(|s| s.label() == target.label && connection.server.is_none())
        });
        let every = match site_config.and_then(|s| s.every.as_deref()) {
            Some(text) => duration_text::parse(text)
                .map_err(|e| Failure::usage(format!("site {:?}: every: {e}", target.label)))?,
            None => settings.every,
        };
        let fresh_within = match site_config.and_then(|s| s.fresh_within.as_deref()) {
            Some(text) => duration_text::parse(text).map_err(|e| {
                Failure::usage(format!("site {:?}: fresh_within: {e}", target.label))
            })?,
            None => settings.fresh_within(every),
        };
        if sites.iter().any(|s| s.label == target.label) {
            return Err(Failure::usage(format!(
                "two sites are called {:?}: give each [[site]] its own name",
                target.label
            )));
        }
        let scim = site_config.and_then(|s| s.scim.clone()).unwrap_or_default();
        scim.validate(&target.label).map_err(Failure::usage)?;
        sites.push(ServedSite {
            label: target.label,
            options: target.options,
            credential: target.credential,
            every,
            fresh_within,
            scim,
        });
    }
    Ok(sites)
}

fn webhook_targets(settings: &ServeSettings) -> Result<Vec<WebhookTarget>, Failure> {
    settings
        .webhooks
        .iter()
        .map(|w| {
            let url = url::Url::parse(&w.url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    Failure::usage(format!("webhook url {:?} is not an http(s) URL", w.url))
                })?;
            let env = w.secret_env.as_deref().unwrap_or("TABGOV_WEBHOOK_SECRET");
            let secret = read_secret(env, w.secret_file.as_deref(), "webhook secret")
                .map_err(|e| Failure::usage(format!("webhook {}: {e}", w.url)))?;
            Ok(WebhookTarget { url, secret })
        })
        .collect()
}
