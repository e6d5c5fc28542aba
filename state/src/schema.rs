//! Which migrations a store holds compared with the ones this build embeds.
//! A store migrated by a newer tabgov has versions this build does not know:
//! it is refused before anything is written, never half-migrated or read
//! with a schema this build does not understand.

use sqlx::migrate::Migrator;
use sqlx::SqlitePool;

use crate::{Error, Result};

/// The migrations embedded in this build.
pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// What the store holds, against this build's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemaState {
    /// Every migration it holds is known (some may still be to apply).
    Known { pending: bool },
    /// It holds this migration version, which this build does not know.
    Newer { version: i64 },
}

/// Compares the migrations recorded in the store with this build's. Reads
/// only.
pub(crate) async fn schema_state(pool: &SqlitePool) -> Result<SchemaState> {
    Ok(compare(&applied_versions(pool).await?, &known_versions()))
}

/// The migration versions the store records, oldest first. Reads only.
pub(crate) async fn applied_versions(pool: &SqlitePool) -> Result<Vec<i64>> {
    let has_table: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
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

/// The migration versions this build embeds, oldest first.
pub(crate) fn known_versions() -> Vec<i64> {
    MIGRATOR.iter().map(|m| m.version).collect()
}

fn compare(applied: &[i64], known: &[i64]) -> SchemaState {
    if let Some(version) = applied.iter().rev().find(|v| !known.contains(v)) {
        return SchemaState::Newer { version: *version };
    }
    SchemaState::Known {
        pending: known.iter().any(|v| !applied.contains(v)),
    }
}

/// Refuses a store written by a newer tabgov.
pub(crate) async fn refuse_newer(pool: &SqlitePool, location: &str) -> Result<SchemaState> {
    let state = schema_state(pool).await?;
    if let SchemaState::Newer { version } = state {
        return Err(Error::NewerStore {
            location: location.to_owned(),
            version,
            known: known_versions().into_iter().max().unwrap_or(0),
        });
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_versions_mean_a_newer_tabgov() {
        assert_eq!(compare(&[], &[1, 2]), SchemaState::Known { pending: true });
        assert_eq!(
            compare(&[1, 2], &[1, 2]),
            SchemaState::Known { pending: false }
        );
        assert_eq!(compare(&[1], &[1, 2]), SchemaState::Known { pending: true });
        assert_eq!(
            compare(&[1, 2, 7, 9], &[1, 2]),
            SchemaState::Newer { version: 9 }
        );
    }
}
