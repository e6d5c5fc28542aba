//! The streaming decoders (lists and single elements) against the tree
//! ones they replace: the same `Ok` or the same error, for every recorded
//! response, the same responses prefixed and padded, truncations of them
//! and random edits.

use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::Reader;
use tabgov_mapping::ContentKind;

use crate::api::{auth, content, error_body, groups, users};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/tableau/");

/// Every decoder on `body`, tree then streaming, as debug text (the error
/// type has no equality; its debug text shows variant, path and message).
fn both(body: &[u8]) -> Vec<(&'static str, String, String)> {
    both_of(body, &ContentKind::ALL)
}

/// [`both`] with the content decoders of `kinds` only.
fn both_of(body: &[u8], kinds: &[ContentKind]) -> Vec<(&'static str, String, String)> {
    let mut out = vec![
        (
            "users",
            format!("{:?}", users::decode_users_tree(body)),
            format!("{:?}", users::decode_users(body)),
        ),
        (
            "member_ids",
            format!("{:?}", groups::decode_member_ids_tree(body)),
            format!("{:?}", groups::decode_member_ids(body)),
        ),
        (
            "groups",
            format!("{:?}", groups::decode_groups_tree(body)),
            format!("{:?}", groups::decode_groups(body)),
        ),
        (
            "user",
            format!("{:?}", users::decode_user_tree(body)),
            format!("{:?}", users::decode_user(body)),
        ),
        (
            "updated_user",
            format!("{:?}", users::decode_updated_user_tree(body)),
            format!("{:?}", users::decode_updated_user(body)),
        ),
        (
            "server_info",
            format!("{:?}", auth::decode_server_info_tree(body)),
            format!("{:?}", auth::decode_server_info(body)),
        ),
        (
            "sign_in",
            session(auth::decode_sign_in_tree(body)),
            session(auth::decode_sign_in(body)),
        ),
        (
            "error",
            format!("{:?}", error_body::from_xml_tree(500, body)),
            format!("{:?}", error_body::from_xml(500, body)),
        ),
    ];
    for &kind in kinds {
        out.push((
            kind.as_str(),
            format!("{:?}", content::decode_content_tree(kind, body)),
            format!("{:?}", content::decode_content(kind, body)),
        ));
    }
    out
}

/// A sign-in's answer as text, its token shown (its `Debug` hides it).
fn session(result: crate::Result<auth::SessionCredentials>) -> String {
    format!(
        "{:?}",
        result.map(|c| (
            c.token.expose().to_owned(),
            c.site_id,
            c.site_content_url,
            c.user_id
        ))
    )
}

pub(in crate::api) fn assert_agree(what: &str, body: &[u8]) {
    assert_agree_on(what, both(body), body);
}

fn assert_agree_on(what: &str, results: Vec<(&str, String, String)>, body: &[u8]) {
    for (decoder, tree, stream) in results {
        assert_eq!(
            tree,
            stream,
            "{what}: {decoder} differs on {}",
            String::from_utf8_lossy(body)
        );
    }
}

fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 20, "{out:?}");
    out
}

/// Unknown content placed first in every element: decoys named like the
/// pagination, items and item children, which must not be taken for them.
const DECOY: &str = "<tabgovUnknown a=\"1\"><user id=\"decoy\" name=\"d\" siteRole=\"Viewer\"/>\
    <group id=\"decoy\" name=\"d\"/><workbook id=\"decoy\"/><domain name=\"decoy\"/>\
    <import siteRole=\"Creator\"/><owner id=\"decoy\"/><pagination pageNumber=\"9\"/>\
    <!-- c --></tabgovUnknown>";

/// `body` with every start and end tag renamed with `ns0:` (declared), or
/// with every element given an unknown attribute and a [`DECOY`] first
/// child (an empty element is opened for it).
fn variant(body: &str, prefixed: bool) -> String {
    let mut reader = Reader::from_str(body);
    let mut out = String::new();
    let mut done = 0;
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().unwrap();
        let end = reader.buffer_position() as usize;
        let (name_at, empty) = match &event {
            Event::Start(_) => (at + 1, false),
            Event::Empty(_) => (at + 1, true),
            Event::End(_) => (at + 2, false),
            Event::Eof => break,
            _ => continue,
        };
        if prefixed {
            out.push_str(&body[done..name_at]);
            out.push_str("ns0:");
            done = name_at;
            continue;
        }
        if matches!(event, Event::End(_)) {
            continue;
        }
        let close = if empty { end - 2 } else { end - 1 };
        out.push_str(&body[done..close]);
        out.push_str(" tabgovExtra=\"x &amp; &quot;y&quot;\">");
        out.push_str(DECOY);
        if let Event::Empty(e) = &event {
            out.push_str(&format!(
                "</{}>",
                String::from_utf8_lossy(e.name().as_ref())
            ));
        }
        done = end;
    }
    out.push_str(&body[done..]);
    if prefixed {
        out = out.replace(" xmlns=", " xmlns:ns0=");
    }
    out
}

