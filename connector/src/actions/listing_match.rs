//! Matching the users an action names against a complete user listing,
//! the same way the per-user look-ups against Tableau would: pure, so the
//! rules are tested without a server.

use tabgov_mapping::Account;

#[cfg(doc)]
use super::resolve::Resolver;

/// True for Tableau's LUIDs (hyphenated UUIDs).
pub fn looks_like_luid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// False when `value` would change a `filter=` expression (Tableau's filter
/// values cannot hold `,` or `&`).
pub fn name_filterable(value: &str) -> bool {
    !value.is_empty() && !value.contains([',', '&'])
}

/// How a query matched a complete user listing.
#[derive(Debug, PartialEq, Eq)]
pub enum ListingMatch<'a> {
    None,
    One(&'a Account),
    Several(Vec<&'a Account>),
}

/// Matches `query` against every user: an id, then a sign-in name
/// (case-insensitive), then an email. Names are unique only per domain (a
/// Server with several Active Directory domains can have two `jsmith`), so
/// several name matches are ambiguous, never a silent pick.
pub fn match_listing<'a>(users: &'a [Account], query: &str) -> ListingMatch<'a> {
    if let Some(a) = users.iter().find(|a| a.id == query) {
        return ListingMatch::One(a);
    }
    let by_name: Vec<&Account> = users
        .iter()
        .filter(|a| a.name.eq_ignore_ascii_case(query))
        .collect();
    match by_name.len() {
        0 => {}
        1 => return ListingMatch::One(by_name[0]),
        _ => return ListingMatch::Several(by_name),
    }
    let by_email: Vec<&Account> = users
        .iter()
        .filter(|a| {
            a.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(query))
        })
        .collect();
    match by_email.len() {
        0 => ListingMatch::None,
        1 => ListingMatch::One(by_email[0]),
        _ => ListingMatch::Several(by_email),
    }
}

/// What the per-user look-ups of [`Resolver::resolve`] would find for
/// `query`, worked out from a complete listing: the user with this LUID,
/// else the one user whose sign-in name is exactly `query` (what the
/// `name:eq` filter answers), else [`match_listing`]. `luid_not_listed` is
/// true for a LUID no listed user has (Tableau would answer `404002`).
pub fn resolve_in_listing<'a>(users: &'a [Account], query: &str) -> InListing<'a> {
    let luid = looks_like_luid(query);
    if luid {
        if let Some(a) = users.iter().find(|a| a.id == query) {
            return InListing::found(ListingMatch::One(a));
        }
    }
    if name_filterable(query) {
        let mut exact = users.iter().filter(|a| a.name == query);
        if let (Some(one), None) = (exact.next(), exact.next()) {
            return InListing::found(ListingMatch::One(one));
        }
    }
    InListing {
        found: match_listing(users, query),
        luid_not_listed: luid,
    }
}

/// [`resolve_in_listing`]'s answer.
#[derive(Debug, PartialEq, Eq)]
pub struct InListing<'a> {
    pub found: ListingMatch<'a>,
    pub luid_not_listed: bool,
}

impl<'a> InListing<'a> {
    fn found(found: ListingMatch<'a>) -> InListing<'a> {
        InListing {
            found,
            luid_not_listed: false,
        }
    }
}

/// True when listing every user (`users` of them, `page` a page) costs
/// fewer requests than looking up `queries` users one request each.
pub fn listing_is_cheaper(queries: u64, users: u64, page: u64) -> bool {
    users > 0 && queries > users.div_ceil(page.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabgov_mapping::SiteRole;

    fn user(id: &str, name: &str, email: Option<&str>) -> Account {
        Account {
            email: email.map(Into::into),
            ..Account::for_test(id, name, SiteRole::Viewer)
        }
    }

    #[test]
    fn recognises_luids_only() {
        assert!(looks_like_luid("9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"));
        assert!(!looks_like_luid("9f1e2d3c4b5a49788a6b5c4d3e2f1a0b"));
        assert!(!looks_like_luid("alice@example.com"));
        assert!(!looks_like_luid("9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0z"));
    }

    #[test]
    fn filter_values_cannot_hold_commas_or_ampersands() {
        assert!(name_filterable("a.b@x.com"));
        assert!(!name_filterable("Smith, John"));
        assert!(!name_filterable("R&D"));
        assert!(!name_filterable(""));
    }

    #[test]
    fn names_win_over_emails_and_shared_emails_are_ambiguous() {
        let users = vec![
            user("1", "alice", Some("shared@x.com")),
            user("2", "bob", Some("Shared@X.com")),
            user("3", "carol@x.com", Some("c@x.com")),
            user("4", "dave", Some("carol@x.com")),
        ];
        assert_eq!(match_listing(&users, "ALICE"), ListingMatch::One(&users[0]));
        assert_eq!(match_listing(&users, "2"), ListingMatch::One(&users[1]));
        assert_eq!(
            match_listing(&users, "C@x.com"),
            ListingMatch::One(&users[2])
        );
        assert_eq!(
            match_listing(&users, "carol@x.com"),
            ListingMatch::One(&users[2])
        );
        assert_eq!(
            match_listing(&users, "shared@x.com"),
            ListingMatch::Several(vec![&users[0], &users[1]])
        );
        assert_eq!(match_listing(&users, "nobody"), ListingMatch::None);
    }

    #[test]
    fn one_name_in_two_domains_is_ambiguous() {
        let mut other_domain = user("2", "JSmith", None);
        other_domain.domain = Some("emea.example.com".into());
        let users = vec![user("1", "jsmith", None), other_domain];
        assert_eq!(
            match_listing(&users, "jsmith"),
            ListingMatch::Several(vec![&users[0], &users[1]])
        );
        assert_eq!(match_listing(&users, "1"), ListingMatch::One(&users[0]));
    }

    #[test]
    fn a_listing_answers_what_the_per_user_lookups_would() {
        let luid = "9f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
        let gone = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
        let users = vec![
            user(luid, "alice", Some("a@x.com")),
            user("2", "JSmith", None),
            user("3", "jsmith", None),
            user("4", "Smith, John", Some("john@x.com")),
        ];
        let found = |q| resolve_in_listing(&users, q);
        assert_eq!(found(luid), InListing::found(ListingMatch::One(&users[0])));
        // name:eq compares exactly: one exact match wins over a case twin.
        assert_eq!(
            found("jsmith"),
            InListing::found(ListingMatch::One(&users[2]))
        );
        assert_eq!(
            found("JSMITH").found,
            ListingMatch::Several(vec![&users[1], &users[2]])
        );
        // A value no filter can carry is matched by the listing rules alone.
        assert_eq!(found("smith, john").found, ListingMatch::One(&users[3]));
        assert_eq!(found("A@X.com").found, ListingMatch::One(&users[0]));
        assert_eq!(
            found(gone),
            InListing {
                found: ListingMatch::None,
                luid_not_listed: true
            }
        );
        assert_eq!(found("nobody").found, ListingMatch::None);
        assert!(!found("nobody").luid_not_listed);
    }

    #[test]
    fn a_listing_is_used_when_it_has_fewer_pages_than_users_asked_for() {
        assert!(!listing_is_cheaper(1, 10, 1000));
        assert!(listing_is_cheaper(2, 10, 1000));
        assert!(!listing_is_cheaper(20, 20_000, 1000));
        assert!(listing_is_cheaper(21, 20_000, 1000));
        assert!(!listing_is_cheaper(500, 0, 1000));
    }
}
