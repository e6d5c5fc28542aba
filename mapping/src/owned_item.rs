//! One owned content item: the one type the listings, the store and the
//! removal inventory share, so an item is described once.

use std::collections::{BTreeMap, HashMap};

use crate::{ContentId, ContentKind, OwnedContent, UserId};

/// One content item and its owner. Tableau's listings may name no owner;
/// such an entry never becomes an `OwnedItem` (it cannot block a removal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedItem {
    /// Tableau's LUID of the item.
    pub id: ContentId,
    pub kind: ContentKind,
    /// The item's name (a data alert's subject); some items have none.
    pub name: Option<String>,
    /// The owner's user LUID.
    pub owner_id: UserId,
}

impl OwnedItem {
    /// The item for people: `kind:name` (the id when it has no name).
    pub fn label(&self) -> String {
        format!(
            "{}:{}",
            self.kind,
            self.name.as_deref().unwrap_or(self.id.as_str())
        )
    }

    /// Counts per owner and kind, each item once (by kind and id; a later
    /// duplicate wins): what `SiteSnapshot::owned` holds for these items.
    pub fn count_by_owner(items: &[OwnedItem]) -> BTreeMap<UserId, OwnedContent> {
        let mut owned: BTreeMap<UserId, OwnedContent> = BTreeMap::new();
        for item in OwnedItem::dedup(items).into_values() {
            owned
                .entry(item.owner_id.clone())
                .or_default()
                .add(item.kind);
        }
        owned
    }

    /// Items by (kind, id); a later duplicate wins. A listing read
    /// concurrently may return an item twice; it is one item.
    pub fn dedup(items: &[OwnedItem]) -> HashMap<(ContentKind, &str), &OwnedItem> {
        items.iter().map(|i| ((i.kind, i.id.as_str()), i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: ContentKind, id: &str, name: Option<&str>, owner: &str) -> OwnedItem {
        OwnedItem {
            id: id.into(),
            kind,
            name: name.map(Into::into),
            owner_id: owner.into(),
        }
    }

    #[test]
    fn labels_by_name_or_id() {
        assert_eq!(
            item(ContentKind::Workbook, "w", Some("Sales"), "u").label(),
            "workbook:Sales"
        );
        assert_eq!(
            item(ContentKind::Datasource, "d1", None, "u").label(),
            "datasource:d1"
        );
    }

    #[test]
    fn counts_each_item_once_per_owner() {
        let items = [
            item(ContentKind::Workbook, "w", None, "a"),
            item(ContentKind::Workbook, "w", None, "b"),
            item(ContentKind::Flow, "f", None, "a"),
        ];
        let owned = OwnedItem::count_by_owner(&items);
        assert_eq!(owned["a"].flows, 1);
        assert_eq!(owned["a"].workbooks, 0, "the later duplicate wins");
        assert_eq!(owned["b"].workbooks, 1);
    }
}
