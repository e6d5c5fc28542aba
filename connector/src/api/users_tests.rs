//! Unit tests of the users requests and decoders.

use super::*;
use crate::api::request::Method;

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const PAGE: PageRequest = PageRequest {
    number: 3,
    size: 500,
};

#[test]
fn builds_requests() {
    let r = list_users(&SiteLuid::new("s1"), PAGE);
    assert_eq!((r.method, r.path.as_str()), (Method::Get, "sites/s1/users"));
    assert_eq!(
        r.query,
        q(&[
            ("pageSize", "500"),
            ("pageNumber", "3"),
            ("fields", "_all_")
        ])
    );
    let r = find_user_by_name(&SiteLuid::new("s1"), "a.b@x");
    assert_eq!(r.path, "sites/s1/users");
    assert_eq!(
        r.query,
        q(&[("filter", "name:eq:a.b@x"), ("fields", "_all_")])
    );
    let r = get_user(&SiteLuid::new("s1"), &"u1".into());
    assert_eq!(
        (r.method, r.path.as_str(), r.query.len()),
        (Method::Get, "sites/s1/users/u1", 0)
    );
    let r = update_site_role(&SiteLuid::new("s1"), &"u1".into(), &SiteRole::Viewer);
    assert_eq!(
        (r.method, r.path.as_str()),
        (Method::Put, "sites/s1/users/u1")
    );
    assert_eq!(
        r.body.as_deref(),
        Some("<tsRequest><user siteRole=\"Viewer\"/></tsRequest>")
    );
    assert!(r.retry_safe);
    let r = update_site_role(&SiteLuid::new("s1"), &"u1".into(), &SiteRole::parse("A\"&"));
    assert_eq!(
        r.body.as_deref(),
        Some("<tsRequest><user siteRole=\"A&quot;&amp;\"/></tsRequest>")
    );
    let r = remove_user(&SiteLuid::new("s1"), &"u1".into(), None);
    assert_eq!(
        (r.method, r.path.as_str(), r.query.len()),
        (Method::Delete, "sites/s1/users/u1", 0)
    );
    let r = remove_user(&SiteLuid::new("s1"), &"u1".into(), Some(&"u2".into()));
    assert_eq!(r.query, q(&[("mapAssetsTo", "u2")]));
    let r = groups_of_user(&SiteLuid::new("s1"), &"u1".into(), PAGE);
    assert_eq!(r.path, "sites/s1/users/u1/groups");
    assert_eq!(r.query, q(&[("pageSize", "500"), ("pageNumber", "3")]));
    let r = owned_workbooks(&SiteLuid::new("s1"), &"u1".into(), PAGE);
    assert_eq!(r.path, "sites/s1/users/u1/workbooks");
    assert_eq!(
        r.query,
        q(&[
            ("pageSize", "500"),
            ("pageNumber", "3"),
            ("ownedBy", "true")
        ])
    );
    let r = owned_flows(&SiteLuid::new("s1"), &"u1".into(), PAGE);
    assert_eq!(r.path, "sites/s1/users/u1/flows");
    assert_eq!(
        r.query,
        q(&[
            ("pageSize", "500"),
            ("pageNumber", "3"),
            ("isOwner", "true")
        ])
    );
    for r in [
        list_users(&SiteLuid::new("s"), PAGE),
        get_user(&SiteLuid::new("s"), &"u".into()),
        owned_flows(&SiteLuid::new("s"), &"u".into(), PAGE),
    ] {
        assert!(r.body.is_none() && r.retry_safe);
    }
}

fn one(user: &str) -> Result<Account> {
    decode_user(format!("<tsResponse>{user}</tsResponse>").as_bytes())
}

