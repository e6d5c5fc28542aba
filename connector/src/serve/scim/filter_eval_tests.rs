//! Filters evaluated against a rendered user and group.

use serde_json::json;

use super::*;
use crate::serve::scim::filter::parse_filter;
use crate::serve::scim::ScimType;

fn user() -> Value {
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User"
        ],
        "id": "AbC-1",
        "externalId": "Ext-9",
        "userName": "Alice@Example.com",
        "name": {"formatted": "Alice Cook"},
        "displayName": "Alice Cook",
        "emails": [
            {"value": "alice@example.com", "type": "work", "primary": true},
            {"value": "alice@home.example", "type": "home"}
        ],
        "active": true,
        "title": "",
        "nickName": null,
        "groups": [{"value": "G1", "display": "Finance"}],
        "meta": {
            "resourceType": "User",
            "created": "2026-01-01T00:00:00Z",
            "lastModified": "2026-03-01T12:00:00+01:00",
            "version": "W/\"A1\""
        },
        "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User": {
            "siteRole": "Creator",
            "ownedContent": 12,
            "lastLogin": "2026-02-01T08:00:00Z"
        }
    })
}

fn eval(text: &str) -> Result<bool, ScimError> {
    matches(&parse_filter(text).unwrap(), &user(), &default_case_exact)
}

