//! Users rendered from records, and User bodies as identity providers send
//! them.

use serde_json::json;
use tabgov_mapping::{Account, OwnedContent};
use tabgov_state::SiteKey;

use super::*;
use crate::serve::scim::ScimType;

const BASE: &str = "https://tabgov.example.com/scim/v2/finance";

fn record(status: AccountStatus, role: SiteRole) -> AccountRecord {
    AccountRecord {
        site: "finance".into(),
        account: Account {
            email: Some("alice@example.com".into()),
            full_name: Some("Alice Cook".into()),
            last_login: Some("2026-02-01T08:00:00Z".parse().unwrap()),
            ..Account::for_test("9f9e-u1", "alice", role.clone())
        },
        license: role.license(),
        status,
        groups: vec!["Finance".into()],
        owned: OwnedContent {
            workbooks: 3,
            flows: 1,
            ..OwnedContent::default()
        },
        first_seen: "2026-01-01T00:00:00Z".parse().unwrap(),
        last_seen: Some("2026-03-01T00:00:00.250Z".parse().unwrap()),
        deprovisioned_at: None,
        site_key: SiteKey(1),
        updated_run_id: None,
    }
}

#[test]
fn a_user_renders_every_attribute_tabgov_knows() {
    let groups = [(GroupId::from("g1"), "Finance".to_owned())];
    let user = render_user(
        &record(AccountStatus::Active, SiteRole::Creator),
        Some("00u1okta"),
        &groups,
        BASE,
    );
    assert_eq!(
        user,
        json!({
            "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User"
            ],
            "id": "9f9e-u1",
            "externalId": "00u1okta",
            "userName": "alice",
            "name": {"formatted": "Alice Cook"},
            "displayName": "Alice Cook",
            "emails": [{"value": "alice@example.com", "type": "work"}],
            "active": true,
            "groups": [{
                "value": "g1",
                "display": "Finance",
                "$ref": "https://tabgov.example.com/scim/v2/finance/Groups/g1",
                "type": "direct"
            }],
            "meta": {
                "resourceType": "User",
                "created": "2026-01-01T00:00:00Z",
                "lastModified": "2026-03-01T00:00:00Z",
                "location": "https://tabgov.example.com/scim/v2/finance/Users/9f9e-u1"
            },
            "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User": {
                "siteRole": "Creator",
                "license": "Creator",
                "status": "Active",
                "lastLogin": "2026-02-01T08:00:00Z",
                "ownedContent": 4
            }
        })
    );
}

#[test]
fn active_follows_the_status() {
    let table = [
        (AccountStatus::Active, SiteRole::Viewer, true),
        (AccountStatus::Suspended, SiteRole::Unlicensed, false),
        (AccountStatus::Deprovisioned, SiteRole::Viewer, false),
    ];
    for (status, role, active) in table {
        let user = render_user(&record(status, role), None, &[], BASE);
        assert_eq!(user["active"], active, "{status}");
        assert_eq!(
            user[TABLEAU_USER_SCHEMA]["status"],
            status.as_str(),
            "{status}"
        );
    }
}

#[test]
fn absent_attributes_are_left_out() {
    let mut bare = record(AccountStatus::Active, SiteRole::Viewer);
    bare.account.email = None;
    bare.account.full_name = Some(String::new());
    bare.account.last_login = None;
    bare.last_seen = None;
    let user = render_user(&bare, None, &[], BASE);
    let fields = user.as_object().unwrap();
    for absent in ["externalId", "name", "displayName", "emails", "groups"] {
        assert!(!fields.contains_key(absent), "{absent}");
    }
    assert!(user[TABLEAU_USER_SCHEMA].get("lastLogin").is_none());
    assert_eq!(user["meta"]["lastModified"], "2026-01-01T00:00:00Z");
    bare.deprovisioned_at = Some("2026-04-01T00:00:00Z".parse().unwrap());
    let user = render_user(&bare, None, &[], BASE);
    assert_eq!(user["meta"]["lastModified"], "2026-04-01T00:00:00Z");
}

