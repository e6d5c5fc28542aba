//! A small, strict reader for Tableau's XML, plus escaping for request
//! bodies.
//!
//! Responses are parsed whole into an [`Element`] tree before any decoder
//! looks at them, so a truncated or malformed body is always an error and
//! never a silently short listing. Elements and attributes are known by their
//! local name: servers write Tableau's namespace as the default one or with a
//! prefix (`ns0:user`), and both must read the same.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

use super::page::Page;
use crate::{Error, Result};

/// Deepest nesting accepted. Tableau's responses are at most five levels
/// deep; the limit keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

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

impl Element {
    /// The value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of an optional attribute, where an empty value counts as
    /// absent (an empty email or domain carries no information).
    pub fn opt_attr(&self, name: &str) -> Option<String> {
        self.attr(name).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    /// The value of a required attribute; `path` names this element in the
    /// error (e.g. `tsResponse/users/user`).
    pub fn required(&self, path: &str, name: &str) -> Result<&str> {
        self.attr(name)
            .ok_or_else(|| Error::decode(path, format!("missing attribute {name}")))
    }

    /// The first direct child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first direct child called `name`, or an error naming `path` (the
    /// path of this element).
    pub fn required_child(&self, path: &str, name: &str) -> Result<&Element> {
        self.child(name)
            .ok_or_else(|| Error::decode(path, format!("missing element {name}")))
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

/// Where an error occurred: the local names of the open elements.
fn path_of(stack: &[Element]) -> String {
    if stack.is_empty() {
        return "document".to_owned();
    }
    stack
        .iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

fn malformed(stack: &[Element], at: u64, what: impl std::fmt::Display) -> Error {
    Error::decode(
        path_of(stack),
        format!("malformed XML at byte {at}: {what}"),
    )
}

fn local_str(stack: &[Element], at: u64, name: QName<'_>) -> Result<String> {
    std::str::from_utf8(name.local_name().as_ref())
        .map(str::to_owned)
        .map_err(|_| malformed(stack, at, "a name is not UTF-8"))
}

fn open(stack: &[Element], reader: &Reader<&[u8]>, start: &BytesStart<'_>) -> Result<Element> {
    let at = reader.buffer_position();
    let mut el = Element {
        name: local_str(stack, at, start.name())?,
        ..Element::default()
    };
    for attr in start.attributes() {
        let attr = attr.map_err(|e| malformed(stack, at, e))?;
        let value = attr
            .decode_and_unescape_value(reader.decoder())
            .map_err(|e| malformed(stack, at, e))?;
        let key = attr.key;
        if key.as_ref() == b"xmlns" || key.prefix().is_some_and(|p| p.as_ref() == b"xmlns") {
            continue;
        }
        el.attrs
            .push((local_str(stack, at, key)?, value.into_owned()));
    }
    Ok(el)
}

/// Appends text to the open element; text outside the root must be blank.
fn push_text(stack: &mut [Element], at: u64, text: &str) -> Result<()> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(malformed(stack, at, "text outside the root element")),
    }
}

/// Closes the innermost element: it becomes a child of its parent, or the
/// root when it was the outermost.
fn close(stack: &mut Vec<Element>, root: &mut Option<Element>, at: u64) -> Result<()> {
    let el = stack
        .pop()
        .ok_or_else(|| malformed(&[], at, "a closing tag without an opening one"))?;
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
    Ok(())
}

/// Parses a whole document into its root element. Anything that is not
/// well-formed XML with exactly one root is an error, including an empty or
/// truncated body, unclosed or mismatched tags and unknown entities.
pub fn parse(body: &[u8]) -> Result<Element> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().enable_all_checks(true);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(&stack, reader.error_position(), e))?;
        let at = reader.buffer_position();
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if root.is_some() {
                    return Err(malformed(&stack, at, "a second root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(malformed(&stack, at, "elements nested too deeply"));
                }
                let el = open(&stack, &reader, start)?;
                stack.push(el);
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, &mut root, at)?;
                }
            }
            Event::End(_) => close(&mut stack, &mut root, at)?,
            Event::Text(text) => {
                let text = text.decode().map_err(|e| malformed(&stack, at, e))?;
                push_text(&mut stack, at, &text)?;
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| malformed(&stack, at, e))?;
                if stack.is_empty() {
                    return Err(malformed(&stack, at, "CDATA outside the root element"));
                }
                push_text(&mut stack, at, &text)?;
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference
                    .resolve_char_ref()
                    .map_err(|e| malformed(&stack, at, e))?
                {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.decode().map_err(|e| malformed(&stack, at, e))?;
                        quick_xml::escape::resolve_xml_entity(&name)
                            .ok_or_else(|| {
                                malformed(&stack, at, format!("unknown entity &{name};"))
                            })?
                            .to_owned()
                    }
                };
                if stack.is_empty() {
                    return Err(malformed(
                        &stack,
                        at,
                        "a reference outside the root element",
                    ));
                }
                push_text(&mut stack, at, &resolved)?;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        let at = reader.buffer_position();
        return Err(malformed(
            &stack,
            at,
            "the document ends before its elements close",
        ));
    }
    root.ok_or_else(|| Error::decode("document", "the body holds no XML element"))
}

/// Parses a Tableau response: a document whose root is `<tsResponse>`.
pub fn parse_response(body: &[u8]) -> Result<Element> {
    let root = parse(body)?;
    if root.name != "tsResponse" {
        return Err(Error::decode(
            root.name.as_str(),
            "the root element is not tsResponse",
        ));
    }
    Ok(root)
}

fn number_attr<T: std::str::FromStr>(el: &Element, path: &str, name: &str) -> Result<T> {
    let raw = el.required(path, name)?;
    raw.trim()
        .parse()
        .map_err(|_| Error::decode(path, format!("attribute {name} is not a number: {raw:?}")))
}

/// Reads a list response: the required `<pagination pageNumber pageSize
/// totalAvailable/>` and the required list element `list` (e.g. `users`),
/// whose direct children called `item` are decoded by `decode` with the
/// error path `tsResponse/{list}/{item}`.
pub fn decode_list<T>(
    body: &[u8],
    list: &str,
    item: &str,
    mut decode: impl FnMut(&Element, &str) -> Result<T>,
) -> Result<Page<T>> {
    let root = parse_response(body)?;
    let pagination = root.required_child("tsResponse", "pagination")?;
    let path = "tsResponse/pagination";
    let number = number_attr(pagination, path, "pageNumber")?;
    let size = number_attr(pagination, path, "pageSize")?;
    let total_available = number_attr(pagination, path, "totalAvailable")?;
    let container = root.required_child("tsResponse", list)?;
    let item_path = format!("tsResponse/{list}/{item}");
    let items = container
        .children_named(item)
        .map(|el| decode(el, &item_path))
        .collect::<Result<Vec<T>>>()?;
    Ok(Page {
        number,
        size,
        total_available,
        items,
    })
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
