//! A site's listings gathered into one snapshot, to diff against the store.

use tabgov_mapping::{Account, Group, SiteSnapshot};
use tabgov_state::OwnedItem;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use super::fetch::{list_site, ListingPart};
use crate::transport::Transport;
use crate::Result;

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
    let (parts, received) = unbounded_channel();
    let (listed, listing) = tokio::join!(list_site(transport, parts), collect(received));
    listed.map(|()| listing)
}

/// Gathers every part until the channel closes.
pub async fn collect(mut parts: UnboundedReceiver<ListingPart>) -> SiteListing {
    let mut accounts = Vec::new();
    let mut groups = Vec::new();
    let mut members = Vec::new();
    let mut owned = Vec::new();
    while let Some(part) = parts.recv().await {
        match part {
            ListingPart::Users(all) => accounts = all,
            ListingPart::Groups(all) => groups = all,
            ListingPart::Members { group_id, user_ids } => members.push((group_id, user_ids)),
            ListingPart::Owned(items) => owned.extend(items),
        }
    }
    into_listing(accounts, groups, members, owned)
}

/// Builds the listing from complete listings, each group's members in
/// bulk. Members that are not among the users are counted as dangling and
/// left out.
fn into_listing(
    accounts: Vec<Account>,
    groups: Vec<Group>,
    members: Vec<(String, Vec<String>)>,
    owned: Vec<OwnedItem>,
) -> SiteListing {
    let mut listing = SiteListing::default();
    listing.snapshot.accounts = accounts.into_iter().map(|a| (a.id.clone(), a)).collect();
    listing.snapshot.groups = groups.into_iter().map(|g| (g.id.clone(), g)).collect();
    for (group_id, mut user_ids) in members {
        let listed = user_ids.len();
        user_ids.retain(|id| listing.snapshot.accounts.contains_key(id));
        listing.dangling += (listed - user_ids.len()) as u64;
        listing.snapshot.memberships.set_group(group_id, user_ids);
    }
    let known = owned.len();
    listing.owned = owned
        .into_iter()
        .filter(|item| listing.snapshot.accounts.contains_key(&item.owner_id))
        .collect();
    listing.dangling += (known - listing.owned.len()) as u64;
    listing.snapshot.owned = OwnedItem::count_by_owner(&listing.owned);
    listing
}
