//! Every statement of the store, written once against `Engine` and compiled
//! for each engine (see `backend`). Helpers that write take a transaction
//! and never commit; the store's methods, their callers, decide what
//! commits together.

pub(crate) mod accounts;
pub(crate) mod apply;
pub(crate) mod copy;
pub(crate) mod demo;
pub(crate) mod external_ids;
pub(crate) mod feed;
pub(crate) mod first_sync;
pub(crate) mod groups;
pub(crate) mod inspect;
pub(crate) mod jobs;
pub(crate) mod journal;
pub(crate) mod memberships;
pub(crate) mod mutate;
pub(crate) mod owned;
pub(crate) mod provision;
pub(crate) mod run;
pub(crate) mod schema;
pub(crate) mod site;
pub(crate) mod snapshot;

use sqlx::Connection as _;

use super::{Engine, DIALECT, MIGRATOR};
use crate::backend::Dialect;
use crate::Result;

/// A transaction on this engine.
pub(crate) type Tx<'c> = sqlx::Transaction<'c, Engine>;
/// A connection of this engine.
pub(crate) type Conn = <Engine as sqlx::Database>::Connection;
/// A pool of this engine.
pub(crate) type Pool = sqlx::Pool<Engine>;

/// Starts a transaction that will write. On SQLite it takes the write lock
/// at once (`BEGIN IMMEDIATE`), waiting out other writers for the busy
/// timeout: a deferred transaction that reads before it writes cannot
/// wait, and fails at once if another connection committed in between.
/// PostgreSQL's row locks need nothing of the kind.
pub(crate) async fn begin_write(conn: &mut Conn) -> Result<Tx<'_>> {
    Ok(match DIALECT {
        Dialect::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
        Dialect::Postgres => conn.begin().await?,
    })
}
