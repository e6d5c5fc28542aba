//! A streaming writer for Tableau XML and Tableau JSON: elements go straight
//! into one output buffer, so a 1000-item page costs no intermediate tree.
//!
//! Both formats follow the same rules as [`crate::node`] (which renders
//! through this writer): attributes first, then text (`"value"` in JSON),
//! then children; a list's items become one JSON array keyed by the first
//! item's name; an element without content is self-closing in XML.

use chrono::{DateTime, Datelike, Timelike, Utc};
use std::fmt::Write;

/// The namespace and schema header every Tableau response carries.
pub const NS: &str = "http://tableau.com/api";

/// Answer format, chosen by `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// Tableau XML (default).
    Xml,
    /// Tableau JSON (`Accept: application/json`).
    Json,
}

/// Appends `s` with every byte for which `rep` gives a replacement replaced;
/// runs of plain text are copied whole.
#[inline]
fn escape_with(out: &mut String, s: &str, rep: impl Fn(u8) -> Option<&'static str>) {
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if let Some(r) = rep(b) {
            // Replaced bytes are ASCII, so `i` is a char boundary.
            out.push_str(&s[start..i]);
            out.push_str(r);
            start = i + 1;
        }
    }
    out.push_str(&s[start..]);
}

/// Escapes text for an XML attribute value.
pub fn escape_into(out: &mut String, s: &str) {
    escape_with(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&apos;"),
        b'\n' => Some("&#10;"),
        b'\r' => Some("&#13;"),
        b'\t' => Some("&#9;"),
        _ => None,
    });
}

/// Escapes XML element text (quotes stay literal, as Tableau writes them).
fn escape_text_into(out: &mut String, s: &str) {
    escape_with(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    });
}

/// Writes a JSON string literal.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let r = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            b if b < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if r.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(r);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn push_digits(out: &mut String, n: u32, width: usize) {
    let mut buf = [b'0'; 4];
    let mut n = n;
    for slot in buf[..width].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(buf[..width].iter().map(|&b| b as char));
}

/// Writes Tableau's timestamp format (`2016-08-16T23:17:06Z`), the same text
/// as chrono's `%Y-%m-%dT%H:%M:%SZ`, without parsing a format string.
pub fn ts_into(out: &mut String, d: &DateTime<Utc>) {
    let year = d.year();
    if !(0..=9999).contains(&year) || d.nanosecond() >= 1_000_000_000 {
        // Signed years and leap seconds: leave the spelling to chrono.
        let _ = write!(out, "{}", d.format("%Y-%m-%dT%H:%M:%SZ"));
        return;
    }
    push_digits(out, year as u32, 4);
    out.push('-');
    push_digits(out, d.month(), 2);
    out.push('-');
    push_digits(out, d.day(), 2);
    out.push('T');
    push_digits(out, d.hour(), 2);
    out.push(':');
    push_digits(out, d.minute(), 2);
    out.push(':');
    push_digits(out, d.second(), 2);
    out.push('Z');
}

/// One open element. Dropping it writes its end (`/>`, `</name>` or `}`).
#[derive(Debug)]
pub struct Elem<'a> {
    out: &'a mut String,
    fmt: Fmt,
    name: &'static str,
    /// XML: the start tag is still open (nothing inside yet).
    bare: bool,
    /// JSON: no member written yet.
    first: bool,
    /// JSON: the item array is open.
    array: bool,
}

impl<'a> Elem<'a> {
    fn open(out: &'a mut String, fmt: Fmt, name: &'static str) -> Self {
        match fmt {
            Fmt::Xml => {
                out.push('<');
                out.push_str(name);
            }
            Fmt::Json => out.push('{'),
        }
        Elem {
            out,
            fmt,
            name,
            bare: true,
            first: true,
            array: false,
        }
    }

    /// The `<tsResponse>` document (XML) or top-level object (JSON); the
    /// elements of the answer are its children.
    pub fn document(out: &'a mut String, fmt: Fmt, api_version: &str) -> Self {
        if fmt == Fmt::Xml {
            let _ = write!(
                out,
                "<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns=\"{NS}\" \
                 xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
                 xsi:schemaLocation=\"{NS} {NS}/ts-api-{api_version}.xsd\">"
            );
            return Elem {
                out,
                fmt,
                name: "tsResponse",
                bare: false,
                first: true,
                array: false,
            };
        }
        Elem::open(out, fmt, "tsResponse")
    }

    /// A lone element, written for later reuse as a raw item (see
    /// [`Elem::raw_item`]).
    pub fn lone(out: &'a mut String, fmt: Fmt, name: &'static str) -> Self {
        Elem::open(out, fmt, name)
    }