#[test]
fn user_bodies_are_read_as_idps_send_them() {
    let okta = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "alice@example.com",
        "name": {"givenName": "Alice", "familyName": "Cook"},
        "emails": [{"primary": true, "value": "alice@example.com", "type": "work"}],
        "displayName": "Alice Cook",
        "locale": "en-US",
        "externalId": "00u1okta",
        "groups": [],
        "password": "never-kept",
        "active": true
    });
    let entra = json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "externalId": "alice",
        "userName": "alice@contoso.com",
        "active": "False",
        "emails": [
            {"type": "home", "value": "alice@home.example"},
            {"primary": "True", "type": "work", "value": "alice@contoso.com"}
        ],
        "name": {"formatted": "Alice Cook", "familyName": "Cook", "givenName": "Alice"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Finance"},
        "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User": {"siteRole": "explorer"}
    });
    let minimal = json!({"userName": "bob"});
    let table = [
        (
            okta,
            NewUser {
                user_name: "alice@example.com".into(),
                display_name: Some("Alice Cook".into()),
                email: Some("alice@example.com".into()),
                active: true,
                site_role: None,
                external_id: Some("00u1okta".into()),
            },
        ),
        (
            entra,
            NewUser {
                user_name: "alice@contoso.com".into(),
                display_name: Some("Alice Cook".into()),
                email: Some("alice@contoso.com".into()),
                active: false,
                site_role: Some(SiteRole::Explorer),
                external_id: Some("alice".into()),
            },
        ),
        (
            minimal,
            NewUser {
                user_name: "bob".into(),
                display_name: None,
                email: None,
                active: true,
                site_role: None,
                external_id: None,
            },
        ),
    ];
    for (body, expected) in table {
        assert_eq!(parse_new_user(&body).unwrap(), expected, "{body}");
    }
}

#[test]
fn names_are_composed_when_not_formatted() {
    let table = [
        (
            json!({"userName": "a", "name": {"givenName": "Ann", "familyName": "Lee"}}),
            Some("Ann Lee"),
        ),
        (
            json!({"userName": "a", "name": {"familyName": "Lee"}}),
            Some("Lee"),
        ),
        (json!({"userName": "a", "name": {}}), None),
        (
            json!({"userName": "a", "displayName": "", "name": {"formatted": "F"}}),
            Some("F"),
        ),
    ];
    for (body, expected) in table {
        let user = parse_new_user(&body).unwrap();
        assert_eq!(user.display_name.as_deref(), expected, "{body}");
    }
}

#[test]
fn bad_user_bodies_are_refused_with_their_type() {
    let table = [
        (json!([]), ScimType::InvalidSyntax, "JSON object"),
        (
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "userName": "a"}),
            ScimType::InvalidSyntax,
            "schemas",
        ),
        (
            json!({"displayName": "A"}),
            ScimType::InvalidValue,
            "userName is required",
        ),
        (
            json!({"userName": " "}),
            ScimType::InvalidValue,
            "userName is required",
        ),
        (
            json!({"userName": 7}),
            ScimType::InvalidValue,
            "userName must be a string",
        ),
        (
            json!({"userName": "a", "active": "yes"}),
            ScimType::InvalidValue,
            "active",
        ),
        (
            json!({"userName": "a", "emails": "a@x"}),
            ScimType::InvalidValue,
            "emails",
        ),
        (
            json!({"userName": "a", "emails": [{"value": 1}]}),
            ScimType::InvalidValue,
            "emails.value",
        ),
        (
            json!({"userName": "a", "name": "Ann"}),
            ScimType::InvalidValue,
            "name must be an object",
        ),
        (
            json!({"userName": "a", "name": {"givenName": 1}}),
            ScimType::InvalidValue,
            "name.givenName",
        ),
        (
            json!({"userName": "a", "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User": {"siteRole": "ServerAdministrator"}}),
            ScimType::InvalidValue,
            "unknown siteRole",
        ),
        (
            json!({"userName": "a", "urn:tabgov:params:scim:schemas:extension:tableau:2.0:User": "Creator"}),
            ScimType::InvalidValue,
            "must be an object",
        ),
    ];
    for (body, scim_type, detail) in table {
        let e = parse_new_user(&body).unwrap_err();
        assert_eq!(e.scim_type, Some(scim_type), "{body}");
        assert!(e.detail.contains(detail), "{body}: {}", e.detail);
    }
}
