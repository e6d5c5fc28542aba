//! Single elements decoded straight from the XML events: the user of Query
//! User, Update User's answer, the sign-in credentials, the server info and
//! Tableau's error bodies. The same [`ItemReader`]s as the list pages, so a
//! user reads the same whether it came alone or in a page, and the same
//! strict pass (`scan`), so a malformed body is refused as a list page is.
//!
//! [`decode_single`] reads exactly as `tree::decode_single` does with the
//! same conversion: the same value, and for a body it refuses the same
//! error, found in the same order: malformed XML anywhere, then the root,
//! then the element missing, then the element's own first error.

use std::ops::RangeInclusive;

use super::scan::{scan, Attrs, Visitor};
use super::stream::ItemReader;
use super::xml::{check_root, missing_element};
use crate::Result;

/// Where the sought element is in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    NotYet,
    /// Open at this depth.
    Open(usize),
    Closed,
}

/// Follows a scan for the first element called `name` at a depth in
/// `depths` (0 is the root): its start tag, its direct children and their
/// text.
struct OneVisitor<'l, R: ItemReader> {
    reader: &'l R,
    name: &'l str,
    depths: RangeInclusive<usize>,
    path: &'l str,
    found: Found,
    item: Option<R::Open>,
    /// Depth of the innermost open element.
    innermost: Option<usize>,
    /// The direct child open now, when it is the first of its name (only
    /// the first one's text counts, as a tree's `child(name)` finds it).
    text_child: Option<String>,
    /// Names of the direct children seen so far.
    seen: Vec<String>,
}

impl<R: ItemReader> Visitor for OneVisitor<'_, R> {
    fn open(&mut self, depth: usize, name: &str, attrs: &Attrs<'_>) -> Result<()> {
        self.innermost = Some(depth);
        match self.found {
            Found::NotYet if name == self.name && self.depths.contains(&depth) => {
                self.item = Some(self.reader.open(attrs, self.path)?);
                self.found = Found::Open(depth);
            }
            Found::Open(at) if depth == at + 1 => {
                self.text_child = if self.seen.iter().any(|s| s == name) {
                    None
                } else {
                    self.seen.push(name.to_owned());
                    Some(name.to_owned())
                };
                if let Some(item) = &mut self.item {
                    self.reader.child(item, name, attrs, self.path)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, depth: usize) {
        self.innermost = depth.checked_sub(1);
        match self.found {
            Found::Open(at) if depth == at => self.found = Found::Closed,
            Found::Open(at) if depth == at + 1 => self.text_child = None,
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let Found::Open(at) = self.found else {
            return;
        };
        if self.innermost != Some(at + 1) {
            return;
        }
        if let (Some(item), Some(child)) = (&mut self.item, &self.text_child) {
            self.reader.child_text(item, child, text);
        }
    }
}

/// Scans `body` for the first element `name` at a depth in `depths`, read
/// by `reader` with the error path `path`. Returns the root's name and what
/// the reader made of the element, if there was one.
pub(super) fn find<R: ItemReader>(
    body: &[u8],
    name: &str,
    depths: RangeInclusive<usize>,
    path: &str,
    reader: &R,
) -> Result<(String, Option<R::Open>)> {
    let mut visitor = OneVisitor {
        reader,
        name,
        depths,
        path,
        found: Found::NotYet,
        item: None,
        innermost: None,
        text_child: None,
        seen: Vec::new(),
    };
    let root = scan(body, &mut visitor)?;
    Ok((root, visitor.item))
}

/// Reads a response holding one element `name` directly under
/// `<tsResponse>`, read by `reader` with the error path `tsResponse/{name}`.
pub(super) fn decode_single<R: ItemReader>(body: &[u8], name: &str, reader: &R) -> Result<R::Item> {
    let path = format!("tsResponse/{name}");
    let (root, item) = find(body, name, 1..=1, &path, reader)?;
    check_root(&root)?;
    let item = item.ok_or_else(|| missing_element("tsResponse", name))?;
    reader.close(item)
}

#[cfg(test)]
mod tests {
    use crate::api::stream::tests::assert_agree;
    use crate::api::{auth, error_body};

    #[test]
    fn text_is_the_first_childs_own_text() {
        let body = br#"<tsResponse><serverInfo><productVersion build="b1"> 2024.<!-- c -->2<x>no</x>.0 </productVersion>
            <productVersion build="b2">later</productVersion>
            <restApiVersion><![CDATA[3.]]>2&#51;</restApiVersion><restApiVersion>9.9</restApiVersion></serverInfo></tsResponse>"#;
        assert_agree("server info", body);
        let info = auth::decode_server_info(body).unwrap();
        assert_eq!(info.product_version.as_deref(), Some("2024.2.0"));
        assert_eq!(info.build.as_deref(), Some("b1"));
        assert_eq!(info.rest_api_version, "3.23");
        let blank =
            b"<tsResponse><serverInfo><restApiVersion> </restApiVersion></serverInfo></tsResponse>";
        assert_agree("blank version", blank);
        let e = auth::decode_server_info(blank).unwrap_err().to_string();
        assert!(
            e.contains("tsResponse/serverInfo/restApiVersion: empty version"),
            "{e}"
        );
    }

    #[test]
    fn the_element_is_found_only_where_it_belongs() {
        // A <credentials> deeper than directly under the root is not the answer.
        let nested = br#"<tsResponse><x><credentials token="t"><site id="s" contentUrl=""/><user id="u"/></credentials></x></tsResponse>"#;
        assert_agree("nested", nested);
        let e = auth::decode_sign_in(nested).unwrap_err().to_string();
        assert!(e.contains("tsResponse: missing element credentials"), "{e}");
        let no_user = br#"<tsResponse><credentials token="t"><site id="s" contentUrl=""/></credentials></tsResponse>"#;
        assert_agree("no user", no_user);
        let e = auth::decode_sign_in(no_user).unwrap_err().to_string();
        assert!(
            e.contains("tsResponse/credentials: missing element user"),
            "{e}"
        );
        // An error is the root, or the root's child, whatever the root.
        for body in [
            &br#"<error code="401002"><summary> s </summary><detail>d<i>x</i></detail></error>"#[..],
            br#"<html><error code="401002"><summary> s </summary><detail>d</detail></error></html>"#,
        ] {
            assert_agree("error", body);
            let e = error_body::from_xml(401, body).unwrap();
            assert_eq!((e.code.as_str(), &*e.summary, &*e.detail), ("401002", "s", "d"));
        }
        let deep = br#"<html><body><error code="1"/></body></html>"#;
        assert_agree("deep error", deep);
        assert!(error_body::from_xml(500, deep).is_none());
    }
}
