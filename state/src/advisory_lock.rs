//! The site lock on PostgreSQL: a session advisory lock keyed by the site,
//! taken on a connection of its own. Every process and machine using the
//! database sees it; the server releases it when the connection ends, so a
//! holder killed with SIGKILL (its socket closed by the kernel) or cut off
//! frees the site without anyone cleaning up.

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

use crate::{Error, Result, SiteKey};

/// The first half of every tabgov advisory lock key ("tabg"), so the site
/// number in the second half cannot collide with another application's
/// locks in the same database.
const TABGOV_LOCKS: i32 = 0x7461_6267;

/// Takes `site`'s advisory lock on a new connection and returns that
/// connection, or fails at once with [`Error::SiteInUse`] naming the
/// holder (the process and host its connection announced).
pub(crate) async fn try_lock(options: &PgConnectOptions, site: SiteKey) -> Result<PgConnection> {
    let key = lock_key(site)?;
    let me = holder_name();
    // The lock lives as long as this session: a server-side idle timeout
    // (common on managed PostgreSQL) must not end it while the sync or
    // action it guards is still running.
    let mut conn = options
        .clone()
        .application_name(&format!("tabgov {me}"))
        .options([("idle_session_timeout", "0")])
        .connect()
        .await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
        .bind(TABGOV_LOCKS)
        .bind(key)
        .fetch_one(&mut conn)
        .await?;
    if locked {
        return Ok(conn);
    }
    let holder: Option<String> = sqlx::query_scalar(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND CAST(l.classid AS BIGINT) = $1 AND CAST(l.objid AS BIGINT) = $2 \
         LIMIT 1",
    )
    .bind(i64::from(TABGOV_LOCKS))
    .bind(i64::from(key))
    .fetch_optional(&mut conn)
    .await
    .ok()
    .flatten();
    let _ = conn.close().await;
    Err(Error::SiteInUse {
        site,
        holder: holder.map(|h| h.trim_start_matches("tabgov ").to_owned()),
    })
}

/// The site's half of the key; site keys are small positive numbers.
fn lock_key(site: SiteKey) -> Result<i32> {
    i32::try_from(site.get()).map_err(|_| Error::Corrupt {
        what: "sites.id",
        value: site.to_string(),
    })
}

/// This process as other holders will see it: its id and host.
fn holder_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty());
    match host {
        Some(host) => format!("{} on {host}", std::process::id()),
        None => std::process::id().to_string(),
    }
}
