//! `tableau-sim`: run the simulator as a process (benchmarks, demos, the
//! tableauserverclient conformance suite). Prints `listening on http://HOST:PORT`
//! first and serves until SIGINT or SIGTERM.

use clap::Parser;
use std::net::SocketAddr;
use std::time::Duration;
use tableau_sim::{SimConfig, Simulator};

/// A Tableau REST API simulator.
#[derive(Debug, Parser)]
#[command(name = "tableau-sim", version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Site content URL (repeatable; "" is the default site).
    #[arg(long = "site")]
    sites: Vec<String>,
    /// Users per site (besides admin).
    #[arg(long, default_value_t = 0)]
    users: usize,
    /// Groups per site (besides All Users).
    #[arg(long, default_value_t = 0)]
    groups: usize,
    /// Group memberships per user.
    #[arg(long, default_value_t = 2)]
    memberships_per_user: usize,
    /// Share of users owning content.
    #[arg(long, default_value_t = 0.2)]
    owners_fraction: f64,
    /// Random seed (data, ids, faults).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests answered 429.
    #[arg(long, default_value_t = 0.0)]
    rate_429: f64,
    /// Share of requests answered 500/503.
    #[arg(long, default_value_t = 0.0)]
    rate_5xx: f64,
    /// Requests per second above which requests get 429.
    #[arg(long)]
    max_rps: Option<u32>,
    /// Let faults hit sign-in too.
    #[arg(long)]
    faults_on_signin: bool,
    /// Retry-After seconds on the 429s that carry one.
    #[arg(long, default_value_t = 1)]
    retry_after_secs: u64,
    /// Session lifetime in seconds.
    #[arg(long, default_value_t = 240 * 60)]
    token_ttl_secs: u64,
    /// Answer an expired session 401000, as Tableau Cloud does (else 401002).
    #[arg(long)]
    expired_session_401000: bool,
    /// REST API version serverinfo reports (the highest served).
    #[arg(long, default_value = "3.21")]
    api_version: String,
    /// Personal access token NAME=SECRET, owned by admin (repeatable).
    #[arg(long = "pat")]
    pats: Vec<String>,
    /// Password NAME=PASSWORD for an existing user (repeatable).
    #[arg(long = "user-password")]
    passwords: Vec<String>,
    /// Connected app CLIENT_ID:SECRET_ID:SECRET (repeatable).
    #[arg(long = "connected-app")]
    connected_apps: Vec<String>,
}

fn pair<'a>(s: &'a str, sep: char, what: &str) -> (&'a str, &'a str) {
    s.split_once(sep).unwrap_or_else(|| {
        eprintln!("error: {what} '{s}' must look like A{sep}B");
        std::process::exit(2)
    })
}

fn config(a: Args) -> SimConfig {
    let mut c = SimConfig::new()
        .addr(a.addr)
        .users(a.users)
        .groups(a.groups)
        .memberships_per_user(a.memberships_per_user)
        .owners_fraction(a.owners_fraction)
        .seed(a.seed)
        .latency_ms(a.latency_ms)
        .rate_429(a.rate_429)
        .rate_5xx(a.rate_5xx)
        .max_rps(a.max_rps)
        .faults_on_signin(a.faults_on_signin)
        .retry_after_secs(a.retry_after_secs)
        .token_ttl(Duration::from_secs(a.token_ttl_secs))
        .expired_session_401000(a.expired_session_401000)
        .api_version(&a.api_version);
    if !a.sites.is_empty() {
        c = c.sites(a.sites);
    }
    if !a.pats.is_empty() {
        c = c.no_pats();
        for p in &a.pats {
            let (n, s) = pair(p, '=', "--pat");
            c = c.pat(n, s);
        }
    }
    for p in &a.passwords {
        let (n, s) = pair(p, '=', "--user-password");
        c = c.user_password(n, s);
    }
    for app in &a.connected_apps {
        let (client, rest) = pair(app, ':', "--connected-app");
        let (sid, secret) = pair(rest, ':', "--connected-app");
        c = c.connected_app(client, sid, secret);
    }
    c
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let cfg = config(Args::parse());
    let sim = match Simulator::start(cfg).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot start the simulator: {e}");
            std::process::exit(1);
        }
    };
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", sim.base_url());
        let _ = out.flush();
    }
    shutdown_signal().await;
    sim.stop().await;
}
