//! The element tree the streaming decoders are tested against: a whole
//! document parsed into [`Element`]s from the same strict pass (`scan`),
//! and the list and single-element readers over it. Test-only: production
//! decodes straight from the events (`stream`, `stream_one`).

use super::page::Page;
use super::scan::{scan, Attrs, Visitor};
use super::xml::{check_root, missing_element, pagination, AttrSource};
use crate::{Error, Result};

/// One parsed element: local name, unescaped attributes (namespace
/// declarations left out), child elements and the text directly inside it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    /// `(local name, unescaped value)` in document order.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// Text directly inside this element (children's text not included),
    /// unescaped and untrimmed.
    pub text: String,
}

impl AttrSource for Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Element {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        AttrSource::attr(self, name)
    }

    /// See [`AttrSource::opt_attr`].
    pub fn opt_attr(&self, name: &str) -> Option<String> {
        AttrSource::opt_attr(self, name)
    }

    /// See [`AttrSource::required`].
    pub fn required(&self, path: &str, name: &str) -> Result<&str> {
        AttrSource::required(self, path, name)
    }

    /// The first direct child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first direct child called `name`, or an error naming `path` (the
    /// path of this element).
    pub fn required_child(&self, path: &str, name: &str) -> Result<&Element> {
        self.child(name).ok_or_else(|| missing_element(path, name))
    }

    /// Every direct child called `name`, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of this element.
    pub fn trimmed_text(&self) -> &str {
        self.text.trim()
    }
}

/// Builds the tree from a scan: the open elements, innermost last.
#[derive(Debug, Default)]
struct TreeBuilder {
    stack: Vec<Element>,
    root: Option<Element>,
}

impl Visitor for TreeBuilder {
    fn open(&mut self, _depth: usize, name: &str, attrs: &Attrs<'_>) -> Result<()> {
        let mut el = Element {
            name: name.to_owned(),
            ..Element::default()
        };
        attrs.each(|k, v| el.attrs.push((k.to_owned(), v.into_owned())))?;
        self.stack.push(el);
        Ok(())
    }

    fn close(&mut self, _depth: usize) {
        if let Some(el) = self.stack.pop() {
            match self.stack.last_mut() {
                Some(parent) => parent.children.push(el),
                None => self.root = Some(el),
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(el) = self.stack.last_mut() {
            el.text.push_str(text);
        }
    }
}

/// Parses a whole document into its root element. Anything that is not
/// well-formed XML with exactly one root is an error, including an empty or
/// truncated body, unclosed or mismatched tags and unknown entities.
pub fn parse(body: &[u8]) -> Result<Element> {
    let mut tree = TreeBuilder::default();
    scan(body, &mut tree)?;
    tree.root
        .ok_or_else(|| Error::decode("document", "the body holds no XML element"))
}

/// Parses a Tableau response: a document whose root is `<tsResponse>`.
pub fn parse_response(body: &[u8]) -> Result<Element> {
    let root = parse(body)?;
    check_root(&root.name)?;
    Ok(root)
}

/// Reads a list response: the required `<pagination pageNumber pageSize
/// totalAvailable/>` and the required list element `list` (e.g. `users`),
/// whose direct children called `item` are decoded by `decode` with the
/// error path `tsResponse/{list}/{item}`. Production reads lists with
/// `stream::decode_list`, which reads the same and builds no tree.
pub fn decode_list<T>(
    body: &[u8],
    list: &str,
    item: &str,
    mut decode: impl FnMut(&Element, &str) -> Result<T>,
) -> Result<Page<T>> {
    let root = parse_response(body)?;
    let mut page = pagination(root.required_child("tsResponse", "pagination")?)?;
    let container = root.required_child("tsResponse", list)?;
    let item_path = format!("tsResponse/{list}/{item}");
    page.items = container
        .children_named(item)
        .map(|el| decode(el, &item_path))
        .collect::<Result<Vec<T>>>()?;
    Ok(page)
}

/// Reads a response holding one element `name` directly under
/// `<tsResponse>` and decodes it with the error path `tsResponse/{name}`.
pub fn decode_single<T>(
    body: &[u8],
    name: &str,
    decode: impl FnOnce(&Element, &str) -> Result<T>,
) -> Result<T> {
    let root = parse_response(body)?;
    let el = root.required_child("tsResponse", name)?;
    decode(el, &format!("tsResponse/{name}"))
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
