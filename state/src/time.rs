//! Timestamps as stored: RFC 3339 UTC text of fixed width, so that text
//! comparison in SQL is time comparison (on SQLite and PostgreSQL alike).

use chrono::{DateTime, SecondsFormat, Utc};

use crate::{Error, Result};

/// The stored form of a timestamp.
pub(crate) fn to_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a stored timestamp back.
pub(crate) fn from_text(what: &'static str, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt {
            what,
            value: s.to_owned(),
        })
}

/// Reads an optional stored timestamp back.
pub(crate) fn from_opt(what: &'static str, s: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    s.map(|s| from_text(what, s)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_sorts_like_time() {
        let a: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        let b: DateTime<Utc> = "2026-01-01T00:00:00.5Z".parse().unwrap();
        assert!(to_text(a) < to_text(b));
        assert_eq!(to_text(a).len(), to_text(b).len());
        assert_eq!(from_text("t", &to_text(b)).unwrap(), b);
        assert!(from_text("t", "yesterday").is_err());
    }
}
