//! Putting the store's write-ahead log into the database file, so that a
//! test can compare the file's bytes before and after a command.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::Env;

/// Checkpoints the store's WAL into the database file and empties the WAL
/// (with a plain SQLite connection: the store may be one tabgov refuses).
pub async fn settle(env: &Env) {
    let mut conn = SqliteConnectOptions::new()
        .filename(env.dir.path().join("tabgov.db"))
        .connect()
        .await
        .expect("the store opens");
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .expect("checkpoint");
    conn.close().await.expect("closes");
}
