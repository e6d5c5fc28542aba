//! The store examined without changing it (see `inspect.rs`).

use super::schema::{applied_versions, known_versions, refuse_newer};
use super::{Pool, DIALECT};
use crate::backend::Dialect;
use crate::{Result, StoreReport};

pub(crate) async fn examine(pool: &Pool, url: &str) -> Result<StoreReport> {
    refuse_newer(pool, url).await?;
    let applied = applied_versions(pool).await?;
    let known = known_versions();
    let (integrity, violations) = match DIALECT {
        Dialect::Sqlite => {
            let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(pool)
                .await?;
            let violations: Vec<(String,)> =
                sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                    .fetch_all(pool)
                    .await?;
            (integrity, violations)
        }
        Dialect::Postgres => (Vec::new(), Vec::new()),
    };
    let migrated = !applied.is_empty();
    let integrity: Vec<String> = integrity.into_iter().filter(|l| l != "ok").collect();
    Ok(StoreReport {
        location: url.to_owned(),
        sound: integrity.is_empty() && violations.is_empty(),
        version: applied.last().copied(),
        latest: known.last().copied().unwrap_or(0),
        pending: known
            .iter()
            .filter(|v| !applied.contains(v))
            .copied()
            .collect(),
        integrity,
        foreign_key_violations: violations.len() as u64,
        sites: rows(pool, migrated, "sites").await?,
        accounts: rows(pool, migrated, "accounts").await?,
        journal_entries: rows(pool, migrated, "action_journal").await?,
    })
}

/// Rows of `table`; none before the first migration made it.
async fn rows(pool: &Pool, migrated: bool, table: &str) -> Result<u64> {
    if !migrated {
        return Ok(0);
    }
    super::copy::count(pool, table).await
}
