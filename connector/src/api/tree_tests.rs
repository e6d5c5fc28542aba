//! Unit tests of the strict pass through the element tree: what it
//! refuses, names and limits.

use super::*;
use crate::api::xml::{escape_attr, MAX_DEPTH};

fn err(body: &str) -> String {
    match parse(body.as_bytes()) {
        Ok(el) => panic!("{body:?} parsed as {el:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn reads_local_names_unescaped_attributes_and_text() {
    let doc = parse(
        br#"<?xml version='1.0'?><ns0:a xmlns:ns0="x" k="1 &amp; &lt;2&gt; &#65;"><ns0:b>t &amp; <![CDATA[<c>]]></ns0:b><!-- c --></ns0:a>"#,
    )
    .unwrap();
    assert_eq!(doc.name, "a");
    assert_eq!(doc.attrs, vec![("k".to_owned(), "1 & <2> A".to_owned())]);
    assert_eq!(doc.child("b").unwrap().text, "t & <c>");
    let bom = parse("\u{feff}<?xml version='1.0'?>\n<a/>\n".as_bytes()).unwrap();
    assert_eq!(bom.name, "a");
}

#[test]
fn rejects_malformed_documents() {
    for bad in [
        "",
        "   ",
        "<?xml version='1.0'?>",
        "<a>",
        "<a><b></a>",
        "<a></b>",
        "<a x=\"1></a>",
        "<a x=\"&bogus;\"/>",
        "<a>&bogus;</a>",
        "<a>&amp</a>",
        "<a x=\"1\" x=\"2\"/>",
        "<a/><b/>",
        "text<a/>",
        "<a/>text",
        "</a>",
        "<a",
    ] {
        let message = err(bad);
        assert!(message.contains("cannot read"), "{bad:?}: {message}");
    }
}

#[test]
fn names_the_open_elements_on_truncation() {
    let message = err("<tsResponse><users><user id=\"a\">");
    assert!(message.contains("tsResponse/users/user"), "{message}");
}

#[test]
fn limits_nesting() {
    let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
    assert!(err(&deep).contains("nested too deeply"));
    let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
    assert!(parse(ok.as_bytes()).is_ok());
}

#[test]
fn escaped_attributes_round_trip() {
    let value = "a\"b'c&d<e>f\tg\nh\ri &amp;";
    let doc = parse(format!("<a v=\"{}\"/>", escape_attr(value)).as_bytes()).unwrap();
    assert_eq!(doc.attr("v"), Some(value));
}

#[test]
fn lists_need_pagination_and_the_list_element() {
    let decode = |body: &str| {
        decode_list(body.as_bytes(), "users", "user", |el, path| {
            el.required(path, "id").map(str::to_owned)
        })
    };
    let page = decode(
        r#"<tsResponse><pagination pageNumber="2" pageSize="10" totalAvailable="11"/><users><user id="x"/><other/></users></tsResponse>"#,
    )
    .unwrap();
    assert_eq!((page.number, page.size, page.total_available), (2, 10, 11));
    assert_eq!(page.items, vec!["x".to_owned()]);
    let missing = decode(r#"<tsResponse><users/></tsResponse>"#).unwrap_err();
    assert!(missing.to_string().contains("missing element pagination"));
    let no_list = decode(
        r#"<tsResponse><pagination pageNumber="1" pageSize="1" totalAvailable="0"/></tsResponse>"#,
    )
    .unwrap_err();
    assert!(no_list.to_string().contains("missing element users"));
    let bad_number = decode(
        r#"<tsResponse><pagination pageNumber="x" pageSize="1" totalAvailable="0"/><users/></tsResponse>"#,
    )
    .unwrap_err();
    assert!(bad_number.to_string().contains("pageNumber"));
    let no_id = decode(
        r#"<tsResponse><pagination pageNumber="1" pageSize="1" totalAvailable="1"/><users><user/></users></tsResponse>"#,
    )
    .unwrap_err();
    assert_eq!(
        no_id.to_string(),
        "cannot read Tableau's response at tsResponse/users/user: missing attribute id"
    );
    let wrong_root = decode("<other/>").unwrap_err();
    assert!(wrong_root.to_string().contains("not tsResponse"));
}
