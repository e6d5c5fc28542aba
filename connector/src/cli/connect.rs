//! Turns flags, the config file and the environment into the sites to
//! reach (server, site, credential) and the store to use.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tabgov::credentials::{read_secret, Credential};
use tabgov::transport::TransportOptions;
use tabgov_state::Store;

use super::args::{ConnectionArgs, StoreArgs};
use super::config_file::{ConfigFile, SiteConfig};
use super::failure::Failure;
use super::store_url::store_url;

/// One site to connect to.
#[derive(Debug)]
pub struct Target {
    /// What messages call it: the config name or the content URL.
    pub label: String,
    pub options: TransportOptions,
    pub credential: Credential,
}

/// The config file: `--config`, else ./tabgov.toml when present.
pub fn load_config(args: &StoreArgs) -> Result<Option<ConfigFile>, Failure> {
    let path = match &args.config {
        Some(path) => path.clone(),
        None => {
            let default = PathBuf::from("tabgov.toml");
            if !default.exists() {
                return Ok(None);
            }
            default
        }
    };
    ConfigFile::load(&path)
        .map(Some)
        .map_err(|e| Failure::usage(e.to_string()))
}

/// Opens the store named by `--db`, the config file, or the default, for a
/// command that writes to it.
pub async fn open_store(args: &StoreArgs, config: Option<&ConfigFile>) -> Result<Store, Failure> {
    let url = chosen_url(args, config)?;
    Store::open(&url).await.map_err(|e| store_failure(&url, e))
}

/// Opens the store for a command that only reads it: a read-only store
/// (file or directory) is read as it is.
pub async fn open_store_for_reading(
    args: &StoreArgs,
    config: Option<&ConfigFile>,
) -> Result<Store, Failure> {
    let url = chosen_url(args, config)?;
    Store::open_for_reading(&url)
        .await
        .map_err(|e| store_failure(&url, e))
}

pub fn chosen_url(args: &StoreArgs, config: Option<&ConfigFile>) -> Result<String, Failure> {
    let db = args
        .db
        .clone()
        .or_else(|| config.and_then(|c| c.db.clone()))
        .unwrap_or_else(|| tabgov_state::DEFAULT_URL.to_owned());
    store_url(&db)
}

/// A store that could not be opened, as one sentence: the store's own
/// sentence when it names the fix, else the cause and `--db`.
pub fn store_failure(url: &str, e: tabgov_state::Error) -> Failure {
    match e {
        tabgov_state::Error::NewerStore { .. }
        | tabgov_state::Error::NoDirectory { .. }
        | tabgov_state::Error::BadStoreUrl { .. } => Failure::usage(e.to_string()),
        tabgov_state::Error::Unreachable { .. } | tabgov_state::Error::PostgresTooOld { .. } => {
            Failure::runtime(e.to_string())
        }
        tabgov_state::Error::ReadOnly { .. }
        | tabgov_state::Error::NoStore { .. }
        | tabgov_state::Error::WalInReadOnlyDirectory { .. } => Failure::runtime(e.to_string()),
        other => Failure::runtime(format!(
            "cannot open the store {}: {other}; check --db",
            tabgov_state::redacted(url)
        )),
    }
}

/// The sites a command acts on: the flags' one, or the config file's.
pub fn targets(args: &ConnectionArgs, config: Option<&ConfigFile>) -> Result<Vec<Target>, Failure> {
    if let Some(server) = &args.server {
        let site = args.site.clone().unwrap_or_default();
        let credential = flag_credential(args)?;
        return Ok(vec![Target {
            label: site_label(&site),
            options: options(args, server, &site, args.api_version.clone()),
            credential,
        }]);
    }
    let Some(config) = config.filter(|c| !c.sites.is_empty()) else {
        return Err(Failure::usage(
            "no Tableau server given: pass --server URL (or set TABGOV_SERVER), or list sites in tabgov.toml",
        ));
    };
    let selected = config
        .select(args.site.as_deref())
        .map_err(Failure::usage)?;
    selected
        .into_iter()
        .map(|site| {
            Ok(Target {
                label: site.label().to_owned(),
                options: options(
                    args,
                    &site.server,
                    &site.site,
                    args.api_version
                        .clone()
                        .or_else(|| site.api_version.clone()),
                ),
                credential: config_credential(site)?,
            })
        })
        .collect()
}

