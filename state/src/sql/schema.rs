//! Which migrations a store holds, read without changing anything.

use super::{Pool, DIALECT, MIGRATOR};
use crate::backend::Dialect;
use crate::schema::{compare, SchemaState};
use crate::{Error, Result};

/// Compares the migrations recorded in the store with this build's.
pub(crate) async fn state(pool: &Pool) -> Result<SchemaState> {
    Ok(compare(&applied_versions(pool).await?, &known_versions()))
}

/// The migration versions the store records, oldest first.
pub(crate) async fn applied_versions(pool: &Pool) -> Result<Vec<i64>> {
    let has_table: i64 = sqlx::query_scalar(match DIALECT {
        Dialect::Sqlite => {
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Dialect::Postgres => {
            "SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
        }
    })
    .fetch_one(pool)
    .await?;
    if has_table == 0 {
        return Ok(Vec::new());
    }
    Ok(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await?,
    )
}

/// The migration versions this build embeds for this engine, oldest first.
pub(crate) fn known_versions() -> Vec<i64> {
    MIGRATOR.iter().map(|m| m.version).collect()
}

/// Refuses a store written by a newer tabgov.
pub(crate) async fn refuse_newer(pool: &Pool, location: &str) -> Result<SchemaState> {
    let state = state(pool).await?;
    if let SchemaState::Newer { version } = state {
        return Err(Error::NewerStore {
            location: location.to_owned(),
            version,
            known: known_versions().into_iter().max().unwrap_or(0),
        });
    }
    Ok(state)
}

/// Applies the migrations the store lacks.
pub(crate) async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}
