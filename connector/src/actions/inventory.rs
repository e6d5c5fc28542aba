//! What a user owns, read from Tableau before a removal: workbooks and
//! flows from the user's own listings, data sources, projects, custom
//! views and data alerts from the site's listings (Tableau has no per-user
//! listing for those). The site listings are fetched once per batch. Every
//! item counts only when its `<owner id>` is the user: a server that
//! ignores `ownedBy`/`isOwner` must not make others' content theirs. Views
//! are not listed: a view belongs to its workbook's owner.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use tabgov_mapping::{ContentKind, OwnedContent, OwnedItem, SiteLuid, UserId};

use crate::api::content::{self, ListedItem};
use crate::api::users;
use crate::listing::fetch_all;
use crate::transport::Transport;
use crate::Result;

/// Kinds read from the site's listings rather than from the user's own.
const SITE_LISTED: [ContentKind; 4] = [
    ContentKind::Datasource,
    ContentKind::Project,
    ContentKind::CustomView,
    ContentKind::DataAlert,
];

/// Names shown per kind before "and N more".
const NAMES_SHOWN: usize = 5;

/// The content one user owns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub items: Vec<OwnedItem>,
}

impl Inventory {
    /// Items per kind.
    pub fn counts(&self) -> OwnedContent {
        let mut owned = OwnedContent::default();
        for item in &self.items {
            owned.add(item.kind);
        }
        owned
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Each item as `kind:name` (the id when it has no name), sorted.
    pub fn labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self.items.iter().map(OwnedItem::label).collect();
        labels.sort();
        labels
    }

