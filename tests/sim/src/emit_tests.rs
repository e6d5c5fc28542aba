//! The writer's escapes and timestamps against straightforward references.

use super::*;

/// Reference escapes, one char at a time.
fn reference(s: &str, attr: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\'' if attr => out.push_str("&apos;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' if attr => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

fn reference_json(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn escapes_match_the_reference() {
    let ascii: String = (0u8..0x80).map(char::from).collect();
    for s in [
        ascii.as_str(),
        "",
        "plain",
        "&",
        "a&b<c>d\"e'f\ng\rh\ti",
        "é日本😀&é<😀",
        "\u{1}x\u{1f}\u{7f}\\",
    ] {
        let (mut a, mut t, mut j) = (String::new(), String::new(), String::new());
        escape_into(&mut a, s);
        escape_text_into(&mut t, s);
        json_str(&mut j, s);
        assert_eq!(a, reference(s, true), "{s:?}");
        assert_eq!(t, reference(s, false), "{s:?}");
        assert_eq!(j, reference_json(s), "{s:?}");
    }
}

#[test]
fn timestamps_match_chrono() {
    let chrono_ts = |d: &DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut stamps: Vec<DateTime<Utc>> = [
        -62_135_596_800i64, // 0001-01-01
        -30_610_224_000,    // 1000-01-01
        0,
        951_782_400, // 2000-02-29
        1_700_000_000,
        253_402_300_799, // 9999-12-31T23:59:59
        253_402_300_800, // 10000-01-01: chrono's signed spelling
        -62_198_755_200, // year -1
    ]
    .into_iter()
    .map(|t| DateTime::from_timestamp(t, 0).unwrap())
    .collect();
    stamps.extend((0..2000).map(|i| DateTime::from_timestamp(i * 7_919_993 + 17, 0).unwrap()));
    // A leap second (nanoseconds past one second) is spelt :60.
    stamps.push(DateTime::from_timestamp(1_483_228_799, 1_500_000_000).unwrap());
    for d in &stamps {
        let mut s = String::new();
        ts_into(&mut s, d);
        assert_eq!(s, chrono_ts(d), "{d:?}");
    }
}

/// An item written lone and added raw reads the same as one written in
/// place, in both formats, first and later in a list.
#[test]
fn raw_items_equal_items_written_in_place() {
    for fmt in [Fmt::Xml, Fmt::Json] {
        let write = |e: &mut Elem<'_>| {
            e.attr("id", "a\"b").num_attr("n", 7);
        };
        let mut direct = String::new();
        {
            let mut doc = Elem::document(&mut direct, fmt, "3.21");
            let mut list = doc.child("users");
            write(&mut list.item("user"));
            write(&mut list.item("user"));
        }
        let mut piece = String::new();
        write(&mut Elem::lone(&mut piece, fmt, "user"));
        let mut raw = String::new();
        {
            let mut doc = Elem::document(&mut raw, fmt, "3.21");
            let mut list = doc.child("users");
            list.raw_item("user", &[&piece]);
            list.raw_item("user", &[&piece[..3], &piece[3..]]);
        }
        assert_eq!(raw, direct);
    }
}
