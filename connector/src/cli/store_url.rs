//! `--db` as given (a plain path, a sqlite: URL or a postgres:// URL) to
//! the store's URL, with one sentence for what tabgov cannot open.

use super::failure::Failure;

/// The store URL for `db`: `sqlite:...` and `postgres://...` as they are, a
/// plain path as a SQLite file. An empty value and URLs of other databases
/// are usage errors.
pub fn store_url(db: &str) -> Result<String, Failure> {
    if db.trim().is_empty() {
        return Err(Failure::usage(
            "--db is empty: give the store's file path, e.g. --db tabgov.db (or unset TABGOV_DB to use ./tabgov.db)",
        ));
    }
    // URL schemes are case-insensitive (RFC 3986): `SQLite:` is SQLite too,
    // written lower-case for SQLite's own parser.
    if let Some(rest) = db
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("sqlite:"))
        .map(|_| &db[7..])
    {
        return Ok(format!("sqlite:{rest}"));
    }
    if let Some((scheme, _)) = db.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        if scheme == "postgres" || scheme == "postgresql" {
            return Ok(db.to_owned());
        }
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        {
            return Err(Failure::usage(format!(
                "--db names a {scheme}:// database, which tabgov does not support: give a SQLite file path, e.g. --db tabgov.db, or a postgres:// URL"
            )));
        }
    }
    Ok(format!("sqlite://{db}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_sqlite_urls_pass_and_other_databases_are_named() {
        assert_eq!(store_url("x/t.db").unwrap(), "sqlite://x/t.db");
        assert_eq!(store_url("/tmp/t.db").unwrap(), "sqlite:///tmp/t.db");
        assert_eq!(store_url("sqlite::memory:").unwrap(), "sqlite::memory:");
        for empty in ["", "  "] {
            let f = store_url(empty).unwrap_err();
            assert_eq!(f.code, tabgov::ExitCode::Usage);
            assert!(f.message.contains("--db is empty"), "{}", f.message);
        }
        for pg in ["postgres://u@db.example.com/tabgov", "PostgreSQL://u@db/t"] {
            assert_eq!(store_url(pg).unwrap(), pg);
        }
        let f = store_url("mysql://db/t").unwrap_err();
        assert!(f.message.contains("mysql://"), "{}", f.message);
    }

    #[test]
    fn the_sqlite_scheme_is_matched_whatever_its_case() {
        for (url, lower) in [
            ("SQLite:///tmp/t.db", "sqlite:///tmp/t.db"),
            ("SQLITE::memory:", "sqlite::memory:"),
            ("Sqlite://t.db", "sqlite://t.db"),
        ] {
            assert_eq!(store_url(url).unwrap(), lower);
        }
    }
}