    /// One line for people: `2 workbooks (Sales, Ops), 1 datasource (Orders)`.
    pub fn describe(&self) -> String {
        if self.items.is_empty() {
            return "no content".to_owned();
        }
        let mut by_kind: BTreeMap<ContentKind, Vec<&str>> = BTreeMap::new();
        for item in &self.items {
            by_kind
                .entry(item.kind)
                .or_default()
                .push(item.name.as_deref().unwrap_or(item.id.as_str()));
        }
        by_kind
            .into_iter()
            .map(|(kind, mut names)| {
                names.sort_unstable();
                let count = names.len();
                let plural = if count == 1 { "" } else { "s" };
                let mut shown = names
                    .iter()
                    .take(NAMES_SHOWN)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                if count > NAMES_SHOWN {
                    shown.push_str(&format!(" and {} more", count - NAMES_SHOWN));
                }
                format!("{count} {}{plural} ({shown})", kind.label())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Items of this inventory that `heir` does not own: after a transfer,
    /// what did not arrive.
    pub fn missing_from(&self, heir: &Inventory) -> Vec<&OwnedItem> {
        let held: BTreeSet<(ContentKind, &str)> =
            heir.items.iter().map(|i| (i.kind, i.id.as_str())).collect();
        self.items
            .iter()
            .filter(|i| !held.contains(&(i.kind, i.id.as_str())))
            .collect()
    }
}

/// The items of `listed` whose owner is `user_id`.
fn owned_by<'i>(listed: impl Iterator<Item = &'i ListedItem>, user_id: &UserId) -> Vec<OwnedItem> {
    listed
        .filter(|i| i.owner_id.as_deref() == Some(user_id.as_str()))
        .cloned()
        .filter_map(ListedItem::into_owned_item)
        .collect()
}

/// The site-wide listings an inventory needs, fetched once per batch and
/// dropped after a transfer changes owners.
#[derive(Debug, Default)]
pub struct ContentIndex {
    listings: BTreeMap<ContentKind, Vec<ListedItem>>,
}

impl ContentIndex {
    pub fn new() -> ContentIndex {
        ContentIndex::default()
    }

    /// Forgets the site listings (owners changed); the next inventory reads
    /// them again.
    pub fn invalidate(&mut self) {
        self.listings.clear();
    }

    /// Everything `user_id` owns on the site `transport` is signed in to.
    pub async fn inventory(
        &mut self,
        transport: &Transport,
        user_id: &UserId,
    ) -> Result<Inventory> {
        let site = transport.site_id();
        let mut own = fetch_all(
            transport,
            "workbooks owned by the user",
            |p| users::owned_workbooks(site, user_id, p),
            |body| content::decode_content(ContentKind::Workbook, body),
            |i| i.id.as_str(),
        )
        .await?;
        own.extend(
            fetch_all(
                transport,
                "flows owned by the user",
                |p| users::owned_flows(site, user_id, p),
                |body| content::decode_content(ContentKind::Flow, body),
                |i| i.id.as_str(),
            )
            .await?,
        );
        let mut items = owned_by(own.iter(), user_id);
        for kind in SITE_LISTED {
            let listing = self.listing(transport, site, kind).await?;
            items.extend(owned_by(listing.iter(), user_id));
        }
        Ok(Inventory { items })
    }

    async fn listing(
        &mut self,
        transport: &Transport,
        site: &SiteLuid,
        kind: ContentKind,
    ) -> Result<&[ListedItem]> {
        Ok(match self.listings.entry(kind) {
            Entry::Occupied(held) => held.into_mut(),
            Entry::Vacant(slot) => {
                let all = fetch_all(
                    transport,
                    &format!("{kind}s"),
                    |p| content::list_content(site, kind, p),
                    move |body| content::decode_content(kind, body),
                    |i| i.id.as_str(),
                )
                .await?;
                slot.insert(all)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: ContentKind, id: &str, name: Option<&str>) -> OwnedItem {
        OwnedItem {
            kind,
            id: id.into(),
            name: name.map(Into::into),
            owner_id: "u".into(),
        }
    }

    fn listed(kind: ContentKind, id: &str, owner: Option<&str>) -> ListedItem {
        ListedItem {
            kind,
            id: id.into(),
            name: None,
            owner_id: owner.map(Into::into),
        }
    }

    #[test]
    fn describes_counts_and_names_per_kind() {
        let inv = Inventory {
            items: vec![
                item(ContentKind::Workbook, "w2", Some("Sales")),
                item(ContentKind::Datasource, "d1", None),
                item(ContentKind::Workbook, "w1", Some("Ops")),
            ],
        };
        assert_eq!(inv.counts().workbooks, 2);
        assert_eq!(inv.counts().total(), 3);
        assert_eq!(
            inv.describe(),
            "2 workbooks (Ops, Sales), 1 data source (d1)"
        );
        assert_eq!(
            inv.labels(),
            ["datasource:d1", "workbook:Ops", "workbook:Sales"]
        );
        assert_eq!(Inventory::default().describe(), "no content");
    }

    #[test]
    fn only_items_whose_owner_is_the_user_count() {
        let listed = [
            listed(ContentKind::Workbook, "w1", Some("u")),
            listed(ContentKind::Workbook, "w2", Some("someone else")),
            listed(ContentKind::Flow, "f1", None),
        ];
        let ids: Vec<_> = owned_by(listed.iter(), &"u".into())
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(ids, ["w1"]);
    }

    #[test]
    fn long_lists_are_shortened() {
        let items = (0..7)
            .map(|n| item(ContentKind::Flow, &format!("f{n}"), Some(&format!("F{n}"))))
            .collect();
        let text = Inventory { items }.describe();
        assert_eq!(text, "7 flows (F0, F1, F2, F3, F4 and 2 more)");
    }

    #[test]
    fn finds_items_that_did_not_move() {
        let before = Inventory {
            items: vec![
                item(ContentKind::Workbook, "w1", None),
                item(ContentKind::CustomView, "v1", None),
            ],
        };
        let heir = Inventory {
            items: vec![item(ContentKind::Workbook, "w1", None)],
        };
        let missing: Vec<_> = before
            .missing_from(&heir)
            .iter()
            .map(|i| i.id.clone())
            .collect();
        assert_eq!(missing, ["v1"]);
    }
}
