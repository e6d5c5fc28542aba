//! Finding the user an action names, by LUID, sign-in name or email,
//! against Tableau itself: the store may be stale or never synced.
//!
//! A LUID is looked up directly; a name through Tableau's `name:eq` filter.
//! Tableau cannot filter users by email, and a value holding `,` or `&`
//! cannot go into a filter at all, so those (and names the filter missed,
//! since it may compare case-sensitively) fall back to one complete user
//! listing per batch, matched case-insensitively. A batch naming more users
//! than the listing has pages is resolved from that one listing instead of
//! one request per user, with the same answers (see [`resolve_in_listing`]).
//! A user Tableau no longer has is "gone" when tabgov knew them (store or
//! journal), and unknown otherwise.

use std::collections::HashSet;
use tabgov_mapping::{Account, UserId};

use tabgov_state::{JournalAction, JournalFilter};

use super::current::account_now;
pub use super::listing_match::{
    listing_is_cheaper, looks_like_luid, match_listing, name_filterable, resolve_in_listing,
    InListing, ListingMatch,
};
use super::ActionContext;
use crate::api::{users, PageRequest};
use crate::listing::fetch_all;
use crate::Result;

/// A user tabgov can act on or account for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// On the site now.
    Present(Account),
    /// Not on the site any more, but known by this id (a LUID Tableau
    /// answered `404002` for, or a user the store or journal knew).
    Gone { id: UserId, name: Option<String> },
}

impl Resolved {
    /// The user's LUID.
    pub fn id(&self) -> &UserId {
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

    /// Lists the site up front when `queries` (every user and new owner a
    /// batch names) are more than the pages of that listing, going by the
    /// store's count of the site's users: then [`Resolver::resolve`]
    /// answers from the listing instead of asking Tableau once per user. A
    /// site this store has no users of is looked up per user.
    pub async fn prepare<'q>(
        &mut self,
        ctx: &ActionContext<'_>,
        queries: impl IntoIterator<Item = &'q str>,
    ) -> Result<()> {
        let distinct: HashSet<&str> = queries
            .into_iter()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .collect();
        let Some(site) = ctx.site else {
            return Ok(());
        };
        let users = ctx.store.count_site_accounts(site).await?;
        let page = u64::from(
            ctx.transport
                .options()
                .page_size
                .clamp(1, PageRequest::MAX_SIZE),
        );
        if listing_is_cheaper(distinct.len() as u64, users, page) {
            self.everyone(ctx).await?;
        }
        Ok(())
    }

    /// Finds `query` (LUID, sign-in name or email) on the site.
    pub async fn resolve(&mut self, ctx: &ActionContext<'_>, query: &str) -> Result<Resolution> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Resolution::Unknown);
        }
        if let Some(everyone) = &self.everyone {
            let listed = resolve_in_listing(everyone, query);
            let gone_luid = listed.luid_not_listed.then_some(query);
            return match listed.found {
                ListingMatch::One(a) => Ok(Resolution::Found(Resolved::Present(a.clone()))),
                ListingMatch::Several(all) => Ok(Resolution::Ambiguous(
                    all.into_iter().map(|a| a.name.clone()).collect(),
                )),
                ListingMatch::None => not_on_site(ctx, query, gone_luid).await,
            };
        }
        let mut gone_luid = None;
        if looks_like_luid(query) {
            match account_now(ctx, &UserId::from(query)).await? {
                Some(account) => return Ok(Resolution::Found(Resolved::Present(account))),
                None => gone_luid = Some(query),
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
        not_on_site(ctx, query, gone_luid).await
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

/// The answer for a `query` Tableau does not have: gone when tabgov knew
/// the user (or Tableau answered `404002` for the LUID `gone_luid`).
async fn not_on_site(
    ctx: &ActionContext<'_>,
    query: &str,
    gone_luid: Option<&str>,
) -> Result<Resolution> {
    let known = known_to_tabgov(ctx, query).await?;
    Ok(match (gone_luid, known) {
        (_, Some((id, name))) => Resolution::Found(Resolved::Gone { id, name }),
        (Some(id), None) => Resolution::Found(Resolved::Gone {
            id: UserId::from(id),
            name: None,
        }),
        (None, None) => Resolution::Unknown,
    })
}

/// A user the store or the journal knew by this id, name or email: (id, name).
async fn known_to_tabgov(
    ctx: &ActionContext<'_>,
    query: &str,
) -> Result<Option<(UserId, Option<String>)>> {
    let Some(site) = ctx.site else {
        return Ok(None);
    };
    let store = ctx.store;
    if let Some(a) = store.find_accounts(site, query).await?.into_iter().next() {
        return Ok(Some((a.account.id, Some(a.account.name))));
    }
    let filter = JournalFilter {
        site: Some(site),
        action: Some(JournalAction::Deprovision),
        ..JournalFilter::default()
    };
    let journalled = store.journal_list(&filter).await?;
    Ok(journalled
        .into_iter()
        .rev()
        .find(|e| {
            e.intent.target_user_id == query
                || e.intent
                    .target_user_name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(query))
        })
        .map(|e| (e.intent.target_user_id, e.intent.target_user_name)))
}
