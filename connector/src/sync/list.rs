//! Reads one whole site from Tableau: users, groups, the members of every
//! group but "All Users", and the owners of every content item. All
//! listings run at once; the transport bounds what is in flight. Each
//! listing is handed on as soon as it is complete, so a first sync can
//! write it while the others are still being read.

use futures::future::BoxFuture;
use futures::{stream, StreamExt, TryStreamExt};
use tabgov_mapping::{Account, ContentKind, Group, GroupId, OwnedItem, UserId};
use tokio::sync::mpsc::UnboundedSender;

use crate::api::content;
use crate::api::{groups, users};
use crate::listing::fetch_all;
use crate::transport::Transport;
use crate::Result;

/// Group member listings started at once; the transport's limit still holds.
const GROUPS_IN_FLIGHT: usize = 32;

/// One complete listing of a site.
#[derive(Debug)]
pub(super) enum ListingPart {
    /// Every user, with all fields.
    Users(Vec<Account>),
    /// Every group, "All Users" included.
    Groups(Vec<Group>),
    /// The explicit members of one group, as user ids.
    Members {
        group_id: GroupId,
        user_ids: Vec<UserId>,
    },
    /// The items of one content kind that have an owner.
    Owned(Vec<OwnedItem>),
}

/// Lists everything a sync stores, sending each listing to `parts` when it
/// is complete. An error means the listing as a whole failed: what was sent
/// before it is not a complete site. `parts` closes when this returns.
pub(super) async fn list_site(
    transport: &Transport,
    parts: UnboundedSender<ListingPart>,
) -> Result<()> {
    let site = transport.site_id();
    // A closed receiver means the consumer stopped (its own error says
    // why): stop listing rather than fetch pages nobody takes.
    let send = |part| {
        parts
            .send(part)
            .map_err(|_| crate::Error::Internal("the store stopped taking the listing".into()))
    };
    // Each part is boxed as `Send` here, where its lifetimes are concrete:
    // rustc cannot prove the streams' closures' futures `Send` for every
    // lifetime, and the service runs syncs on spawned tasks.
    let users: BoxFuture<'_, Result<()>> = Box::pin(async {
        let accounts = fetch_all(
            transport,
            "users",
            |p| users::list_users(site, p),
            users::decode_users,
            |a| a.id.as_str(),
        )
        .await?;
        send(ListingPart::Users(accounts))
    });
    let groups_and_members: BoxFuture<'_, Result<()>> = Box::pin(async {
        let groups = fetch_all(
            transport,
            "groups",
            |p| groups::list_groups(site, p),
            groups::decode_groups,
            |g| g.id.as_str(),
        )
        .await?;
        send(ListingPart::Groups(groups.clone()))?;
        // Owned groups: a closure over `&Group` held across an await is
        // not provably `Send` (see above).
        let listed: Vec<Group> = groups.into_iter().filter(|g| !g.is_all_users()).collect();
        stream::iter(listed)
            .map(|g| -> BoxFuture<'_, Result<()>> {
                let site = &site;
                Box::pin(async move {
                    let user_ids = fetch_all(
                        transport,
                        &format!("members of group {}", g.name),
                        |p| groups::group_members(site, &g.id, p),
                        groups::decode_member_ids,
                        |id| id.as_str(),
                    )
                    .await?;
                    send(ListingPart::Members {
                        group_id: g.id.clone(),
                        user_ids,
                    })
                })
            })
            .buffer_unordered(GROUPS_IN_FLIGHT)
            .try_collect::<()>()
            .await
    });
    let owned: BoxFuture<'_, Result<()>> = Box::pin(
        stream::iter(ContentKind::SYNCED)
            .map(|kind| -> BoxFuture<'_, Result<()>> {
                let site = &site;
                Box::pin(async move {
                    let items = fetch_all(
                        transport,
                        &format!("{kind}s"),
                        |p| content::list_content(site, kind, p),
                        move |body| content::decode_content(kind, body),
                        |item| item.id.as_str(),
                    )
                    .await?;
                    send(ListingPart::Owned(
                        items
                            .into_iter()
                            .filter_map(content::ListedItem::into_owned_item)
                            .collect(),
                    ))
                })
            })
            .buffer_unordered(ContentKind::SYNCED.len())
            .try_collect::<()>(),
    );

    tokio::try_join!(users, groups_and_members, owned)?;
    Ok(())
}
