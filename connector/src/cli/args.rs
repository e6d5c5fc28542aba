//! Flags shared by several commands: where the store is, how to reach
//! Tableau, how to print.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use tabgov::transport::{DEFAULT_CONCURRENCY, DEFAULT_MAX_RPS, DEFAULT_PAGE_SIZE};

/// Where the store is and which config file to read.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The store: sqlite://FILE (created if missing), a plain file path, or
    /// postgres://USER@HOST/DATABASE (password in PGPASSWORD or ~/.pgpass).
    /// Default: `db` of the config file, else sqlite://tabgov.db.
    // hide_env_values: a TABGOV_DB URL may carry a password; --help must
    // not print it.
    #[arg(long, env = "TABGOV_DB", global = true, hide_env_values = true)]
    pub db: Option<String>,

    /// Config file listing sites (default: ./tabgov.toml when it exists).
    #[arg(long, env = "TABGOV_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

/// How to reach Tableau. Secrets come only from the environment or files:
/// TABGOV_PAT_SECRET, TABGOV_PASSWORD, TABGOV_JWT_SECRET.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Tableau server URL, e.g. https://tableau.example.com or
    /// https://10ax.online.tableau.com. Without it, the sites of the config
    /// file are used.
    #[arg(long, env = "TABGOV_SERVER")]
    pub server: Option<String>,

    /// Site content URL ("" for the default site); with a config file, the
    /// name of one of its sites.
    #[arg(long, env = "TABGOV_SITE")]
    pub site: Option<String>,

    /// REST API version to use (default: the highest the server and tabgov
    /// both speak, from serverinfo).
    #[arg(long, env = "TABGOV_API_VERSION")]
    pub api_version: Option<String>,

    /// Personal access token name; its secret in TABGOV_PAT_SECRET or --pat-secret-file.
    #[arg(long, env = "TABGOV_PAT_NAME")]
    pub pat_name: Option<String>,

    /// File holding the PAT secret (instead of TABGOV_PAT_SECRET).
    #[arg(long)]
    pub pat_secret_file: Option<PathBuf>,

    /// User name for password sign-in; the password in TABGOV_PASSWORD or --password-file.
    #[arg(long, env = "TABGOV_USERNAME")]
    pub username: Option<String>,

    /// File holding the password (instead of TABGOV_PASSWORD).
    #[arg(long)]
    pub password_file: Option<PathBuf>,

    /// Connected app client id (direct trust); the secret value in TABGOV_JWT_SECRET.
    #[arg(long, env = "TABGOV_JWT_CLIENT_ID")]
    pub jwt_client_id: Option<String>,

    /// Connected app secret id (the JWT `kid`).
    #[arg(long, env = "TABGOV_JWT_SECRET_ID")]
    pub jwt_secret_id: Option<String>,

    /// Tableau user the connected app signs in as (the JWT `sub`).
    #[arg(long, env = "TABGOV_JWT_USERNAME")]
    pub jwt_username: Option<String>,

    /// File holding the connected app secret value (instead of TABGOV_JWT_SECRET).
    #[arg(long)]
    pub jwt_secret_file: Option<PathBuf>,

    /// Requests in flight at most (Tableau Cloud allows 20 long-running
    /// requests per site). tabgov starts there and sends fewer at once while
    /// Tableau answers 429 (rate limited), then grows back.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY as u16, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// A hard cap on requests per second (default 0: none; the adaptive
    /// window follows the server's 429s by itself).
    #[arg(long, default_value_t = DEFAULT_MAX_RPS)]
    pub max_rps: u32,

    /// Items per page (1 to 1000).
    #[arg(long, default_value_t = DEFAULT_PAGE_SIZE, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub page_size: u32,

    /// Seconds one attempt of a request may take; all attempts of one
    /// request, retries included, end within 3 minutes.
    #[arg(long, default_value_t = 120)]
    pub timeout_secs: u64,

    /// Seconds to wait for a connection.
    #[arg(long, default_value_t = 10)]
    pub connect_timeout_secs: u64,

    /// PEM file with the root certificate of a private CA (Tableau Server
    /// behind an internal CA).
    #[arg(long)]
    pub ca_cert: Option<PathBuf>,
}

/// How a listing is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// One JSON array.
    Json,
    /// CSV with a header row.
    Csv,
}