#[test]
fn decodes_optional_parts_and_names_missing_ones() {
    let a = one(r#"<user id="i" name="n &amp; m" siteRole="Brand&lt;New"/>"#).unwrap();
    assert_eq!(a.name, "n & m");
    assert_eq!(a.site_role, SiteRole::Other("Brand<New".into()));
    assert_eq!(
        (a.email, a.full_name, a.last_login, a.auth_setting, a.domain),
        (None, None, None, None, None)
    );
    let a = one(r#"<user id="i" name="n" siteRole="Viewer" lastLogin="2024-02-29T10:00:00+02:00" email=""><domain name="corp"/></user>"#).unwrap();
    assert_eq!(a.last_login, Some("2024-02-29T08:00:00Z".parse().unwrap()));
    assert_eq!(a.email, None);
    assert_eq!(a.domain.as_deref(), Some("corp"));
    for attr in ["id", "name", "siteRole"] {
        let user =
            r#"<user id="i" name="n" siteRole="Viewer"/>"#.replace(&format!(" {attr}="), " other=");
        let e = one(&user).unwrap_err().to_string();
        assert!(
            e.contains(&format!("tsResponse/user: missing attribute {attr}")),
            "{e}"
        );
    }
    let e = one(r#"<user id="i" name="n" siteRole="Viewer" lastLogin="yesterday"/>"#).unwrap_err();
    assert!(e.to_string().contains("lastLogin"), "{e}");
}

#[test]
fn reads_identity_provider_and_language() {
    let body = br#"<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="2"/><users>
        <user id="a" name="ann" siteRole="Viewer" authSetting="" idpConfigurationId="idp-7" externalAuthUserId="00u9" language="fr" locale="fr_FR"><domain name="local"/></user>
        <user id="b" name="bo" siteRole="Viewer" externalAuthUserId="" language=""/>
    </users></tsResponse>"#;
    let page = decode_users(body).unwrap();
    assert_eq!(
        *page.items[0].identity,
        SignInIdentity {
            idp_configuration_id: Some("idp-7".into()),
            external_auth_user_id: Some("00u9".into()),
            language: Some("fr".into()),
            locale: Some("fr_FR".into()),
        }
    );
    assert_eq!(*page.items[1].identity, SignInIdentity::default());
    assert_eq!(decode_users_tree(body).unwrap(), page);
}

#[test]
fn updated_user_needs_its_site_role() {
    let u = decode_updated_user(b"<tsResponse><user name=\"c\" siteRole=\"Viewer\"/></tsResponse>")
        .unwrap();
    assert_eq!(
        u,
        UpdatedUser {
            name: Some("c".into()),
            full_name: None,
            email: None,
            site_role: SiteRole::Viewer
        }
    );
    let e = decode_updated_user(b"<tsResponse><user name=\"c\"/></tsResponse>").unwrap_err();
    assert!(e.to_string().contains("missing attribute siteRole"));
}

#[test]
fn builds_provisioning_requests() {
    let site = SiteLuid::new("s1");
    let r = add_user(&site, "ann@x.org", &SiteRole::Viewer, None);
    assert_eq!(
        (r.method, r.path.as_str()),
        (Method::Post, "sites/s1/users")
    );
    assert_eq!(
        r.body.as_deref(),
        Some("<tsRequest><user name=\"ann@x.org\" siteRole=\"Viewer\"/></tsRequest>")
    );
    assert!(!r.retry_safe, "a repeat that went through answers 409");
    let r = add_user(&site, "a&b", &SiteRole::Creator, Some("SAML"));
    assert_eq!(
        r.body.as_deref(),
        Some("<tsRequest><user name=\"a&amp;b\" siteRole=\"Creator\" authSetting=\"SAML\"/></tsRequest>")
    );
    let all = UserAttributes {
        full_name: Some("Ann \"A\" Lee"),
        email: Some("ann@x.org"),
        site_role: Some(&SiteRole::Explorer),
    };
    let r = update_user(&site, &"u1".into(), &all);
    assert_eq!(
        (r.method, r.path.as_str()),
        (Method::Put, "sites/s1/users/u1")
    );
    assert_eq!(
        r.body.as_deref(),
        Some("<tsRequest><user fullName=\"Ann &quot;A&quot; Lee\" email=\"ann@x.org\" siteRole=\"Explorer\"/></tsRequest>")
    );
    assert!(r.retry_safe);
    let email = UserAttributes {
        email: Some("b@x.org"),
        ..UserAttributes::default()
    };
    assert!(!email.is_empty() && UserAttributes::default().is_empty());
    assert_eq!(
        update_user(&site, &"u1".into(), &email).body.as_deref(),
        Some("<tsRequest><user email=\"b@x.org\"/></tsRequest>")
    );
}

#[test]
fn decodes_an_added_user_and_an_updated_one() {
    // Add User to Site's answer (tableauserverclient's recorded user_add.xml).
    let added = decode_user(br#"<?xml version='1.0' encoding='UTF-8'?>
<tsResponse xmlns="http://tableau.com/api"><user id="4cc4c17f-898a-4de4-abed-a1681c673ced" name="Cassie" siteRole="Viewer" authSetting="ServerDefault" externalAuthUserId="" /></tsResponse>"#).unwrap();
    assert_eq!(added.id.as_str(), "4cc4c17f-898a-4de4-abed-a1681c673ced");
    assert_eq!(
        (
            added.name.as_str(),
            &added.site_role,
            added.auth_setting.as_deref()
        ),
        ("Cassie", &SiteRole::Viewer, Some("ServerDefault"))
    );
    let body = br#"<tsResponse><user name="Cassie" fullName="Cassie L" email="c@x.org" siteRole="Viewer"/></tsResponse>"#;
    let u = decode_updated_user(body).unwrap();
    assert_eq!(
        (u.full_name.as_deref(), u.email.as_deref()),
        (Some("Cassie L"), Some("c@x.org"))
    );
    assert_eq!(decode_updated_user_tree(body).unwrap(), u);
}
