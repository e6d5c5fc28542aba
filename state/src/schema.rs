//! Which migrations a store holds compared with the ones this build embeds.
//! A store migrated by a newer tabgov has versions this build does not know:
//! it is refused before anything is written, never half-migrated or read
//! with a schema this build does not understand.

/// What the store holds, against this build's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemaState {
    /// Every migration it holds is known (some may still be to apply).
    Known { pending: bool },
    /// It holds this migration version, which this build does not know.
    Newer { version: i64 },
}

/// Where `applied` (the store's versions) stands against `known` (this build's).
pub(crate) fn compare(applied: &[i64], known: &[i64]) -> SchemaState {
    if let Some(version) = applied.iter().rev().find(|v| !known.contains(v)) {
        return SchemaState::Newer { version: *version };
    }
    SchemaState::Known {
        pending: known.iter().any(|v| !applied.contains(v)),
    }
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
