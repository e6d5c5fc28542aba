//! Reads one whole site from Tableau: users, groups, the members of every
//! group but "All Users", and the owners of every content item. All
//! listings run at once; the transport bounds what is in flight.

use futures::{stream, StreamExt, TryStreamExt};
use tabgov_mapping::{Account, ContentKind, Group, Membership, SiteSnapshot};
use tabgov_state::{sort_memberships, OwnedItem};

use crate::api::content::{self, ContentItem};
use crate::api::{groups, users};
use crate::listing::fetch_all;
use crate::transport::Transport;
use crate::Result;

/// Group member listings started at once; the transport's limit still holds.
const GROUPS_IN_FLIGHT: usize = 32;

/// A complete listing of a site.
#[derive(Debug, Default)]
pub struct SiteListing {
    pub snapshot: SiteSnapshot,
    /// Every content item with an owner on the site.
    pub owned: Vec<OwnedItem>,
    /// Memberships and items that named a user the user listing did not
    /// return (the site changed while it was read); left out.
    pub dangling: u64,
}

/// Lists everything a sync stores, or fails as a whole.
pub async fn fetch_site(transport: &Transport) -> Result<SiteListing> {
    let site = transport.site_id();
    let users = fetch_all(
        transport,
        "users",
        |p| users::list_users(&site, p),
        users::decode_users,
        |a| a.id.as_str(),
    );
    let groups_and_members = async {
        let groups = fetch_all(
            transport,
            "groups",
            |p| groups::list_groups(&site, p),
            groups::decode_groups,
            |g| g.id.as_str(),
        )
        .await?;
        let members: Vec<(String, Vec<String>)> =
            stream::iter(groups.iter().filter(|g| !g.is_all_users()))
                .map(|g| {
                    let site = &site;
                    async move {
                        let ids = fetch_all(
                            transport,
                            &format!("members of group {}", g.name),
                            |p| groups::group_members(site, &g.id, p),
                            groups::decode_member_ids,
                            |id| id.as_str(),
                        )
                        .await?;
                        Ok::<_, crate::Error>((g.id.clone(), ids))
                    }
                })
                .buffer_unordered(GROUPS_IN_FLIGHT)
                .try_collect()
                .await?;
        Ok::<_, crate::Error>((groups, members))
    };
    let owned = stream::iter(ContentKind::ALL)
        .map(|kind| {
            let site = &site;
            async move {
                fetch_all(
                    transport,
                    &format!("{kind}s"),
                    |p| content::list_content(site, kind, p),
                    |body| content::decode_content(kind, body),
                    |item| item.id.as_str(),
                )
                .await
            }
        })
        .buffer_unordered(ContentKind::ALL.len())
        .try_collect::<Vec<_>>();

    let (accounts, (groups, members), content) =
        tokio::try_join!(users, groups_and_members, owned)?;
    Ok(into_listing(accounts, groups, members, content))
}

/// Builds the listing from complete listings. The maps are built in bulk
/// from sorted vectors and member ids are moved, not copied: inserting
/// 400k memberships one by one, each with two new strings, took about a
/// second of a 100k-user sync. Members that are not among the users are
/// counted as dangling and left out.
fn into_listing(
    accounts: Vec<Account>,
    groups: Vec<Group>,
    members: Vec<(String, Vec<String>)>,
    content: Vec<Vec<ContentItem>>,
) -> SiteListing {
    let mut listing = SiteListing::default();
    listing.snapshot.accounts = accounts.into_iter().map(|a| (a.id.clone(), a)).collect();
    listing.snapshot.groups = groups.into_iter().map(|g| (g.id.clone(), g)).collect();
    let mut memberships = Vec::with_capacity(members.iter().map(|(_, ids)| ids.len()).sum());
    for (group_id, user_ids) in members {
        memberships.extend(user_ids.into_iter().map(|user_id| Membership {
            user_id,
            group_id: group_id.clone(),
        }));
    }
    let memberships = sort_memberships(&listing.snapshot.accounts, memberships);
    listing.dangling += memberships.unknown.len() as u64;
    listing.snapshot.memberships = memberships.known.into_iter().collect();
    for item in content.into_iter().flatten() {
        match item.into_owned_item() {
            Some(owned) if listing.snapshot.accounts.contains_key(&owned.owner_id) => {
                listing.owned.push(owned)
            }
            Some(_) => listing.dangling += 1,
            None => {}
        }
    }
    listing.snapshot.owned = OwnedItem::count_by_owner(&listing.owned);
    listing
}
