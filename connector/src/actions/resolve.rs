//! Finding the user an action names, by LUID, sign-in name or email,
//! against Tableau itself: the store may be stale or never synced.
//!
//! A LUID is looked up directly; a name through Tableau's `name:eq` filter.
//! Tableau cannot filter users by email, and a value holding `,` or `&`
//! cannot go into a filter at all, so those (and names the filter missed,
//! since it may compare case-sensitively) fall back to one complete user
//! listing per batch, matched case-insensitively. A user Tableau no longer
//! has is "gone" when tabgov knew them (store or journal), and unknown
//! otherwise.

use tabgov_mapping::Account;
use tabgov_state::{find_accounts, journal_list, JournalAction, JournalFilter};

use super::ActionContext;
use crate::api::users;
use crate::listing::fetch_all;
use crate::{ErrorCode, Result};

/// A user tabgov can act on or account for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// On the site now.
    Present(Account),
    /// Not on the site any more, but known by this id (a LUID Tableau
    /// answered `404002` for, or a user the store or journal knew).
    Gone { id: String, name: Option<String> },
}

impl Resolved {
    /// The user's LUID.
    pub fn id(&self) -> &str {
        match self {
            Resolved::Present(a) => &a.id,
            Resolved::Gone { id, .. } => id,
        }
    }

    /// The user's sign-in name, when known.
    pub fn name(&self) -> Option<&str> {
        match self {
            Resolved::Present(a) => Some(&a.name),
            Resolved::Gone { name, .. } => name.as_deref(),
        }
    }
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(Resolved),
    /// Neither Tableau nor tabgov knows the user.
    Unknown,
    /// Several users answer to it (an email shared by two accounts); their names.
    Ambiguous(Vec<String>),
}

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

/// Resolves the users of one batch, listing the site at most once.
#[derive(Debug, Default)]
pub struct Resolver {
    everyone: Option<Vec<Account>>,
}

impl Resolver {
    /// A resolver that has not listed the site yet.
    pub fn new() -> Resolver {
        Resolver::default()
    }

    /// Finds `query` (LUID, sign-in name or email) on the site.
    pub async fn resolve(&mut self, ctx: &ActionContext<'_>, query: &str) -> Result<Resolution> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Resolution::Unknown);
        }
        let mut gone_luid = None;
        if looks_like_luid(query) {
            let request = users::get_user(&ctx.site_luid, query);
            match ctx.transport.send(&request).await {
                Ok(body) => {
                    return Ok(Resolution::Found(Resolved::Present(users::decode_user(
                        &body,
                    )?)))
                }
                Err(e) if e.is_tableau(ErrorCode::USER_NOT_FOUND) => gone_luid = Some(query),
                Err(e) => return Err(e),
            }
        }
        if name_filterable(query) {
            let body = ctx
                .transport
                .send(&users::find_user_by_name(&ctx.site_luid, query))
                .await?;
            if let [one] = users::decode_users(&body)?.items.as_slice() {
                return Ok(Resolution::Found(Resolved::Present(one.clone())));
            }
        }
        match match_listing(self.everyone(ctx).await?, query) {
            ListingMatch::One(a) => return Ok(Resolution::Found(Resolved::Present(a.clone()))),
            ListingMatch::Several(all) => {
                return Ok(Resolution::Ambiguous(
                    all.into_iter().map(|a| a.name.clone()).collect(),
                ))
            }
            ListingMatch::None => {}
        }
        let known = known_to_tabgov(ctx, query).await?;
        Ok(match (gone_luid, known) {
            (_, Some((id, name))) => Resolution::Found(Resolved::Gone { id, name }),
            (Some(id), None) => Resolution::Found(Resolved::Gone {
                id: id.to_owned(),
                name: None,
            }),
            (None, None) => Resolution::Unknown,
        })
    }

    /// Every user of the site, fetched on first use.
    async fn everyone(&mut self, ctx: &ActionContext<'_>) -> Result<&[Account]> {
        if self.everyone.is_none() {
            let site = ctx.site_luid.clone();
            let all = fetch_all(
                ctx.transport,
                "users",
                |p| users::list_users(&site, p),
                users::decode_users,
                |a| a.id.as_str(),
            )
            .await?;
            self.everyone = Some(all);
        }
        Ok(self.everyone.as_deref().unwrap_or_default())
    }
}

/// A user the store or the journal knew by this id, name or email: (id, name).
async fn known_to_tabgov(
    ctx: &ActionContext<'_>,
    query: &str,
) -> Result<Option<(String, Option<String>)>> {
    let Some(site) = ctx.site else {
        return Ok(None);
    };
    let pool = ctx.store.pool();
    if let Some(a) = find_accounts(pool, site, query).await?.into_iter().next() {
        return Ok(Some((a.id, Some(a.name))));
    }
    let filter = JournalFilter {
        site: Some(site),
        action: Some(JournalAction::Deprovision),
        ..JournalFilter::default()
    };
    let journalled = journal_list(pool, &filter).await?;
    Ok(journalled
        .into_iter()
        .rev()
        .find(|e| {
            e.target_user_id == query
                || e.target_user_name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(query))
        })
        .map(|e| (e.target_user_id, e.target_user_name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabgov_mapping::SiteRole;

    fn user(id: &str, name: &str, email: Option<&str>) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            email: email.map(Into::into),
            full_name: None,
            site_role: SiteRole::Viewer,
            last_login: None,
            auth_setting: None,
            domain: None,
            identity: Default::default(),
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
}
