//! The one strict pass over a response's XML that every decoder rests on.
//!
//! [`scan`] reads a whole document and refuses anything that is not
//! well-formed XML with exactly one root, reporting each element, its
//! attributes and its text to a [`Visitor`] as it goes. The list decoders
//! of `stream` and the single-element decoders of `stream_one` read their
//! items straight from these events, so a page of a thousand users costs no
//! tree; the tests' element tree (`tree`) is built from the same events,
//! so all of them refuse the same bodies with the same errors.

use std::borrow::Cow;
use std::cell::Cell;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::{Decoder, Reader};

use super::xml::{AttrSource, MAX_DEPTH};
use crate::{Error, Result};

/// What a [`scan`] reports, in document order. Only well-formed parts are
/// reported, but a later part may still make the document malformed, so a
/// visitor keeps what it learns until the scan has succeeded.
pub(super) trait Visitor {
    /// An element opened `depth` levels below the root (0 for the root).
    /// The visitor may read `attrs`; an error it returns from them ends the
    /// scan. Attributes it leaves unread are still checked.
    fn open(&mut self, depth: usize, name: &str, attrs: &Attrs<'_>) -> Result<()>;

    /// The element opened at `depth` closed.
    fn close(&mut self, depth: usize);

    /// Text inside the innermost open element, unescaped (character data,
    /// CDATA and references arrive as separate pieces).
    fn text(&mut self, _text: &str) {}
}

/// Where an error occurred: the local names of the open elements.
fn path_of(open: &[String]) -> String {
    if open.is_empty() {
        "document".to_owned()
    } else {
        open.join("/")
    }
}

fn malformed(open: &[String], at: u64, what: impl std::fmt::Display) -> Error {
    Error::decode(path_of(open), format!("malformed XML at byte {at}: {what}"))
}

/// The local name of an element or attribute (`ns0:user` is `user`).
fn local_name<'n>(name: QName<'n>) -> std::result::Result<&'n str, &'static str> {
    std::str::from_utf8(name.local_name().into_inner()).map_err(|_| "a name is not UTF-8")
}

/// The text a reference (`&amp;`, `&#65;`) stands for, or why it is refused.
fn resolve(reference: &BytesRef<'_>) -> std::result::Result<Cow<'static, str>, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(Cow::Owned(c.to_string()));
    }
    let name = reference.decode().map_err(|e| e.to_string())?;
    quick_xml::escape::resolve_xml_entity(&name)
        .map(Cow::Borrowed)
        .ok_or_else(|| format!("unknown entity &{name};"))
}

/// The attributes of the element being opened, checked and unescaped as
/// they are read.
#[derive(Debug)]
pub(super) struct Attrs<'s> {
    start: &'s BytesStart<'s>,
    decoder: Decoder,
    /// The element's ancestors, for errors.
    open: &'s [String],
    at: u64,
    read: Cell<bool>,
}

impl<'s> Attrs<'s> {
    fn malformed(&self, what: impl std::fmt::Display) -> Error {
        malformed(self.open, self.at, what)
    }

    /// Calls `f` with the local name and unescaped value of every attribute
    /// in document order, namespace declarations left out. Fails on the
    /// first malformed attribute (duplicate, unquoted, unknown entity, name
    /// not UTF-8).
    pub fn each(&self, mut f: impl FnMut(&'s str, Cow<'s, str>)) -> Result<()> {
        self.read.set(true);
        for attr in self.start.attributes() {
            let attr = attr.map_err(|e| self.malformed(e))?;
            let value = attr
                .decode_and_unescape_value(self.decoder)
                .map_err(|e| self.malformed(e))?;
            let key = attr.key;
            if key.as_ref() == b"xmlns" || key.prefix().is_some_and(|p| p.as_ref() == b"xmlns") {
                continue;
            }
            f(local_name(key).map_err(|e| self.malformed(e))?, value);
        }
        Ok(())
    }

