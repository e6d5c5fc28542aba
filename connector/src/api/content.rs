//! Content listings and ownership changes: who owns what decides whether
//! Tableau lets a user be removed.

use tabgov_mapping::{ContentKind, OwnedItem, SiteLuid};

use super::page::{Page, PageRequest};
use super::request::ApiRequest;
use super::scan::Attrs;
use super::stream::{self, ItemReader};
#[cfg(test)]
use super::tree::{decode_list, Element};
use super::xml::AttrSource;
use crate::Result;

/// One entry of a content listing as Tableau sends it: the wire type. Its
/// owner may be missing, and paging counts such an entry all the same, so
/// a listing is decoded into these and each entry becomes the domain
/// [`OwnedItem`] with [`ListedItem::into_owned_item`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedItem {
    pub kind: ContentKind,
    pub id: String,
    pub name: Option<String>,
    /// The owner's user LUID, from the child `<owner id>`.
    pub owner_id: Option<String>,
}

impl ListedItem {
    /// The domain item; `None` when Tableau named no owner, since an item
    /// without an owner cannot block a removal.
    pub fn into_owned_item(self) -> Option<OwnedItem> {
        let owner_id = self.owner_id?;
        Some(OwnedItem {
            id: self.id.into(),
            kind: self.kind,
            name: self.name,
            owner_id: owner_id.into(),
        })
    }
}

/// The path segment of `kind`'s listing (Tableau spells custom views in
/// lower case, data alerts in camel case).
fn path_segment(kind: ContentKind) -> &'static str {
    match kind {
        ContentKind::CustomView => "customviews",
        other => list_element(other),
    }
}

/// The list element of `kind`'s listing.
fn list_element(kind: ContentKind) -> &'static str {
    match kind {
        ContentKind::Project => "projects",
        ContentKind::Workbook => "workbooks",
        ContentKind::Datasource => "datasources",
        ContentKind::Flow => "flows",
        ContentKind::CustomView => "customViews",
        ContentKind::DataAlert => "dataAlerts",
    }
}

/// The attribute naming an item: a data alert has a subject instead.
fn name_attribute(kind: ContentKind) -> &'static str {
    match kind {
        ContentKind::DataAlert => "subject",
        _ => "name",
    }
}

/// `GET sites/{site}/{workbooks|datasources|flows|projects|customviews|dataAlerts}`,
/// one page.
pub fn list_content(site_id: &SiteLuid, kind: ContentKind, page: PageRequest) -> ApiRequest {
    ApiRequest::get(format!("sites/{site_id}/{}", path_segment(kind)))
        .query("pageSize", page.size.to_string())
        .query("pageNumber", page.number.to_string())
}

/// Decodes an item from the attributes of its element (`path` names it in
/// errors); the owner, from a child, is left out.
fn item_attrs(kind: ContentKind, el: &impl AttrSource, path: &str) -> Result<ListedItem> {
    Ok(ListedItem {
        kind,
        id: el.required(path, "id")?.to_owned(),
        name: el.opt_attr(name_attribute(kind)),
        owner_id: None,
    })
}

/// The owner's id from the item's first `<owner>`, which must have one.
fn owner_id(owner: &impl AttrSource, path: &str) -> Result<String> {
    owner
        .required(&format!("{path}/owner"), "id")
        .map(str::to_owned)
}

/// Puts an item together; a bad owner is reported before the item's own
/// errors.
fn with_owner(item: Result<ListedItem>, owner: Option<Result<String>>) -> Result<ListedItem> {
    let owner_id = owner.transpose()?;
    let mut item = item?;
    item.owner_id = owner_id;
    Ok(item)
}

/// Decodes one item element; `path` names it in errors.
#[cfg(test)]
fn item(kind: ContentKind, el: &Element, path: &str) -> Result<ListedItem> {
    let owner = el.child("owner").map(|owner| owner_id(owner, path));
    with_owner(item_attrs(kind, el, path), owner)
}

/// Reads the items of a content listing from events, as `item` reads an
/// element: the item from its own attributes, then its first `<owner>`.
struct Items(ContentKind);

impl ItemReader for Items {
    type Item = ListedItem;
    type Open = (Result<ListedItem>, Option<Result<String>>);

    fn open(&self, attrs: &Attrs<'_>, path: &str) -> Result<Self::Open> {
        let names = ["id", name_attribute(self.0)];
        let item = item_attrs(self.0, &attrs.values(names)?, path);
        Ok((item, None))
    }

    fn child(
        &self,
        item: &mut Self::Open,
        name: &str,
        attrs: &Attrs<'_>,
        path: &str,
    ) -> Result<()> {
        if name == "owner" && item.1.is_none() {
            item.1 = Some(owner_id(&attrs.values(["id"])?, path));
        }
        Ok(())
    }

