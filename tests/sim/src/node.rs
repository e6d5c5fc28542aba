//! A tiny response tree rendered either as Tableau XML or Tableau JSON, so both
//! formats always carry the same data.

use std::fmt::Write;

/// The namespace and schema header every Tableau response carries.
pub const NS: &str = "http://tableau.com/api";

/// One response element: attributes, children and optional text.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// Element name (local name, no prefix).
    pub name: &'static str,
    /// Attributes in document order.
    pub attrs: Vec<(&'static str, String)>,
    /// Child elements.
    pub children: Vec<Node>,
    /// Text content (e.g. `<summary>`).
    pub text: Option<String>,
    /// True for list containers (`<users>`): JSON renders children as an array.
    pub list: bool,
}

impl Node {
    /// An empty element.
    pub fn new(name: &'static str) -> Self {
        Node {
            name,
            ..Default::default()
        }
    }
    /// A list container (`<users>`, `<groups>`, `<tags>`).
    pub fn list(name: &'static str, children: Vec<Node>) -> Self {
        Node {
            name,
            children,
            list: true,
            ..Default::default()
        }
    }
    /// A text-only element.
    pub fn text(name: &'static str, text: &str) -> Self {
        Node {
            name,
            text: Some(text.to_string()),
            ..Default::default()
        }
    }
    /// Adds an attribute.
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }
    /// Adds an attribute when the value is present.
    pub fn opt_attr(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }
    /// Adds a child element.
    pub fn child(mut self, child: Node) -> Self {
        self.children.push(child);
        self
    }
}

/// Escapes text for an attribute value or element content.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
}

/// Escapes element text (quotes stay literal, as Tableau writes them).
fn escape_text_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn write_xml(out: &mut String, n: &Node) {
    out.push('<');
    out.push_str(n.name);
    for (k, v) in &n.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        escape_into(out, v);
        out.push('"');
    }
    if n.children.is_empty() && n.text.is_none() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    if let Some(t) = &n.text {
        escape_text_into(out, t);
    }
    for c in &n.children {
        write_xml(out, c);
    }
    out.push_str("</");
    out.push_str(n.name);
    out.push('>');
}

/// Renders a full `<tsResponse>` document around `body`.
pub fn to_xml(body: &[Node], api_version: &str) -> String {
    let mut out = String::with_capacity(256 + body.len() * 256);
    let _ = write!(
        out,
        "<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns=\"{NS}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"{NS} {NS}/ts-api-{api_version}.xsd\">"
    );
    for n in body {
        write_xml(&mut out, n);
    }
    out.push_str("</tsResponse>");
    out
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json_value(out: &mut String, n: &Node) {
    if n.attrs.is_empty() && n.children.is_empty() && !n.list {
        if let Some(t) = &n.text {
            json_str(out, t);
            return;
        }
    }
    out.push('{');
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push(',');
        }
        first = false;
    };
    for (k, v) in &n.attrs {
        sep(out);
        json_str(out, k);
        out.push(':');
        json_str(out, v);
    }
    if let Some(t) = &n.text {
        sep(out);
        out.push_str("\"value\":");
        json_str(out, t);
    }
    if n.list {
        if let Some(first_child) = n.children.first() {
            sep(out);
            json_str(out, first_child.name);
            out.push_str(":[");
            for (i, c) in n.children.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_value(out, c);
            }
            out.push(']');
        }
    } else {
        for c in &n.children {
            sep(out);
            json_str(out, c.name);
            out.push(':');
            write_json_value(out, c);
        }
    }
    out.push('}');
}

/// Renders the body as Tableau JSON: one object keyed by the top elements.
pub fn to_json(body: &[Node]) -> String {
    let mut out = String::with_capacity(64 + body.len() * 200);
    out.push('{');
    for (i, n) in body.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(&mut out, n.name);
        out.push(':');
        write_json_value(&mut out, n);
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_attributes_and_renders_lists() {
        let n = Node::list("users", vec![Node::new("user").attr("name", "a\"<b>&'c")]);
        let x = to_xml(std::slice::from_ref(&n), "3.21");
        assert!(x.contains("name=\"a&quot;&lt;b&gt;&amp;&apos;c\""));
        let j = to_json(&[n]);
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["users"]["user"][0]["name"], "a\"<b>&'c");
        let empty = to_json(&[Node::list("users", vec![])]);
        assert_eq!(empty, "{\"users\":{}}");
    }
}
