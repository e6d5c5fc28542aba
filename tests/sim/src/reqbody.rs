//! Request bodies (`<tsRequest>` XML, or the equivalent JSON) parsed into a
//! small element tree matched by local name, so prefixes never matter.

use crate::error::ApiError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

/// One request element with its attributes and children.
#[derive(Debug, Clone, Default)]
pub struct ReqElem {
    /// Local name.
    pub name: String,
    /// Attributes by local name.
    pub attrs: HashMap<String, String>,
    /// Child elements.
    pub children: Vec<ReqElem>,
}

impl ReqElem {
    /// First descendant (depth first, self included) with this local name.
    pub fn find(&self, name: &str) -> Option<&ReqElem> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
    /// All descendants with this local name.
    pub fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a ReqElem>) {
        if self.name == name {
            out.push(self);
        }
        for c in &self.children {
            c.find_all(name, out);
        }
    }
    /// An attribute value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.rfind(':') {
        Some(i) => s[i + 1..].to_string(),
        None => s.into_owned(),
    }
}

fn start_elem(e: &BytesStart<'_>) -> Result<ReqElem, ApiError> {
    let mut el = ReqElem {
        name: local(e.name().as_ref()),
        ..Default::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|err| ApiError::bad_request(format!("Malformed XML: {err}")))?;
        let key = local(a.key.as_ref());
        let value = a
            .unescape_value()
            .map_err(|err| ApiError::bad_request(format!("Malformed XML: {err}")))?
            .into_owned();
        el.attrs.insert(key, value);
    }
    Ok(el)
}

/// Parses an XML body; the root (`tsRequest`) is returned.
pub fn parse_xml(body: &[u8]) -> Result<ReqElem, ApiError> {
    let mut reader = Reader::from_reader(body);
    let mut stack: Vec<ReqElem> = Vec::new();
    let mut root: Option<ReqElem> = None;
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| ApiError::bad_request(format!("Malformed XML request body: {e}")))?;
        match ev {
            Event::Start(e) => stack.push(start_elem(&e)?),
            Event::Empty(e) => {
                let el = start_elem(&e)?;
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    match stack.last_mut() {
                        Some(p) => p.children.push(el),
                        None => root = Some(el),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    root.ok_or_else(|| ApiError::bad_request("The request body is empty or not XML."))
}

fn from_json(name: &str, v: &serde_json::Value) -> ReqElem {
    let mut el = ReqElem {
        name: name.to_string(),
        ..Default::default()
    };
    if let serde_json::Value::Object(map) = v {
        for (k, v) in map {
            match v {
                serde_json::Value::Object(_) => el.children.push(from_json(k, v)),
                serde_json::Value::Array(items) => {
                    for it in items {
                        el.children.push(from_json(k, it));
                    }
                }
                serde_json::Value::String(s) => {
                    el.attrs.insert(k.clone(), s.clone());
                }
                serde_json::Value::Null => {}
                other => {
                    el.attrs.insert(k.clone(), other.to_string());
                }
            }
        }
    }
    el
}

/// Parses a request body, XML or JSON (when it starts with `{`).
pub fn parse(body: &[u8]) -> Result<ReqElem, ApiError> {
    let trimmed = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &body[i..])
        .unwrap_or(&[]);
    if trimmed.first() == Some(&b'{') {
        let v: serde_json::Value = serde_json::from_slice(trimmed)
            .map_err(|e| ApiError::bad_request(format!("Malformed JSON request body: {e}")))?;
        Ok(from_json("tsRequest", &v))
    } else {
        parse_xml(trimmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_and_json_agree() {
        let x = parse(br#"<tsRequest><credentials personalAccessTokenName="a" personalAccessTokenSecret="b&amp;c"><site contentUrl=""/></credentials></tsRequest>"#).unwrap();
        let j = parse(br#"{"credentials":{"personalAccessTokenName":"a","personalAccessTokenSecret":"b&c","site":{"contentUrl":""}}}"#).unwrap();
        for r in [x, j] {
            let c = r.find("credentials").unwrap();
            assert_eq!(c.attr("personalAccessTokenSecret"), Some("b&c"));
            assert_eq!(r.find("site").unwrap().attr("contentUrl"), Some(""));
        }
        assert_eq!(parse(b"").unwrap_err().code, 400000);
        assert_eq!(parse(b"{not json").unwrap_err().code, 400000);
    }
}
