//! Store URLs as they may be shown: a PostgreSQL URL can carry a password,
//! which must never reach a message, a log or a report.

/// `url` with any password replaced by `***`, in the user part or as a
/// `password=` query parameter (both are PostgreSQL's); URLs without one,
/// and SQLite's, unchanged.
pub fn redacted(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    let in_query = parsed
        .query_pairs()
        .any(|(key, _)| key.eq_ignore_ascii_case("password"));
    if parsed.password().is_none() && !in_query {
        return url.to_owned();
    }
    if parsed.password().is_some() {
        // Only fails for URLs that cannot have a password at all.
        let _ = parsed.set_password(Some("***"));
    }
    if in_query {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(key, value)| {
                let value = if key.eq_ignore_ascii_case("password") {
                    "***".to_owned()
                } else {
                    value.into_owned()
                };
                (key.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
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
        assert_eq!(
            redacted("postgres://tabgov@db/gov?sslmode=require&password=s3cret"),
            "postgres://tabgov@db/gov?sslmode=require&password=***"
        );
        assert_eq!(redacted("sqlite://tabgov.db"), "sqlite://tabgov.db");
        assert_eq!(redacted("not a url"), "not a url");
    }
}