    /// The values of the attributes called `names` (the first of each, as
    /// [`AttrSource::attr`] finds it on a tree), every attribute checked.
    pub fn values<const N: usize>(&self, names: [&'static str; N]) -> Result<Fields<'s, N>> {
        let mut values: [Option<Cow<'s, str>>; N] = std::array::from_fn(|_| None);
        self.each(|local, value| {
            if let Some(i) = names.iter().position(|n| *n == local) {
                values[i].get_or_insert(value);
            }
        })?;
        Ok(Fields { names, values })
    }
}

/// Some attributes of one element, borrowed from the body where no
/// unescaping was needed.
#[derive(Debug)]
pub(super) struct Fields<'s, const N: usize> {
    names: [&'static str; N],
    values: [Option<Cow<'s, str>>; N],
}

impl<const N: usize> AttrSource for Fields<'_, N> {
    fn attr(&self, name: &str) -> Option<&str> {
        let i = self.names.iter().position(|n| *n == name);
        debug_assert!(i.is_some(), "attribute {name} was not read");
        self.values[i?].as_deref()
    }
}

/// Hands the element `start` at `depth` (with its attributes, all checked
/// even when the visitor reads none) to `visitor`, and records its name.
fn open_element(
    names: &mut Vec<String>,
    depth: usize,
    start: &BytesStart<'_>,
    decoder: Decoder,
    at: u64,
    visitor: &mut impl Visitor,
) -> Result<()> {
    let open = &names[..depth];
    let name = local_name(start.name()).map_err(|e| malformed(open, at, e))?;
    let attrs = Attrs {
        start,
        decoder,
        open,
        at,
        read: Cell::new(false),
    };
    visitor.open(depth, name, &attrs)?;
    if !attrs.read.get() {
        attrs.each(|_, _| {})?;
    }
    if names.len() == depth {
        names.push(String::new());
    }
    names[depth].clear();
    names[depth].push_str(name);
    Ok(())
}

/// Reads the whole of `body`, reporting it to `visitor`, and returns the
/// root's local name. Anything that is not well-formed XML with exactly one
/// root is an error, including an empty or truncated body, unclosed or
/// mismatched tags and unknown entities; the error names the elements open
/// where it was found.
pub(super) fn scan(body: &[u8], visitor: &mut impl Visitor) -> Result<String> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().enable_all_checks(true);
    // names[..depth] are the open elements; deeper slots are kept for reuse.
    let mut names: Vec<String> = Vec::new();
    let mut depth = 0;
    let mut root_closed = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(&names[..depth], reader.error_position(), e))?;
        let at = reader.buffer_position();
        let open = &names[..depth];
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if root_closed {
                    return Err(malformed(open, at, "a second root element"));
                }
                if depth >= MAX_DEPTH {
                    return Err(malformed(open, at, "elements nested too deeply"));
                }
                open_element(&mut names, depth, start, reader.decoder(), at, visitor)?;
                depth += 1;
                if matches!(event, Event::Empty(_)) {
                    depth -= 1;
                    visitor.close(depth);
                    root_closed = depth == 0;
                }
            }
            Event::End(_) => {
                if depth == 0 {
                    return Err(malformed(&[], at, "a closing tag without an opening one"));
                }
                depth -= 1;
                visitor.close(depth);
                root_closed = depth == 0;
            }
            Event::Text(text) => {
                let text = text.decode().map_err(|e| malformed(open, at, e))?;
                if depth > 0 {
                    visitor.text(&text);
                } else if !text.trim().is_empty() {
                    return Err(malformed(open, at, "text outside the root element"));
                }
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| malformed(open, at, e))?;
                if depth == 0 {
                    return Err(malformed(open, at, "CDATA outside the root element"));
                }
                visitor.text(&text);
            }
            Event::GeneralRef(reference) => {
                let text = resolve(&reference).map_err(|e| malformed(open, at, e))?;
                if depth == 0 {
                    return Err(malformed(open, at, "a reference outside the root element"));
                }
                visitor.text(&text);
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if depth > 0 {
        let at = reader.buffer_position();
        return Err(malformed(
            &names[..depth],
            at,
            "the document ends before its elements close",
        ));
    }
    if !root_closed {
        return Err(Error::decode("document", "the body holds no XML element"));
    }
    Ok(names.swap_remove(0))
}
