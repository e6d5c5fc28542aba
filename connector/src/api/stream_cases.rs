//! The streaming list decoders on hand-written edge cases: each must read
//! as the tree decoder does (checked for every list decoder), and as the
//! case says (checked for the decoder it names).

use tabgov_mapping::ContentKind;

use super::tests::assert_agree;
use crate::api::{content, groups, users};

/// A decoder's answer, short: `ok number/size/total [items]` or the error.
fn summary<T>(result: crate::Result<crate::api::Page<T>>, item: impl Fn(&T) -> String) -> String {
    match result {
        Ok(p) => {
            let items: Vec<String> = p.items.iter().map(item).collect();
            let (number, size, total) = (p.number, p.size, p.total_available);
            format!("ok {number}/{size}/{total} [{}]", items.join(" "))
        }
        Err(e) => e.to_string(),
    }
}

fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}

/// What the streaming decoder `decoder` makes of `body`.
fn outcome(decoder: &str, body: &[u8]) -> String {
    match decoder {
        "users" => summary(users::decode_users(body), |a| {
            let domain = a.domain.as_deref().map(|d| format!("@{d}"));
            format!(
                "{}:{}{}",
                a.id,
                a.site_role.as_str(),
                domain.unwrap_or_default()
            )
        }),
        "member_ids" => summary(groups::decode_member_ids(body), ToString::to_string),
        "groups" => summary(groups::decode_groups(body), |g| {
            let role = g.minimum_site_role.as_ref().map(|r| r.as_str());
            let mode = g.grant_license_mode.as_ref().map(|m| m.as_str());
            let domain = or_dash(g.domain.as_deref());
            format!("{}:{}:{}@{domain}", g.id, or_dash(role), or_dash(mode))
        }),
        kind => {
            let kind = ContentKind::parse(kind).unwrap();
            summary(content::decode_content(kind, body), |i| {
                format!("{}>{}", i.id, or_dash(i.owner_id.as_deref()))
            })
        }
    }
}

const PAGE: &str = r#"<pagination pageNumber="1" pageSize="10" totalAvailable="2"/>"#;

/// `<tsResponse>` holding the pagination and `inner`.
fn doc(inner: &str) -> String {
    format!("<tsResponse>{PAGE}{inner}</tsResponse>")
}

fn users_doc(users: &str) -> String {
    doc(&format!("<users>{users}</users>"))
}

const USER: &str = r#"id="a" name="n" siteRole="Viewer""#;

