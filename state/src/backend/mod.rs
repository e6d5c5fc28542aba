//! The two database engines behind one [`Store`](crate::Store).
//!
//! Every query is written once, in `sql/`, against the alias `Engine`;
//! that module is compiled twice, once per engine (`sqlite.rs` and
//! `postgres.rs` include it with their own alias), so both get sqlx's
//! native types and placeholders and neither pays for a runtime-typed
//! driver. The few statements that differ between the engines branch on
//! [`Dialect`]. Outside this crate nothing sees a pool, a connection or SQL.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};

/// Which engine a statement is for, where their SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// A store's connection pool, on one engine or the other.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One connection taken from a [`Pool`] for a sequence of transactions.
#[derive(Debug)]
pub(crate) enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Pool {
    /// Takes a connection out of the pool.
    pub(crate) async fn acquire(&self) -> crate::Result<Conn> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// Runs `$body` with `$db` bound to the engine's pool or connection (by
/// reference) and `$sql` to that engine's instance of the `sql` module.
macro_rules! on_engine {
    ($target:expr, |$db:ident, $sql:ident| $body:expr) => {
        match $target {
            $crate::backend::Pool::Sqlite($db) => {
                use $crate::backend::sqlite::sql as $sql;
                $body
            }
            $crate::backend::Pool::Postgres($db) => {
                use $crate::backend::postgres::sql as $sql;
                $body
            }
        }
    };
}

/// [`on_engine!`] for a [`Conn`]: `$db` is `&mut` the engine's connection.
macro_rules! on_conn {
    ($target:expr, |$db:ident, $sql:ident| $body:expr) => {
        match $target {
            $crate::backend::Conn::Sqlite(conn) => {
                use $crate::backend::sqlite::sql as $sql;
                let $db = &mut **conn;
                $body
            }
            $crate::backend::Conn::Postgres(conn) => {
                use $crate::backend::postgres::sql as $sql;
                let $db = &mut **conn;
                $body
            }
        }
    };
}

/// [`on_conn!`] inside one write transaction (`sql::begin_write`): `$body`
/// runs with `$tx` the transaction and may return early with `?`, which
/// rolls it back; otherwise it commits and `$body`'s value is returned. The
/// one place a writer opens and commits a transaction.
macro_rules! in_write_tx {
    ($conn:expr, |$tx:ident, $sql:ident| $body:expr) => {
        $crate::backend::on_conn!($conn, |conn, $sql| async {
            let mut $tx = $sql::begin_write(conn).await?;
            let value = $body;
            $tx.commit().await?;
            Ok::<_, $crate::Error>(value)
        }
        .await)
    };
}

pub(crate) use {in_write_tx, on_conn, on_engine};
