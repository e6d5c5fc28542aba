//! For tests of this crate and of its users (feature `testing`): stores on
//! both engines and a look at their rows that the store's methods do not
//! offer. PostgreSQL is used when `TABGOV_TEST_POSTGRES` holds an admin URL
//! (`tests/postgres/server.sh start` prints one); each store then gets a
//! database of its own.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, PgConnection};

use crate::backend::Pool;
use crate::Store;

/// The variable naming the PostgreSQL server tests may create databases on.
pub const POSTGRES_VARIABLE: &str = "TABGOV_TEST_POSTGRES";

/// The URL of a new, empty PostgreSQL database, or `None` (after saying the
/// test is skipped on PostgreSQL) when no server was given.
pub async fn fresh_postgres_url(test: &str) -> Option<String> {
    let Ok(admin) = std::env::var(POSTGRES_VARIABLE) else {
        // Straight to the process's stderr: the test harness captures
        // `eprintln!` of passing tests, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipped on PostgreSQL: {test} (set {POSTGRES_VARIABLE} to run it)"
        );
        return None;
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "tabgov_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros()
    );
    let mut conn = PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE}={admin} does not connect: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("a test database is created");
    let _ = conn.close().await;
    let mut url = url::Url::parse(&admin).expect("the admin URL parses");
    url.set_path(&name);
    Some(url.to_string())
}

impl Store {
    /// One number a SQL query returns (a count, a sum), for tests that
    /// check rows no method shows.
    pub async fn scalar_for_test(&self, sql: &str) -> i64 {
        let value = match &self.pool {
            Pool::Sqlite(db) => sqlx::query_scalar(sql).fetch_one(db).await,
            Pool::Postgres(db) => sqlx::query_scalar(sql).fetch_one(db).await,
        };
        value.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs a statement, for tests that change rows as another program
    /// would.
    pub async fn execute_for_test(&self, sql: &str) {
        let done = match &self.pool {
            Pool::Sqlite(db) => sqlx::query(sql).execute(db).await.map(drop),
            Pool::Postgres(db) => sqlx::query(sql).execute(db).await.map(drop),
        };
        done.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// A transaction that added one event to the change feed the way a sync's
/// writer does and has not committed yet, for tests of the feed's order
/// (PostgreSQL only: SQLite's writers wait for each other anyway).
pub struct OpenFeedWriter(sqlx::Transaction<'static, sqlx::Postgres>);

impl std::fmt::Debug for OpenFeedWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenFeedWriter")
    }
}

impl OpenFeedWriter {
    /// Commits the event.
    pub async fn commit(self) {
        self.0.commit().await.expect("the open feed writer commits");
    }
}

impl Store {
    /// Adds `change` as an event of `run` on `site` in a transaction left
    /// open; `None` on SQLite.
    pub async fn open_feed_writer_for_test(
        &self,
        site: crate::SiteKey,
        run: crate::RunId,
        change: &tabgov_mapping::Change,
    ) -> Option<OpenFeedWriter> {
        let Pool::Postgres(pool) = &self.pool else {
            return None;
        };
        let mut tx = pool.begin().await.expect("a transaction begins");
        let now = crate::time::to_text(chrono::Utc::now());
        crate::backend::postgres::sql::feed::insert_events(
            &mut tx,
            site,
            run,
            std::slice::from_ref(change),
            &now,
        )
        .await
        .expect("the event is inserted");
        Some(OpenFeedWriter(tx))
    }
}
