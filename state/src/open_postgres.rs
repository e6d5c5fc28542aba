//! Opening a PostgreSQL store: a pool on the server, refused below
//! PostgreSQL 15, migrated under the migrator's own advisory lock (so two
//! processes opening a new database at once apply each migration once).

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};

use crate::backend::Pool;
use crate::redact::redacted;
use crate::store::{Location, ServerOptions};
use crate::{Error, Result, Store};

/// Connections per process: a sync uses one, its writer one, readers the rest.
const MAX_CONNECTIONS: u32 = 8;

/// How long to wait for a connection, from the pool or a server that is
/// slow to answer, before saying the store is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// The oldest server the schema and statements are written for.
const MINIMUM_VERSION_NUM: i64 = 150_000;

/// Opens and migrates the PostgreSQL store at `url`.
pub(crate) async fn open(url: &str, demo: bool) -> Result<Store> {
    let options = connect_options(url)?;
    probe(url, &options).await?;
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options.clone())
        .await
        .map_err(|e| unreachable(url, e.to_string()))?;
    let location = Location::Postgres(ServerOptions(Box::new(options)));
    Store::prepare(Pool::Postgres(pool), location, url, demo).await
}

/// The connection options `url` names, as tabgov announces itself.
pub(crate) fn connect_options(url: &str) -> Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(url)
        .map_err(|e| Error::BadStoreUrl {
            url: redacted(url),
            reason: e.to_string(),
        })?
        .application_name("tabgov"))
}

/// Connects once, on a connection of its own, and refuses a server older
/// than the schema needs. A server that is down is reported at once and
/// with its reason, where a pool would retry a refused connection until
/// its timeout and then say only that it timed out.
pub(crate) async fn probe(url: &str, options: &PgConnectOptions) -> Result<()> {
    let mut probe = tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
        .await
        .map_err(|_| unreachable(url, format!("no answer in {} s", CONNECT_TIMEOUT.as_secs())))?
        .map_err(|e| unreachable(url, e.to_string()))?;
    let version: Result<String> = sqlx::query_scalar("SHOW server_version_num")
        .fetch_one(&mut probe)
        .await
        .map_err(Error::from);
    let _ = probe.close().await;
    let version = version?;
    if version.parse::<i64>().unwrap_or(0) < MINIMUM_VERSION_NUM {
        return Err(Error::PostgresTooOld {
            url: redacted(url),
            version,
        });
    }
    Ok(())
}

/// The server at `url` did not accept a connection, for `reason`.
pub(crate) fn unreachable(url: &str, reason: String) -> Error {
    Error::Unreachable {
        url: redacted(url),
        reason,
    }
}