#[test]
fn edge_cases_read_as_the_tree_reads_them() {
    let deep = format!(
        "<user {USER}>{}{}</user>",
        "<x>".repeat(70),
        "</x>".repeat(70)
    );
    let cases: Vec<(&str, String, &str)> = vec![
        ("users", users_doc(&format!(r#"<user {USER}/><user id="b" name="m" siteRole="Brand&lt;New"><domain name="d"/></user>"#)), "ok 1/10/2 [a:Viewer b:Brand<New@d]"),
        // Tableau's error body where a page was expected.
        ("users", r#"<tsResponse xmlns="http://tableau.com/api"><error code="401002"><summary>Unauthorized</summary><detail>x</detail></error></tsResponse>"#.into(), "at tsResponse: missing element pagination"),
        ("member_ids", r#"<tsResponse><error code="404012"/><users/></tsResponse>"#.into(), "at tsResponse: missing element pagination"),
        ("", String::new(), "at document: the body holds no XML element"),
        ("users", "<tsResponse><!-- only --></tsResponse>".into(), "missing element pagination"),
        ("users", format!("<tsRequest>{PAGE}<users/></tsRequest>"), "at tsRequest: the root element is not tsResponse"),
        // Malformed XML anywhere outranks an earlier item's error.
        ("users", doc("<users><user/></users><x>"), "at tsResponse/x: malformed XML at byte"),
        ("users", format!("{}tail", users_doc("")), "at document: malformed XML at byte 105: text outside the root element"),
        ("users", format!("<tsResponse>{PAGE}<users><user id=\"a\""), "at tsResponse/users: malformed XML"),
        ("users", doc(r#"<users><user name="n"/><user id="a" id="b"/></users>"#), "at tsResponse/users: malformed XML"),
        ("users", users_doc(r#"<x a="&bogus;"/>"#), "at tsResponse/users: malformed XML"),
        ("users", users_doc(&deep), "elements nested too deeply"),
        // The first pagination and the first list count, wherever they are.
        ("users", doc(r#"<pagination pageNumber="1" pageSize="1" totalAvailable="1"/><users/>"#).replacen(r#"pageNumber="1""#, r#"pageNumber="x""#, 1), "at tsResponse/pagination: attribute pageNumber is not a number: \"x\""),
        ("users", format!(r#"<tsResponse><users><user {USER}/></users><pagination pageNumber=" 3 " ns0:pageSize="5" pageSize="7" totalAvailable="9"/></tsResponse>"#), "ok 3/5/9 [a:Viewer]"),
        ("users", r#"<tsResponse><pagination pageNumber="1" totalAvailable="9"/><users/></tsResponse>"#.into(), "at tsResponse/pagination: missing attribute pageSize"),
        ("users", r#"<tsResponse><pagination pageNumber="1" pageSize="-1" totalAvailable="9"/><users/></tsResponse>"#.into(), "attribute pageSize is not a number: \"-1\""),
        ("users", doc(&format!(r#"<users><user {USER}/></users><users><user id="b" name="m" siteRole="Viewer"/></users>"#)), "ok 1/10/2 [a:Viewer]"),
        ("users", doc("<groups/>"), "at tsResponse: missing element users"),
        ("users", doc("<x><users/></x>"), "at tsResponse: missing element users"),
        ("users", users_doc(""), "ok 1/10/2 []"),
        ("users", doc("<users/>"), "ok 1/10/2 []"),
        // The first item that fails decides the error.
        ("users", users_doc(r#"<user id="a" name="n" siteRole="Viewer" lastLogin="yesterday"/><user id="b"/>"#), "at tsResponse/users/user: attribute lastLogin is not an RFC 3339 time: \"yesterday\""),
        ("users", users_doc(r#"<user id="a" siteRole="Viewer"/>"#), "at tsResponse/users/user: missing attribute name"),
        // Only the item's first direct <domain> counts; nested items do not.
        ("users", users_doc(r#"<user id="a&amp;b" name="n" siteRole="Viewer"><domain/><domain name="late"/><user id="inner" name="i" siteRole="Viewer"/></user>"#), "ok 1/10/2 [a&b:Viewer]"),
        ("users", users_doc(&format!(r#"<user {USER}><x><domain name="deep"/></x></user><x><user id="stray"/></x>"#)), "ok 1/10/2 [a:Viewer]"),
        ("users", users_doc(&format!(r#"<user {USER}>t&amp;<![CDATA[<c>]]>&#65;<!-- c --><?pi x?></user>"#)), "ok 1/10/2 [a:Viewer]"),
        ("users", r#"<ns0:tsResponse xmlns:ns0="u"><ns0:pagination pageNumber="2" pageSize="1" totalAvailable="3"/><ns0:users><ns0:user xmlns="v" ns0:id="p" id="a" name="n" siteRole="Viewer"><ns0:domain name="d"/></ns0:user></ns0:users></ns0:tsResponse>"#.into(), "ok 2/1/3 [p:Viewer@d]"),
        ("member_ids", users_doc(r#"<user id="a"/><user name="x"/>"#), "at tsResponse/users/user: missing attribute id"),
        ("member_ids", users_doc(r#"<user id=" a "><domain/></user><user id=""/>"#), "ok 1/10/2 [ a  ]"),
        ("groups", doc(r#"<groups><group id="g" name="G"><import/><import siteRole="Creator" grantLicenseMode="onSync"/><domain name="local"/></group></groups>"#), "ok 1/10/2 [g:-:-@local]"),
        ("groups", doc(r#"<groups><group id="g" name="G" minimumSiteRole=""><domain/><domain name="x"/><import siteRole="Explorer" grantLicenseMode="onLogin"/></group></groups>"#), "ok 1/10/2 [g:Explorer:onLogin@-]"),
        ("groups", doc(r#"<groups><group id="g" name="G" minimumSiteRole="Viewer"><import siteRole="Creator" grantLicenseMode="later"/></group></groups>"#), "ok 1/10/2 [g:Creator:later@-]"),
        ("groups", doc(r#"<groups><group id="g" name="G" minimumSiteRole="Viewer"><domain name="local"/></group></groups>"#), "ok 1/10/2 [g:-:-@local]"),
        // The directory a group comes from: <domain name> first, else <import domainName>.
        ("groups", doc(r#"<groups><group id="g" name="G"><import domainName="example.com" siteRole="Viewer" grantLicenseMode="onSync"/><domain/></group></groups>"#), "ok 1/10/2 [g:Viewer:onSync@example.com]"),
        ("groups", doc(r#"<groups><group id="g" name="G"><import domainName="example.com"/><domain name="local"/></group></groups>"#), "ok 1/10/2 [g:-:-@local]"),
        ("groups", doc(r#"<groups><group id="g"/></groups>"#), "at tsResponse/groups/group: missing attribute name"),
        // A bad owner is reported before the item's own missing id.
        ("workbook", doc("<workbooks><workbook><owner/></workbook></workbooks>"), "at tsResponse/workbooks/workbook/owner: missing attribute id"),
        ("workbook", doc("<workbooks><workbook/></workbooks>"), "at tsResponse/workbooks/workbook: missing attribute id"),
        ("workbook", doc(r#"<workbooks><workbook id="w"><owner id="o"/><owner/></workbook><workbook id="x"><tags><owner id="no"/></tags></workbook></workbooks>"#), "ok 1/10/2 [w>o x>-]"),
        ("customView", doc(r#"<customViews><customView id="v"><workbook id="w"/><owner id="o"/><view id="x"/></customView></customViews>"#), "ok 1/10/2 [v>o]"),
        ("dataAlert", doc(r#"<dataAlerts><dataAlert id="a" subject="s"><owner id="o"/><view id="v"><workbook id="w"/></view><recipients><recipient id="r"/></recipients></dataAlert></dataAlerts>"#), "ok 1/10/2 [a>o]"),
        ("flow", doc(r#"<flows><flow id="f"><owner/></flow><flow id="g" name="x" name="y"/></flows>"#), "at tsResponse/flows: malformed XML"),
    ];
    for (decoder, body, expected) in &cases {
        assert_agree(expected, body.as_bytes());
        if !decoder.is_empty() {
            let got = outcome(decoder, body.as_bytes());
            assert!(
                got.contains(expected),
                "{decoder} on {body}:\n got {got}\nwant {expected}"
            );
        }
    }
}

#[test]
fn names_and_values_that_are_not_utf8_are_refused_alike() {
    for body in [
        [
            doc("<users><").as_bytes(),
            &[0xff],
            b"/></users></tsResponse>",
        ]
        .concat(),
        [
            doc("<users><user id=\"").as_bytes(),
            &[0xc3],
            b"\"/></users></tsResponse>",
        ]
        .concat(),
        [
            doc("<users><user ").as_bytes(),
            &[0xff],
            b"=\"1\"/></users></tsResponse>",
        ]
        .concat(),
        [
            doc("<users><user id=\"a\"/>").as_bytes(),
            &[0xff],
            b"</users></tsResponse>",
        ]
        .concat(),
    ] {
        assert_agree("not UTF-8", &body);
        assert!(users::decode_users(&body).is_err(), "{body:?}");
    }
}