#[test]
fn variants_rename_and_pad() {
    let body = r#"<?xml version='1.0'?><a xmlns="u"><b k="v"/>t</a>"#;
    assert_eq!(
        variant(body, true),
        r#"<?xml version='1.0'?><ns0:a xmlns:ns0="u"><ns0:b k="v"/>t</ns0:a>"#
    );
    let padded = variant(body, false);
    let extra = " tabgovExtra=\"x &amp; &quot;y&quot;\">";
    assert_eq!(
        padded,
        format!(
            r#"<?xml version='1.0'?><a xmlns="u"{extra}{DECOY}<b k="v"{extra}{DECOY}</b>t</a>"#
        )
    );
}

#[test]
fn fixtures_their_variants_and_their_truncations_agree() {
    let mut decoded = 0;
    std::thread::scope(|scope| {
        let handles: Vec<_> = fixtures()
            .into_iter()
            .map(|(name, body)| {
                scope.spawn(move || {
                    let prefixed = variant(&body, true);
                    let padded = variant(&body, false);
                    let prefixed_padded = variant(&padded, true);
                    let mut ok = 0;
                    // Every cut of the recorded body; of the variants, which
                    // are longer and read through the same paths, about 40
                    // cuts spread over the body. The content decoders differ
                    // only in names: two of them read the cuts.
                    for (what, body, sampled) in [
                        ("", body, false),
                        ("ns0", prefixed, true),
                        ("padded", padded, true),
                        ("ns0+padded", prefixed_padded, true),
                    ] {
                        let body = body.as_bytes();
                        ok += both_ok(body);
                        let stride = if sampled { body.len() / 40 + 1 } else { 1 };
                        for cut in (0..body.len()).step_by(stride) {
                            let cut = &body[..cut];
                            let results =
                                both_of(cut, &[ContentKind::Workbook, ContentKind::CustomView]);
                            assert_agree_on(&format!("{name} {what} cut"), results, cut);
                        }
                        assert_agree(&format!("{name} {what}"), body);
                    }
                    ok
                })
            })
            .collect();
        decoded = handles.into_iter().map(|h| h.join().unwrap()).sum();
    });
    // The fixtures hold listings of users, members, groups and content:
    // the comparison covered successful decodes, not only errors.
    assert!(decoded >= 4 * 10, "{decoded}");
}

/// How many decoders accept `body`.
fn both_ok(body: &[u8]) -> usize {
    both(body)
        .iter()
        .filter(|(_, tree, _)| tree.starts_with("Ok"))
        .count()
}

/// Pieces of Tableau's XML, well-formed or not, for random edits.
const PIECES: &[&str] = &[
    "<",
    ">",
    "/>",
    "\"",
    "=",
    " ",
    "&amp;",
    "&bogus;",
    "&#65;",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<users>",
    "</users>",
    "<user id=\"z\" name=\"n\" siteRole=\"Viewer\"/>",
    "<user>",
    "</user>",
    "<pagination pageNumber=\"1\" pageSize=\"1\" totalAvailable=\"1\"/>",
    "<domain name=\"q\"/>",
    "<owner/>",
    "<owner id=\"o\"/>",
    "<import siteRole=\"Creator\"/>",
    " id=\"dup\"",
    " lastLogin=\"x\"",
    "</tsResponse>",
    "<error code=\"1\"/>",
    "<group id=\"g\" name=\"G\"/>",
    "<workbook id=\"w\"/>",
    "<summary>s</summary>",
    "<restApiVersion> 3.21 </restApiVersion>",
    "<productVersion build=\"b\">",
    "<site id=\"s\" contentUrl=\"\"/>",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn edited_fixtures_agree(
        index in any::<prop::sample::Index>(),
        padded in any::<bool>(),
        edits in proptest::collection::vec(
            (any::<prop::sample::Index>(), any::<u8>(), 0..PIECES.len(), 0..3u8), 1..5),
    ) {
        let all = fixtures();
        let (name, body) = &all[index.index(all.len())];
        let mut body = if padded { variant(body, false) } else { body.clone() }.into_bytes();
        for (at, byte, piece, how) in edits {
            let i = at.index(body.len() + 1);
            match how {
                0 if i < body.len() => body[i] = byte,
                1 if i < body.len() => { body.remove(i); }
                _ => { body.splice(i..i, PIECES[piece].bytes()); }
            }
        }
        for (decoder, tree, stream) in both(&body) {
            prop_assert_eq!(&tree, &stream, "{} ({}) {}", name, decoder, String::from_utf8_lossy(&body));
        }
    }
}
