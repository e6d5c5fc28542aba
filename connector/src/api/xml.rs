//! A small, strict reader for Tableau's XML, plus escaping for request
//! bodies.
//!
//! Small responses are parsed whole into an [`Element`] tree before any
//! decoder looks at them; the large list pages are decoded without one (see
//! `stream`). Both rest on the same strict pass (`scan`), so a truncated or
//! malformed body is always an error and never a silently short listing.
//! Elements and attributes are known by their local name: servers write
//! Tableau's namespace as the default one or with a prefix (`ns0:user`),
//! and both must read the same.

use super::page::Page;
use super::scan::{scan, Attrs, Visitor};
use crate::{Error, Result};

/// Deepest nesting accepted. Tableau's responses are at most five levels
/// deep; the limit keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// Read access to an element's attributes by local name, so that one item
/// conversion serves both a tree [`Element`] and the attributes a streaming
/// decoder picked out of a start tag.
pub trait AttrSource {
    /// The value of attribute `name`, if present.
    fn attr(&self, name: &str) -> Option<&str>;

    /// The value of an optional attribute, where an empty value counts as
    /// absent (an empty email or domain carries no information).
    fn opt_attr(&self, name: &str) -> Option<String> {
        self.attr(name).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    /// The value of a required attribute; `path` names this element in the
    /// error (e.g. `tsResponse/users/user`).
    fn required(&self, path: &str, name: &str) -> Result<&str> {
        self.attr(name)
            .ok_or_else(|| Error::decode(path, format!("missing attribute {name}")))
    }
}

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

/// The error for a required child `name` missing from the element at
/// `path`.
pub(super) fn missing_element(path: &str, name: &str) -> Error {
    Error::decode(path, format!("missing element {name}"))
}

/// Refuses a document whose root, called `name`, is not `<tsResponse>`.
pub(super) fn check_root(name: &str) -> Result<()> {
    if name == "tsResponse" {
        Ok(())
    } else {
        Err(Error::decode(name, "the root element is not tsResponse"))
    }
}

/// Parses a Tableau response: a document whose root is `<tsResponse>`.
pub fn parse_response(body: &[u8]) -> Result<Element> {
    let root = parse(body)?;
    check_root(&root.name)?;
    Ok(root)
}

fn number_attr<T: std::str::FromStr>(el: &impl AttrSource, path: &str, name: &str) -> Result<T> {
    let raw = el.required(path, name)?;
    raw.trim()
        .parse()
        .map_err(|_| Error::decode(path, format!("attribute {name} is not a number: {raw:?}")))
}

/// The attributes `<pagination>` must carry.
pub(super) const PAGINATION: [&str; 3] = ["pageNumber", "pageSize", "totalAvailable"];

/// Reads `<pagination pageNumber pageSize totalAvailable/>` into a page
/// without items.
pub(super) fn pagination<T>(el: &impl AttrSource) -> Result<Page<T>> {
    let path = "tsResponse/pagination";
    Ok(Page {
        number: number_attr(el, path, PAGINATION[0])?,
        size: number_attr(el, path, PAGINATION[1])?,
        total_available: number_attr(el, path, PAGINATION[2])?,
        items: Vec::new(),
    })
}

/// Reads a list response: the required `<pagination pageNumber pageSize
/// totalAvailable/>` and the required list element `list` (e.g. `users`),
/// whose direct children called `item` are decoded by `decode` with the
/// error path `tsResponse/{list}/{item}`. The large listings use
/// `stream::decode_list` instead, which reads the same and builds no tree.
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

/// Escapes a value for a double- or single-quoted XML attribute. Tabs and
/// line breaks are written as character references, since a parser would
/// otherwise normalise them to spaces.
pub fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "xml_tests.rs"]
mod tests;
