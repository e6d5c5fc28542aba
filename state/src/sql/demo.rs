//! The mark of a store `tabgov demo` created (see `demo_store`).

use super::{Pool, DIALECT};
use crate::backend::Dialect;
use crate::demo_store::MARKER;
use crate::{Error, Result};

/// Marks a store that has no tables yet as the demo's; one that has tables
/// was written by something else and is refused, unmarked.
pub(crate) async fn mark_new(pool: &Pool, location: &str) -> Result<()> {
    let tables: i64 = sqlx::query_scalar(match DIALECT {
        Dialect::Sqlite => "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        Dialect::Postgres => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    })
    .fetch_one(pool)
    .await?;
    if tables > 0 {
        return Err(Error::NotNewDemoStore {
            location: location.to_owned(),
        });
    }
    let mut tx = pool.begin().await?;
    sqlx::query(&format!(
        "CREATE TABLE IF NOT EXISTS {MARKER} (created_at TEXT NOT NULL)"
    ))
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!("INSERT INTO {MARKER} (created_at) VALUES ($1)"))
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