    fn close(&self, item: Self::Open) -> Result<ListedItem> {
        with_owner(item.0, item.1)
    }
}

/// Decodes a page of content of `kind` (also the answers of
/// `users::owned_workbooks` and `users::owned_flows`). Only direct
/// children of the list element count: a custom view holds a
/// `<workbook id>` and a workbook may hold `<views>`, and neither is an
/// item. A data alert's first `<owner>` is its owner (its recipients are
/// `<recipient>`s).
pub fn decode_content(kind: ContentKind, body: &[u8]) -> Result<Page<ListedItem>> {
    stream::decode_list(body, list_element(kind), kind.as_str(), &Items(kind))
}

/// [`decode_content`] through the tree, the reference it is tested against.
#[cfg(test)]
pub(super) fn decode_content_tree(kind: ContentKind, body: &[u8]) -> Result<Page<ListedItem>> {
    decode_list(body, list_element(kind), kind.as_str(), |el, path| {
        item(kind, el, path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    #[test]
    fn builds_requests_for_every_kind() {
        let page = PageRequest::new(1, 100);
        for (kind, plural) in [
            (ContentKind::Project, "projects"),
            (ContentKind::Workbook, "workbooks"),
            (ContentKind::Datasource, "datasources"),
            (ContentKind::Flow, "flows"),
            (ContentKind::CustomView, "customviews"),
            (ContentKind::DataAlert, "dataAlerts"),
        ] {
            let r = list_content(&SiteLuid::new("s"), kind, page);
            assert_eq!(
                (r.method, r.path.clone()),
                (Method::Get, format!("sites/s/{plural}"))
            );
            assert_eq!(
                r.query,
                vec![
                    ("pageSize".to_owned(), "100".to_owned()),
                    ("pageNumber".to_owned(), "1".to_owned())
                ]
            );
        }
    }

    #[test]
    fn counts_only_direct_children_and_reads_owners() {
        let body = br#"<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="2"/><workbooks>
            <workbook id="w1" name="One"><owner id="o1"/><views><view id="v1"/></views><workbook id="nested"/></workbook>
            <workbook id="w2"/>
            <view id="stray"/>
        </workbooks></tsResponse>"#;
        let page = decode_content(ContentKind::Workbook, body).unwrap();
        let ids: Vec<_> = page.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["w1", "w2"]);
        assert_eq!(page.items[0].owner_id.as_deref(), Some("o1"));
        assert_eq!(page.items[1].owner_id, None);
        assert_eq!(page.items[1].name, None);
        let owned = page.items[0].clone().into_owned_item().unwrap();
        assert_eq!(
            owned,
            OwnedItem {
                id: "w1".into(),
                kind: ContentKind::Workbook,
                name: Some("One".into()),
                owner_id: "o1".into()
            }
        );
        assert_eq!(page.items[1].clone().into_owned_item(), None);
        let e = decode_content(ContentKind::Flow, body)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing element flows"), "{e}");
    }

    #[test]
    fn reads_custom_views_and_data_alerts_with_their_owners() {
        let views = br#"<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="1"/><customViews>
            <customView id="cv" name="Mine" shared="false"><workbook id="w"/><owner id="o1"/><view id="v"/></customView>
        </customViews></tsResponse>"#;
        let page = decode_content(ContentKind::CustomView, views).unwrap();
        assert_eq!(
            (page.items[0].id.as_str(), page.items[0].name.as_deref()),
            ("cv", Some("Mine"))
        );
        assert_eq!(page.items[0].owner_id.as_deref(), Some("o1"));
        let alerts = br#"<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="1"/><dataAlerts>
            <dataAlert id="a" subject="Low stock" creatorId="c" frequency="Daily" public="true"><owner id="o2" name="Bob"/>
            <view id="v" name="V"><workbook id="w" name="W"/></view><recipients><recipient id="r"/></recipients></dataAlert>
        </dataAlerts></tsResponse>"#;
        let page = decode_content(ContentKind::DataAlert, alerts).unwrap();
        assert_eq!(
            (page.items[0].id.as_str(), page.items[0].name.as_deref()),
            ("a", Some("Low stock"))
        );
        assert_eq!(page.items[0].owner_id.as_deref(), Some("o2"));
        assert_eq!(
            decode_content_tree(ContentKind::DataAlert, alerts).unwrap(),
            page
        );
    }

    #[test]
    fn an_owner_without_id_is_an_error() {
        let body = br#"<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="1"/><flows><flow id="f"><owner/></flow></flows></tsResponse>"#;
        let e = decode_content(ContentKind::Flow, body)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("tsResponse/flows/flow/owner: missing attribute id"),
            "{e}"
        );
    }
}