    /// The output's length so far (to cut a lone element into pieces).
    pub fn written(&self) -> usize {
        self.out.len()
    }

    /// The format being written.
    pub fn fmt(&self) -> Fmt {
        self.fmt
    }

    /// JSON: the separator before a member.
    fn member(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// XML: ends the start tag before content.
    fn content(&mut self) {
        if self.bare {
            self.out.push('>');
            self.bare = false;
        }
    }

    /// Adds an attribute whose text `write` appends; the text must need no
    /// escaping in either format (digits, timestamps).
    pub fn raw_attr(&mut self, name: &str, write: impl FnOnce(&mut String)) -> &mut Self {
        debug_assert!(
            self.fmt == Fmt::Json || self.bare,
            "attribute after content"
        );
        match self.fmt {
            Fmt::Xml => {
                self.out.push(' ');
                self.out.push_str(name);
                self.out.push_str("=\"");
                write(self.out);
                self.out.push('"');
            }
            Fmt::Json => {
                self.member();
                json_str(self.out, name);
                self.out.push_str(":\"");
                write(self.out);
                self.out.push('"');
            }
        }
        self
    }

    /// Adds an attribute (before any text or child).
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        match self.fmt {
            Fmt::Xml => self.raw_attr(name, |o| escape_into(o, value)),
            Fmt::Json => {
                self.member();
                json_str(self.out, name);
                self.out.push(':');
                json_str(self.out, value);
                self
            }
        }
    }

    /// Adds an attribute when the value is present.
    pub fn opt_attr(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    /// Adds a number attribute.
    pub fn num_attr(&mut self, name: &str, n: usize) -> &mut Self {
        self.raw_attr(name, |o| {
            let _ = write!(o, "{n}");
        })
    }

    /// Adds a timestamp attribute in Tableau's format.
    pub fn ts_attr(&mut self, name: &str, d: &DateTime<Utc>) -> &mut Self {
        self.raw_attr(name, |o| ts_into(o, d))
    }

    /// Adds text content (`"value"` in JSON).
    pub fn text(&mut self, t: &str) {
        match self.fmt {
            Fmt::Xml => {
                self.content();
                escape_text_into(self.out, t);
            }
            Fmt::Json => {
                self.member();
                self.out.push_str("\"value\":");
                json_str(self.out, t);
            }
        }
    }

    fn start_child(&mut self, name: &'static str, item: bool) {
        match self.fmt {
            Fmt::Xml => self.content(),
            Fmt::Json if !item => {
                self.member();
                json_str(self.out, name);
                self.out.push(':');
            }
            Fmt::Json if self.array => self.out.push(','),
            Fmt::Json => {
                self.member();
                json_str(self.out, name);
                self.out.push_str(":[");
                self.array = true;
            }
        }
    }

    /// Opens a child element (a JSON member named `name`).
    pub fn child(&mut self, name: &'static str) -> Elem<'_> {
        self.start_child(name, false);
        Elem::open(self.out, self.fmt, name)
    }

    /// Opens an item of this list element (the JSON array is keyed by the
    /// first item's name).
    pub fn item(&mut self, name: &'static str) -> Elem<'_> {
        self.start_child(name, true);
        Elem::open(self.out, self.fmt, name)
    }

    /// Adds an item of this list element already written, in pieces, by a
    /// [`Elem::lone`] element of the same name and format.
    pub fn raw_item(&mut self, name: &'static str, pieces: &[&str]) {
        self.start_child(name, true);
        for p in pieces {
            self.out.push_str(p);
        }
    }

    /// A text-only child (`<name>text</name>`, a JSON string); `item` as in
    /// [`Elem::item`].
    pub fn text_child(&mut self, name: &'static str, t: &str, item: bool) {
        self.start_child(name, item);
        match self.fmt {
            Fmt::Xml => {
                self.out.push('<');
                self.out.push_str(name);
                self.out.push('>');
                escape_text_into(self.out, t);
                self.out.push_str("</");
                self.out.push_str(name);
                self.out.push('>');
            }
            Fmt::Json => json_str(self.out, t),
        }
    }
}

impl Drop for Elem<'_> {
    fn drop(&mut self) {
        match self.fmt {
            Fmt::Xml if self.bare => self.out.push_str("/>"),
            Fmt::Xml => {
                self.out.push_str("</");
                self.out.push_str(self.name);
                self.out.push('>');
            }
            Fmt::Json => {
                if self.array {
                    self.out.push(']');
                }
                self.out.push('}');
            }
        }
    }
}

#[cfg(test)]
#[path = "emit_tests.rs"]
mod tests;