#[test]
fn filters_match_the_user_as_rfc_7644_says() {
    let table = [
        // Case-insensitive names and values.
        (r#"userName eq "alice@example.com""#, true),
        (r#"USERNAME eq "ALICE@EXAMPLE.COM""#, true),
        (r#"userName ne "alice@example.com""#, false),
        (r#"userName co "EXAMPLE""#, true),
        (r#"userName sw "alice@""#, true),
        (r#"userName ew ".COM""#, true),
        (r#"userName ew ".org""#, false),
        // Case-exact attributes.
        (r#"id eq "AbC-1""#, true),
        (r#"id eq "abc-1""#, false),
        (r#"externalId eq "ext-9""#, false),
        (r#"externalId sw "Ext""#, true),
        (r#"meta.version eq "w/\"a1\"""#, false),
        (r#"groups.value eq "g1""#, false),
        (r#"groups.display eq "finance""#, true),
        // Sub-attributes and multi-valued attributes: any value.
        (r#"name.formatted eq "alice cook""#, true),
        (r#"emails.value eq "alice@home.example""#, true),
        (r#"emails.type eq "home""#, true),
        (r#"emails eq "alice@example.com""#, true),
        (r#"emails co "nowhere""#, false),
        (
            r#"emails[type eq "work" and value co "@example.com"]"#,
            true,
        ),
        (
            r#"emails[type eq "home" and value co "@example.com"]"#,
            false,
        ),
        (r#"emails[primary eq true]"#, true),
        (r#"emails[not (primary pr)]"#, true),
        // Presence.
        ("title pr", false),
        ("nickName pr", false),
        ("displayName pr", true),
        ("emails pr", true),
        ("missing pr", false),
        ("name pr", true),
        // Booleans, numbers, null.
        ("active eq true", true),
        ("active eq false", false),
        ("active ne false", true),
        (r#"active eq "true""#, false),
        ("nickName eq null", true),
        ("displayName eq null", false),
        ("displayName ne null", true),
        // Absent attributes equal nothing.
        (r#"missing eq "x""#, false),
        (r#"missing ne "x""#, true),
        (r#"missing gt "x""#, false),
        // Schema-prefixed paths.
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "alice""#,
            true,
        ),
        (
            r#"urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:siteRole eq "creator""#,
            true,
        ),
        (
            r#"URN:TABGOV:params:scim:schemas:extension:tableau:2.0:user:SITEROLE eq "Creator""#,
            true,
        ),
        (
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:siteRole eq "Creator""#,
            false,
        ),
        (r#"siteRole eq "Creator""#, false),
        (
            "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:ownedContent gt 11",
            true,
        ),
        (
            "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:ownedContent ge 12.0",
            true,
        ),
        (
            "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:ownedContent lt 12",
            false,
        ),
        (
            "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:ownedContent le 12",
            true,
        ),
        // dateTimes compare as instants, whatever their offsets.
        (r#"meta.lastModified gt "2026-03-01T11:30:00Z""#, false),
        (r#"meta.lastModified lt "2026-03-01T11:30:00Z""#, true),
        (r#"meta.lastModified eq "2026-03-01T11:00:00Z""#, true),
        (r#"meta.created ge "2026-01-01T00:00:00.000Z""#, true),
        // Other strings by order, folded.
        (r#"userName gt "ALICE""#, true),
        (r#"userName lt "b""#, true),
        // Boolean operators.
        (r#"userName sw "a" and active eq true"#, true),
        (r#"userName sw "b" or active eq true"#, true),
        (r#"not (userName sw "a")"#, false),
        (
            r#"userName sw "b" or not (active eq false) and title pr"#,
            false,
        ),
        // Mismatched types never equal.
        (
            r#"urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:ownedContent eq "12""#,
            false,
        ),
        (
            r#"urn:tabgov:params:scim:schemas:extension:tableau:2.0:User:ownedContent ne "12""#,
            true,
        ),
    ];
    for (text, expected) in table {
        assert_eq!(eval(text).unwrap(), expected, "{text}");
    }
}

#[test]
fn meaningless_comparisons_are_invalid_filter() {
    for text in [
        "active gt true",
        r#"active gt "a""#,
        "active le false",
        "ownedContent co 1",
        "active sw true",
        r#"title gt null"#,
        r#"emails[type eq "work" and primary lt true]"#,
    ] {
        let e = eval(text).unwrap_err();
        assert_eq!(e.scim_type, Some(ScimType::InvalidFilter), "{text}");
    }
}

#[test]
fn a_custom_case_exact_predicate_is_honoured() {
    let f = parse_filter(r#"userName eq "alice@example.com""#).unwrap();
    assert!(!matches(&f, &user(), &|name: &str| name == "username").unwrap());
    assert!(matches(&f, &user(), &|_: &str| false).unwrap());
}

#[test]
fn group_members_match_by_id_exactly() {
    let group = json!({
        "id": "g1",
        "displayName": "Finance",
        "members": [{"value": "U1", "display": "alice"}, {"value": "U2", "display": "bob"}]
    });
    let table = [
        (r#"members[value eq "U2"]"#, true),
        (r#"members[value eq "u2"]"#, false),
        (r#"members.value eq "U1""#, true),
        (r#"members eq "U1""#, true),
        (r#"members.display eq "BOB""#, true),
        (r#"displayName eq "finance""#, true),
    ];
    for (text, expected) in table {
        let f = parse_filter(text).unwrap();
        assert_eq!(
            matches(&f, &group, &default_case_exact).unwrap(),
            expected,
            "{text}"
        );
    }
}

#[test]
fn simple_equalities_are_recognised_for_push_down() {
    let table = [
        (r#"userName eq "bjensen""#, Some(("userName", "bjensen"))),
        (r#"externalId EQ "e1""#, Some(("externalId", "e1"))),
        (
            r#"urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "G""#,
            Some(("displayName", "G")),
        ),
        (r#"userName ne "bjensen""#, None),
        ("active eq true", None),
        (r#"name.formatted eq "x""#, None),
        (r#"userName eq "a" and active eq true"#, None),
        (r#"emails[value eq "a"]"#, None),
    ];
    for (text, expected) in table {
        let f = parse_filter(text).unwrap();
        let got = simple_equality(&f).map(|(path, value)| (path.name.as_str(), value));
        assert_eq!(got, expected, "{text}");
    }
    let f = parse_filter(r#"urn:x:y:userName eq "a""#).unwrap();
    let (path, _) = simple_equality(&f).unwrap();
    assert!(
        !path.is_attr("userName"),
        "an extension's attribute is not the core one"
    );
}

#[test]
fn case_exact_defaults_cover_ids_and_references() {
    for name in [
        "id",
        "externalid",
        "meta.version",
        "members.value",
        "groups.value",
        "groups.$ref",
    ] {
        assert!(default_case_exact(name), "{name}");
    }
    for name in ["username", "displayname", "emails.value", "members.display"] {
        assert!(!default_case_exact(name), "{name}");
    }
}
