//! Store URLs as they may be shown: a PostgreSQL URL can carry a password,
//! which must never reach a message, a log or a report.

/// `url` with any password replaced by `***`; URLs without one, and
/// SQLite's, unchanged.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Only fails for URLs that cannot have a password at all.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_and_nothing_else_changes() {
        assert_eq!(
            redacted("postgres://tabgov:s3cret@db.example.com:5432/gov"),
            "postgres://tabgov:***@db.example.com:5432/gov"
        );
        assert_eq!(
            redacted("postgres://tabgov@db.example.com/gov"),
            "postgres://tabgov@db.example.com/gov"
        );
        assert_eq!(redacted("sqlite://tabgov.db"), "sqlite://tabgov.db");
        assert_eq!(redacted("not a url"), "not a url");
    }
}
