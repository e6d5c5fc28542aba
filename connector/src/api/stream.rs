//! List pages decoded straight from the XML events, with no `Element`
//! tree: the users, group-member, group and content listings that a sync
//! reads by the thousand. Building the tree of a full page (every element,
//! attribute name and value allocated) cost more than everything else in
//! decoding it.
//!
//! [`decode_list`] reads exactly as `tree::decode_list` does with the same
//! item conversion: the same page, and for a body it refuses the same
//! error, found in the same order: malformed XML anywhere, then the root,
//! the first `<pagination>`, the first list element, and the first of its
//! items that fails.

use super::page::{Page, PageRequest};
use super::scan::{scan, Attrs, Visitor};
use super::xml::{check_root, missing_element, pagination, PAGINATION};
use crate::{Error, Result};

/// Reads one kind of list item from the events of its element, as its tree
/// conversion reads it from an `Element`.
pub(super) trait ItemReader {
    type Item;

    /// What is known of an item while it is open: typically the item as
    /// decoded from its own attributes (or the error that gives), and which
    /// of its children have been seen.
    type Open;

    /// The item's start tag; `path` names the item in errors. An error
    /// returned here is a malformed attribute and ends the decoding; the
    /// item's own errors wait in `Open` for [`ItemReader::close`].
    fn open(&self, attrs: &Attrs<'_>, path: &str) -> Result<Self::Open>;

    /// A direct child of the item opened. An error returned is a malformed
    /// attribute, as for [`ItemReader::open`].
    fn child(&self, item: &mut Self::Open, name: &str, attrs: &Attrs<'_>, path: &str)
        -> Result<()>;

    /// Text directly inside the item's first direct child called `name`,
    /// in the pieces it arrives in. Only single elements (`stream_one`)
    /// report it: no list item needs text.
    fn child_text(&self, _item: &mut Self::Open, _name: &str, _text: &str) {}

    /// The item closed: the item, or the error its tree conversion gives.
    fn close(&self, item: Self::Open) -> Result<Self::Item>;
}

/// The list element (`<users>`): only the first one counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    NotSeen,
    Open,
    Closed,
}

/// Follows a scan of a list response. Depth 1 holds the pagination and the
/// list element, depth 2 the items, depth 3 their children.
struct ListVisitor<'l, R: ItemReader> {
    reader: &'l R,
    list_name: &'l str,
    item_name: &'l str,
    item_path: String,
    /// The page of the first `<pagination>` (no items yet), or its error.
    page: Option<Result<Page<R::Item>>>,
    list: List,
    current: Option<R::Open>,
    items: Vec<R::Item>,
    /// The error of the first item that failed; later items are skipped.
    failed: Option<Error>,
}

impl<R: ItemReader> Visitor for ListVisitor<'_, R> {
    fn open(&mut self, depth: usize, name: &str, attrs: &Attrs<'_>) -> Result<()> {
        match depth {
            1 => {
                if name == "pagination" && self.page.is_none() {
                    let page = pagination(&attrs.values(PAGINATION)?);
                    if let Ok(page) = &page {
                        // Bounded: a page never holds more than Tableau serves.
                        let size = page.size.min(PageRequest::MAX_SIZE);
                        self.items.reserve(size as usize);
                    }
                    self.page = Some(page);
                }
                if name == self.list_name && self.list == List::NotSeen {
                    self.list = List::Open;
                }
            }
            2 if self.list == List::Open && name == self.item_name && self.failed.is_none() => {
                self.current = Some(self.reader.open(attrs, &self.item_path)?);
            }
            3 => {
                if let Some(item) = &mut self.current {
                    self.reader.child(item, name, attrs, &self.item_path)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, depth: usize) {
        match depth {
            // Only the list element can be open at depth 1 while it is.
            1 if self.list == List::Open => self.list = List::Closed,
            2 => {
                if let Some(item) = self.current.take() {
                    match self.reader.close(item) {
                        Ok(item) => self.items.push(item),
                        Err(e) => self.failed = Some(e),
                    }
                }
            }
            _ => {}
        }
    }
}

/// Reads a list response: the required `<pagination>` and the required
/// list element `list` (e.g. `users`), whose direct children called `item`
/// are read by `reader` with the error path `tsResponse/{list}/{item}`.
pub(super) fn decode_list<R: ItemReader>(
    body: &[u8],
    list: &str,
    item: &str,
    reader: &R,
) -> Result<Page<R::Item>> {
    let mut visitor = ListVisitor {
        reader,
        list_name: list,
        item_name: item,
        item_path: format!("tsResponse/{list}/{item}"),
        page: None,
        list: List::NotSeen,
        current: None,
        items: Vec::new(),
        failed: None,
    };
    let root = scan(body, &mut visitor)?;
    check_root(&root)?;
    let mut page = visitor
        .page
        .unwrap_or_else(|| Err(missing_element("tsResponse", "pagination")))?;
    if visitor.list == List::NotSeen {
        return Err(missing_element("tsResponse", list));
    }
    if let Some(e) = visitor.failed {
        return Err(e);
    }
    page.items = visitor.items;
    Ok(page)
}

#[cfg(test)]
#[path = "stream_tests.rs"]
pub(super) mod tests;

#[cfg(test)]
#[path = "stream_cases.rs"]
mod cases;