fn site_label(content_url: &str) -> String {
    if content_url.is_empty() {
        "(default site)".to_owned()
    } else {
        content_url.to_owned()
    }
}

fn options(
    args: &ConnectionArgs,
    server: &str,
    site: &str,
    api_version: Option<String>,
) -> TransportOptions {
    let mut o = TransportOptions::new(server, site);
    o.api_version = api_version;
    o.concurrency = usize::from(args.concurrency);
    o.max_rps = args.max_rps;
    o.page_size = args.page_size;
    o.request_timeout = Duration::from_secs(args.timeout_secs.max(1));
    o.connect_timeout = Duration::from_secs(args.connect_timeout_secs.max(1));
    o.ca_cert = args.ca_cert.clone();
    o
}

fn flag_credential(args: &ConnectionArgs) -> Result<Credential, Failure> {
    credential(
        args.pat_name.as_deref(),
        ("TABGOV_PAT_SECRET", args.pat_secret_file.as_deref()),
        args.username.as_deref(),
        ("TABGOV_PASSWORD", args.password_file.as_deref()),
        (
            args.jwt_client_id.as_deref(),
            args.jwt_secret_id.as_deref(),
            args.jwt_username.as_deref(),
        ),
        ("TABGOV_JWT_SECRET", args.jwt_secret_file.as_deref()),
    )
}

fn config_credential(site: &SiteConfig) -> Result<Credential, Failure> {
    credential(
        site.pat_name.as_deref(),
        (
            site.pat_secret_env
                .as_deref()
                .unwrap_or("TABGOV_PAT_SECRET"),
            site.pat_secret_file.as_deref(),
        ),
        site.username.as_deref(),
        (
            site.password_env.as_deref().unwrap_or("TABGOV_PASSWORD"),
            site.password_file.as_deref(),
        ),
        (
            site.jwt_client_id.as_deref(),
            site.jwt_secret_id.as_deref(),
            site.jwt_username.as_deref(),
        ),
        (
            site.jwt_secret_env
                .as_deref()
                .unwrap_or("TABGOV_JWT_SECRET"),
            site.jwt_secret_file.as_deref(),
        ),
    )
    .map_err(|f| Failure::usage(format!("site {:?}: {}", site.label(), f.message)))
}

type SecretSource<'a> = (&'a str, Option<&'a Path>);

fn credential(
    pat_name: Option<&str>,
    pat_secret: SecretSource<'_>,
    username: Option<&str>,
    password: SecretSource<'_>,
    jwt: (Option<&str>, Option<&str>, Option<&str>),
    jwt_secret: SecretSource<'_>,
) -> Result<Credential, Failure> {
    let given = [pat_name.is_some(), username.is_some(), jwt.0.is_some()];
    match given.iter().filter(|g| **g).count() {
        0 => {
            return Err(Failure::usage(
                "no credential given: pass --pat-name NAME (secret in TABGOV_PAT_SECRET), --username NAME (password in TABGOV_PASSWORD), or --jwt-client-id/--jwt-secret-id/--jwt-username (secret in TABGOV_JWT_SECRET)",
            ))
        }
        1 => {}
        _ => {
            return Err(Failure::usage(
                "more than one credential given: choose one of --pat-name, --username or --jwt-client-id",
            ))
        }
    }
    let usage = |e: tabgov::Error| Failure::usage(e.to_string());
    if let Some(name) = pat_name {
        let secret = read_secret(pat_secret.0, pat_secret.1, "PAT secret").map_err(usage)?;
        return Ok(Credential::Pat {
            name: name.to_owned(),
            secret,
        });
    }
    if let Some(username) = username {
        let password = read_secret(password.0, password.1, "password").map_err(usage)?;
        return Ok(Credential::Password {
            username: username.to_owned(),
            password,
        });
    }
    let (Some(client_id), Some(secret_id), Some(username)) = jwt else {
        return Err(Failure::usage(
            "a connected app needs all of --jwt-client-id, --jwt-secret-id and --jwt-username",
        ));
    };
    let secret = read_secret(jwt_secret.0, jwt_secret.1, "connected app secret").map_err(usage)?;
    Ok(Credential::ConnectedApp {
        client_id: client_id.to_owned(),
        secret_id: secret_id.to_owned(),
        secret,
        username: username.to_owned(),
    })
}
