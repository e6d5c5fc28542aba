//! A tiny response tree rendered either as Tableau XML or Tableau JSON, so both
//! formats always carry the same data.

pub use crate::emit::{escape_into, NS};
use crate::emit::{Elem, Fmt};

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

/// Writes `n` as a child of `parent` (an item when `parent` is a list).
fn emit(parent: &mut Elem<'_>, n: &Node, item: bool) {
    if n.attrs.is_empty() && n.children.is_empty() && !n.list {
        if let Some(t) = &n.text {
            parent.text_child(n.name, t, item);
            return;
        }
    }
    let mut e = if item {
        parent.item(n.name)
    } else {
        parent.child(n.name)
    };
    for (k, v) in &n.attrs {
        e.attr(k, v);
    }
    if let Some(t) = &n.text {
        e.text(t);
    }
    for c in &n.children {
        emit(&mut e, c, n.list);
    }
}

/// Renders a full answer document around `body` in `fmt`: a `<tsResponse>`
/// (XML) or one object keyed by the top elements (JSON).
pub fn render(fmt: Fmt, body: &[Node], api_version: &str) -> String {
    let mut out = String::with_capacity(256 + body.len() * 256);
    {
        let mut doc = Elem::document(&mut out, fmt, api_version);
        for n in body {
            emit(&mut doc, n, false);
        }
    }
    out
}

/// Renders a full `<tsResponse>` document around `body`.
pub fn to_xml(body: &[Node], api_version: &str) -> String {
    render(Fmt::Xml, body, api_version)
}

/// Renders the body as Tableau JSON: one object keyed by the top elements.
pub fn to_json(body: &[Node]) -> String {
    render(Fmt::Json, body, "")
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

    const HEAD: &str = "<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns=\"http://tableau.com/api\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://tableau.com/api http://tableau.com/api/ts-api-3.21.xsd\">";

    fn both(body: &[Node], xml: &str, json: &str) {
        assert_eq!(to_xml(body, "3.21"), format!("{HEAD}{xml}</tsResponse>"));
        assert_eq!(to_json(body), json);
    }

    /// Every shape rule: text-only elements, text beside attributes, lists
    /// of text, empty lists and elements, escapes of both formats.
    #[test]
    fn renders_every_shape_exactly() {
        let mut pv = Node::text("productVersion", "2023.3.0");
        pv.attrs.push(("build", "20233.23".to_string()));
        both(
            &[Node::new("serverInfo")
                .child(pv)
                .child(Node::text("restApiVersion", "3.21"))],
            "<serverInfo><productVersion build=\"20233.23\">2023.3.0</productVersion><restApiVersion>3.21</restApiVersion></serverInfo>",
            "{\"serverInfo\":{\"productVersion\":{\"build\":\"20233.23\",\"value\":\"2023.3.0\"},\"restApiVersion\":\"3.21\"}}",
        );
        both(
            &[Node::new("error")
                .attr("code", "400000")
                .child(Node::text("summary", "Bad <Request> & \"x\""))
                .child(Node::text("detail", "line1\nline2\r\t'q'\u{1}\u{1f}é日本😀\\/"))],
            "<error code=\"400000\"><summary>Bad &lt;Request&gt; &amp; \"x\"</summary><detail>line1\nline2\r\t'q'\u{1}\u{1f}é日本😀\\/</detail></error>",
            "{\"error\":{\"code\":\"400000\",\"summary\":\"Bad <Request> & \\\"x\\\"\",\"detail\":\"line1\\nline2\\r\\t'q'\\u0001\\u001fé日本😀\\\\/\"}}",
        );
        both(
            &[
                Node::list(
                    "tags",
                    vec![Node::text("tag", "a"), Node::text("tag", "b&c")],
                ),
                Node::text("empty", ""),
            ],
            "<tags><tag>a</tag><tag>b&amp;c</tag></tags><empty></empty>",
            "{\"tags\":{\"tag\":[\"a\",\"b&c\"]},\"empty\":\"\"}",
        );
        both(
            &[Node::new("credentials")
                .attr("token", "t\"ok'\n\r\t<>&")
                .child(Node::new("site").attr("id", "s"))
                .child(Node::list(
                    "users",
                    vec![Node::new("user")
                        .attr("id", "1")
                        .child(Node::list("groups", vec![]))],
                ))],
            "<credentials token=\"t&quot;ok&apos;&#10;&#13;&#9;&lt;&gt;&amp;\"><site id=\"s\"/><users><user id=\"1\"><groups/></user></users></credentials>",
            "{\"credentials\":{\"token\":\"t\\\"ok'\\n\\r\\t<>&\",\"site\":{\"id\":\"s\"},\"users\":{\"user\":[{\"id\":\"1\",\"groups\":{}}]}}}",
        );
        let mut items = Node::list(
            "items",
            vec![Node::new("item").attr("k", "v"), Node::new("other")],
        )
        .attr("n", "1");
        items.text = Some("t<&>\"'".into());
        both(
            &[items, Node::new("bare"), Node::list("empty", vec![])],
            "<items n=\"1\">t&lt;&amp;&gt;\"'<item k=\"v\"/><other/></items><bare/><empty/>",
            "{\"items\":{\"n\":\"1\",\"value\":\"t<&>\\\"'\",\"item\":[{\"k\":\"v\"},{}]},\"bare\":{},\"empty\":{}}",
        );
    }
}
