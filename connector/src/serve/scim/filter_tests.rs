//! Filters and paths as identity providers write them, and the errors of
//! malformed ones.

use serde_json::json;

use super::*;

/// `text` as a path: `[urn:...:]name[.sub]`.
fn path(text: &str) -> AttrPath {
    let (schema, rest) = match text.rfind(':') {
        Some(i) => (Some(text[..i].to_owned()), &text[i + 1..]),
        None => (None, text),
    };
    let (name, sub) = match rest.split_once('.') {
        Some((n, s)) => (n.to_owned(), Some(s.to_owned())),
        None => (rest.to_owned(), None),
    };
    AttrPath { schema, name, sub }
}

fn cmp(p: &str, op: CompareOp, value: Value) -> Filter {
    Filter::Compare {
        path: path(p),
        op,
        value,
    }
}

fn and(a: Filter, b: Filter) -> Filter {
    Filter::And(Box::new(a), Box::new(b))
}

fn or(a: Filter, b: Filter) -> Filter {
    Filter::Or(Box::new(a), Box::new(b))
}

fn not(a: Filter) -> Filter {
    Filter::Not(Box::new(a))
}

#[test]
fn filters_parse_into_their_trees() {
    use CompareOp::*;
    let table = [
        (
            r#"userName eq "bjensen""#,
            cmp("userName", Eq, json!("bjensen")),
        ),
        (
            r#"userName Eq "bjensen""#,
            cmp("userName", Eq, json!("bjensen")),
        ),
        (r#"USERNAME EQ "b""#, cmp("USERNAME", Eq, json!("b"))),
        (
            r#"name.familyName co "O'Malley""#,
            cmp("name.familyName", Co, json!("O'Malley")),
        ),
        (r#"userName sw "J""#, cmp("userName", Sw, json!("J"))),
        (
            r#"emails.value ew "@example.com""#,
            cmp("emails.value", Ew, json!("@example.com")),
        ),
        ("title pr", Filter::Present(path("title"))),
        ("title PR", Filter::Present(path("title"))),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            cmp(
                "urn:ietf:params:scim:schemas:core:2.0:User:userName",
                Sw,
                json!("J"),
            ),
        ),
        (
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7""#,
            cmp(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                Eq,
                json!("7"),
            ),
        ),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "B""#,
            cmp(
                "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName",
                Eq,
                json!("B"),
            ),
        ),
        (
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            cmp("meta.lastModified", Gt, json!("2011-05-13T04:42:34Z")),
        ),
        (
            r#"meta.lastModified ge "x""#,
            cmp("meta.lastModified", Ge, json!("x")),
        ),
        ("ownedContent lt 5", cmp("ownedContent", Lt, json!(5))),
        (
            "ownedContent le -2.5e1",
            cmp("ownedContent", Le, json!(-25.0)),
        ),
        ("active eq true", cmp("active", Eq, json!(true))),
        ("active ne False", cmp("active", Ne, json!(false))),
        ("title eq null", cmp("title", Eq, json!(null))),
        (
            r#"members[value eq "u1"]"#,
            Filter::ValuePath {
                path: path("members"),
                filter: Box::new(cmp("value", Eq, json!("u1"))),
            },
        ),
        (r#"$ref eq "x""#, cmp("$ref", Eq, json!("x"))),
        (
            r#"displayName eq "say \"hi\"\n\u00e9""#,
            cmp("displayName", Eq, json!("say \"hi\"\né")),
        ),
        ("  userName   eq\t\"a\"  ", cmp("userName", Eq, json!("a"))),
    ];
    for (text, expected) in table {
        assert_eq!(parse_filter(text).unwrap(), expected, "{text}");
    }
}

#[test]
fn not_binds_tighter_than_and_and_and_tighter_than_or() {
    use CompareOp::*;
    let a = || cmp("a", Eq, json!("1"));
    let b = || cmp("b", Eq, json!("2"));
    let c = || cmp("c", Eq, json!("3"));
    let table = [
        (
            r#"a eq "1" or b eq "2" and c eq "3""#,
            or(a(), and(b(), c())),
        ),
        (
            r#"a eq "1" and b eq "2" or c eq "3""#,
            or(and(a(), b()), c()),
        ),
        (
            r#"(a eq "1" or b eq "2") and c eq "3""#,
            and(or(a(), b()), c()),
        ),
        (
            r#"a eq "1" and b eq "2" and c eq "3""#,
            and(and(a(), b()), c()),
        ),
        (r#"a eq "1" or b eq "2" or c eq "3""#, or(or(a(), b()), c())),
        (r#"not (a eq "1") and b eq "2""#, and(not(a()), b())),
        (r#"not(a eq "1" or b eq "2")"#, not(or(a(), b()))),
        (r#"NOT a eq "1" OR b eq "2""#, or(not(a()), b())),
        (r#"not not (a eq "1")"#, not(not(a()))),
        (r#"((a eq "1"))"#, a()),
    ];
    for (text, expected) in table {
        assert_eq!(parse_filter(text).unwrap(), expected, "{text}");
    }
}

#[test]
fn value_paths_hold_their_own_boolean_filters() {
    let parsed = parse_filter(
        r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
    )
    .unwrap();
    let expected = and(
        cmp("userType", CompareOp::Eq, json!("Employee")),
        Filter::ValuePath {
            path: path("emails"),
            filter: Box::new(and(
                cmp("type", CompareOp::Eq, json!("work")),
                cmp("value", CompareOp::Co, json!("@example.com")),
            )),
        },
    );
    assert_eq!(parsed, expected);
}

#[test]
fn keywords_are_whole_words_so_attributes_may_begin_with_them() {
    let parsed = parse_filter(r#"order eq "1" and notes pr and android pr"#).unwrap();
    assert_eq!(
        parsed,
        and(
            and(
                cmp("order", CompareOp::Eq, json!("1")),
                Filter::Present(path("notes"))
            ),
            Filter::Present(path("android"))
        )
    );
}

#[test]
fn malformed_filters_name_the_place_and_what_was_expected() {
    let table = [
        (
            "",
            "character 1: expected an attribute name, found the end of the filter",
        ),
        ("userName", "character 9: expected an operator"),
        (
            r#"userName equals "a""#,
            "character 10: expected an operator",
        ),
        ("userName eq", "character 12: expected a value"),
        ("userName eq bjensen", "character 13: expected a value"),
        (
            r#"userName eq "bjensen"#,
            "character 13: expected a string closed by",
        ),
        (
            r#"userName eq "a\q""#,
            "character 13: expected a JSON string",
        ),
        ("count eq 1.2.3", "character 10: expected a number"),
        (
            r#"userName eq "a" userName"#,
            "character 17: expected `and`, `or` or the end",
        ),
        (
            r#"(userName eq "a""#,
            "character 17: expected `)`, `and` or `or`",
        ),
        (
            r#"emails[type eq "work""#,
            "character 22: expected `]`, `and` or `or`",
        ),
        (r#"emails[value[type eq "a"]]"#, "value filters do not nest"),
        (r#"emails.type[value eq "a"]"#, "not a sub-attribute"),
        (
            r#"userName eq "a" and"#,
            "character 20: expected an attribute name",
        ),
        (
            r#"1userName eq "a""#,
            "character 1: expected an attribute name",
        ),
        (
            r#"name.given.x eq "a""#,
            "character 6: expected a sub-attribute name",
        ),
        (
            r#"foo:bar eq "a""#,
            "character 1: expected an attribute name or a schema URN",
        ),
        (r#"userName eq "a" )"#, "character 17"),
    ];
    for (text, expected) in table {
        let e = parse_filter(text).unwrap_err();
        assert_eq!(e.scim_type, Some(ScimType::InvalidFilter), "{text}");
        assert_eq!(e.status.as_u16(), 400);
        assert!(
            e.detail.contains(expected),
            "{text}: {:?} lacks {expected:?}",
            e.detail
        );
    }
}

#[test]
fn positions_count_characters_not_bytes() {
    let e = parse_filter(r#"displayName eq "é" x"#).unwrap_err();
    assert!(e.detail.contains("character 20"), "{}", e.detail);
}

#[test]
fn length_and_depth_are_capped() {
    let long = format!(r#"userName eq "{}""#, "a".repeat(MAX_FILTER_LEN));
    let e = parse_filter(&long).unwrap_err();
    assert!(e.detail.contains("longer than 4096 bytes"), "{}", e.detail);

    let nested = |depth: usize| {
        format!(
            r#"{}userName eq "a"{}"#,
            "(".repeat(depth),
            ")".repeat(depth)
        )
    };
    assert!(parse_filter(&nested(MAX_DEPTH)).is_ok());
    let e = parse_filter(&nested(MAX_DEPTH + 1)).unwrap_err();
    assert!(e.detail.contains("at most 32 levels"), "{}", e.detail);
    let nots = format!(r#"{}userName pr"#, "not ".repeat(MAX_DEPTH + 1));
    assert!(parse_filter(&nots).is_err());
}

#[test]
fn patch_paths_parse_with_filters_and_trailing_sub_attributes() {
    let table = [
        ("active", path("active"), None),
        ("name.formatted", path("name.formatted"), None),
        (
            "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole",
            path("urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole"),
            None,
        ),
        (
            r#"emails[type eq "work"].value"#,
            path("emails.value"),
            Some(cmp("type", CompareOp::Eq, json!("work"))),
        ),
        (
            r#"members[value eq "u1"]"#,
            path("members"),
            Some(cmp("value", CompareOp::Eq, json!("u1"))),
        ),
    ];
    for (text, attr, filter) in table {
        assert_eq!(
            parse_path(text).unwrap(),
            PatchPath { attr, filter },
            "{text}"
        );
    }
}

#[test]
fn malformed_paths_are_invalid_path() {
    for (text, expected) in [
        ("", "expected an attribute name"),
        ("emails[type eq \"work\"].", "expected a sub-attribute name"),
        ("emails[type eq \"work\"]x", "expected the end of the path"),
        ("active eq true", "expected the end of the path"),
        ("emails[type eq]", "expected a value"),
    ] {
        let e = parse_path(text).unwrap_err();
        assert_eq!(e.scim_type, Some(ScimType::InvalidPath), "{text}");
        assert!(e.detail.contains("invalid path"), "{}", e.detail);
        assert!(e.detail.contains(expected), "{text}: {}", e.detail);
    }
}
