//! A site's listings gathered into one snapshot, to diff against the store.

use tabgov_mapping::{Accounts, GroupId, Memberships, OwnedItem, SiteSnapshot, UserId};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use super::list::{list_site, ListingPart};
use super::task::OwnTask;
use crate::transport::Transport;
use crate::Result;

/// A complete listing of a site.
#[derive(Debug, Default)]
pub struct SiteListing {
    /// Accounts, groups, memberships and owned-content counts.
    pub snapshot: SiteSnapshot,
    /// Every content item with an owner on the site.
    pub owned: Vec<OwnedItem>,
    /// Memberships and items that named a user the user listing did not
    /// return (the site changed while it was read); left out.
    pub dangling: u64,
}

/// Lists everything a sync stores, or fails as a whole.
pub async fn collect_site(transport: &Transport) -> Result<SiteListing> {
    let (parts, received) = unbounded_channel();
    let collecting = OwnTask::spawn(collect(received));
    list_site(transport, parts).await?;
    collecting.join().await
}

/// Gathers every part until the channel closes. Each group's member ids
/// are numbered and dropped as soon as the users are in, rather than all
/// 400k of a large site held as strings until the end.
pub(super) async fn collect(mut parts: UnboundedReceiver<ListingPart>) -> SiteListing {
    let mut listing = SiteListing::default();
    let mut users_in = false;
    let mut early_members = Vec::new();
    let mut owned = Vec::new();
    while let Some(part) = parts.recv().await {
        match part {
            ListingPart::Users(accounts) => {
                let snapshot = &mut listing.snapshot;
                snapshot.accounts = Accounts::from_vec(accounts);
                snapshot.memberships = Memberships::with_users(snapshot.accounts.keys());
                users_in = true;
                for (group_id, user_ids) in std::mem::take(&mut early_members) {
                    listing.add_members(group_id, user_ids);
                }
            }
            ListingPart::Groups(groups) => {
                listing.snapshot.groups = groups.into_iter().map(|g| (g.id.clone(), g)).collect();
            }
            ListingPart::Members { group_id, user_ids } if users_in => {
                listing.add_members(group_id, user_ids)
            }
            ListingPart::Members { group_id, user_ids } => early_members.push((group_id, user_ids)),
            ListingPart::Owned(items) => owned.extend(items),
        }
    }
    let offered = owned.len();
    listing.owned = owned
        .into_iter()
        .filter(|item| {
            listing
                .snapshot
                .accounts
                .contains_key(item.owner_id.as_str())
        })
        .collect();
    listing.dangling += (offered - listing.owned.len()) as u64;
    listing.snapshot.owned = OwnedItem::count_by_owner(&listing.owned);
    listing
}

impl SiteListing {
    /// Sets one group's members; members that are not among the users are
    /// counted as dangling and left out.
    fn add_members(&mut self, group_id: GroupId, user_ids: Vec<UserId>) {
        self.dangling += self
            .snapshot
            .memberships
            .set_known_members(group_id, user_ids) as u64;
    }
}
