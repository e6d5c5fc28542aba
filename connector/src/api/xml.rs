//! What every decoder of Tableau's XML shares: attribute access by local
//! name, the checks of the root and of `<pagination>`, the nesting limit,
//! and escaping for request bodies.
//!
//! Every response is decoded straight from the events of one strict pass
//! (`scan`, then `stream` for list pages and `stream_one` for single
//! elements), so a truncated or malformed body is always an error and never
//! a silently short listing, and no element tree is built. Elements and
//! attributes are known by their local name: servers write Tableau's
//! namespace as the default one or with a prefix (`ns0:user`), and both
//! must read the same. (The tests hold the decoders against an element
//! tree, `tree`, that reads the same way.)

use super::page::Page;
use crate::{Error, Result};

/// Deepest nesting accepted. Tableau's responses are at most five levels
/// deep; the limit keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// Read access to an element's attributes by local name, so that one item
/// conversion serves both the attributes a streaming decoder picked out of
/// a start tag and, in the tests, a tree element.
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
