//! The discovery documents: complete, consistent with what is rendered,
//! found by id in any case.

use serde_json::{json, Map};
use tabgov_mapping::{Account, AccountStatus, GroupId, OwnedContent, SiteRole, UserId};
use tabgov_state::{AccountRecord, GroupRecord, SiteKey};

use super::*;
use crate::serve::scim::group_resource::render_group;
use crate::serve::scim::user_resource::render_user;
use crate::serve::scim::values::ASSIGNABLE_ROLES;

const BASE: &str = "https://h/scim/v2/finance";

const CHARACTERISTICS: [&str; 9] = [
    "name",
    "type",
    "multiValued",
    "description",
    "required",
    "caseExact",
    "mutability",
    "returned",
    "uniqueness",
];

/// Every attribute of `attributes`, sub-attributes included, as
/// (dotted name, definition).
fn flatten<'a>(prefix: &str, attributes: &'a Value) -> Vec<(String, &'a Map<String, Value>)> {
    let mut all = Vec::new();
    for def in attributes.as_array().unwrap() {
        let def = def.as_object().unwrap();
        let name = format!("{prefix}{}", def["name"].as_str().unwrap());
        if let Some(sub) = def.get("subAttributes") {
            all.extend(flatten(&format!("{name}."), sub));
        }
        all.push((name, def));
    }
    all
}

#[test]
fn the_service_provider_config_says_what_is_supported() {
    let config = service_provider_config(BASE);
    let table = [
        ("patch", true),
        ("bulk", false),
        ("filter", true),
        ("changePassword", false),
        ("sort", false),
        ("etag", false),
    ];
    for (feature, supported) in table {
        assert_eq!(config[feature]["supported"], supported, "{feature}");
    }
    assert_eq!(config["filter"]["maxResults"], 1000);
    assert_eq!(
        config["authenticationSchemes"][0]["type"],
        "oauthbearertoken"
    );
    assert_eq!(config["authenticationSchemes"][0]["primary"], true);
    assert_eq!(
        config["meta"],
        json!({"resourceType": "ServiceProviderConfig", "location": "https://h/scim/v2/finance/ServiceProviderConfig"})
    );
}

#[test]
fn resource_types_name_their_schema_and_optional_extension() {
    let table = [
        ("User", "/Users", USER_SCHEMA, TABLEAU_USER_SCHEMA),
        ("Group", "/Groups", GROUP_SCHEMA, TABLEAU_GROUP_SCHEMA),
    ];
    assert_eq!(resource_types(BASE).len(), table.len());
    for (name, endpoint, schema, extension) in table {
        let t = resource_type(BASE, &name.to_lowercase()).unwrap();
        assert_eq!(t["name"], name);
        assert_eq!(t["endpoint"], endpoint);
        assert_eq!(t["schema"], schema);
        assert_eq!(
            t["schemaExtensions"],
            json!([{"schema": extension, "required": false}])
        );
        assert_eq!(
            t["meta"]["location"],
            format!("{BASE}/ResourceTypes/{name}")
        );
        assert_eq!(t["meta"]["resourceType"], "ResourceType");
    }
    assert_eq!(resource_type(BASE, "Device"), None);
}

#[test]
fn schemas_list_only_the_supported_attributes() {
    let table: [(&str, &[&str]); 4] = [
        (
            USER_SCHEMA,
            &[
                "userName",
                "name.formatted",
                "name",
                "displayName",
                "emails.value",
                "emails.type",
                "emails",
                "active",
                "groups.value",
                "groups.$ref",
                "groups.display",
                "groups.type",
                "groups",
            ],
        ),
        (
            GROUP_SCHEMA,
            &[
                "displayName",
                "members.value",
                "members.$ref",
                "members.type",
                "members",
            ],
        ),
        (
            TABLEAU_USER_SCHEMA,
            &["siteRole", "license", "status", "lastLogin", "ownedContent"],
        ),
        (
            TABLEAU_GROUP_SCHEMA,
            &[
                "domain",
                "directorySynced",
                "minimumSiteRole",
                "grantLicenseMode",
            ],
        ),
    ];
    assert_eq!(schemas(BASE).len(), table.len());
    for (id, expected) in table {
        let s = schema(BASE, &id.to_uppercase()).unwrap();
        assert_eq!(s["id"], id);
        assert_eq!(s["meta"]["location"], format!("{BASE}/Schemas/{id}"));
        assert_eq!(s["meta"]["resourceType"], "Schema");
        let names: Vec<String> = flatten("", &s["attributes"])
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, *expected, "{id}");
    }
    assert_eq!(
        schema(BASE, "urn:ietf:params:scim:schemas:core:2.0:Device"),
        None
    );
}

#[test]
fn every_attribute_has_every_characteristic() {
    for s in schemas(BASE) {
        for (name, def) in flatten("", &s["attributes"]) {
            for key in CHARACTERISTICS {
                assert!(def.contains_key(key), "{} {name} lacks {key}", s["id"]);
            }
            assert_eq!(
                def["type"] == "complex",
                def.contains_key("subAttributes"),
                "{name}: complex attributes, and only they, have sub-attributes"
            );
            assert_eq!(
                def["type"] == "reference",
                def.contains_key("referenceTypes"),
                "{name}"
            );
        }
    }
}

#[test]
fn mutability_matches_what_patch_accepts() {
    let user = schema(BASE, USER_SCHEMA).unwrap();
    let tableau = schema(BASE, TABLEAU_USER_SCHEMA).unwrap();
    let mutability = |s: &Value, name: &str| {
        flatten("", &s["attributes"])
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d["mutability"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let table = [
        (&user, "userName", "immutable"),
        (&user, "active", "readWrite"),
        (&user, "groups", "readOnly"),
        (&tableau, "siteRole", "readWrite"),
        (&tableau, "license", "readOnly"),
        (&tableau, "ownedContent", "readOnly"),
    ];
    for (s, name, expected) in table {
        assert_eq!(mutability(s, name), expected, "{name}");
    }
    let site_role = flatten("", &tableau["attributes"])
        .into_iter()
        .find(|(n, _)| n == "siteRole")
        .unwrap()
        .1["canonicalValues"]
        .clone();
    let assignable: Vec<&str> = ASSIGNABLE_ROLES.iter().map(SiteRole::as_str).collect();
    assert_eq!(site_role, json!(assignable));
}

/// Every attribute a rendered resource carries, other than the common
/// ones, is declared in its schema or extension.
fn assert_declared(resource: &Value, core: &str, extension: &str) {
    const COMMON: [&str; 4] = ["schemas", "id", "externalId", "meta"];
    let declared = |id: &str| -> Vec<String> {
        flatten("", &schema(BASE, id).unwrap()["attributes"])
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    };
    let (core_names, ext_names) = (declared(core), declared(extension));
    for (key, value) in resource.as_object().unwrap() {
        if COMMON.contains(&key.as_str()) {
            continue;
        }
        if key == extension {
            for ext_key in value.as_object().unwrap().keys() {
                assert!(ext_names.contains(ext_key), "{extension}:{ext_key}");
            }
            continue;
        }
        assert!(core_names.contains(key), "{key}");
        let elements = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for element in elements {
            for sub in element.as_object().map(Map::keys).into_iter().flatten() {
                assert!(core_names.contains(&format!("{key}.{sub}")), "{key}.{sub}");
            }
        }
    }
}

#[test]
fn rendered_resources_use_only_declared_attributes() {
    let record = AccountRecord {
        site: "finance".into(),
        account: Account {
            email: Some("a@x".into()),
            full_name: Some("A".into()),
            last_login: Some("2026-02-01T00:00:00Z".parse().unwrap()),
            ..Account::for_test("u1", "alice", SiteRole::Creator)
        },
        license: SiteRole::Creator.license(),
        status: AccountStatus::Active,
        groups: vec!["G".into()],
        owned: OwnedContent::default(),
        first_seen: "2026-01-01T00:00:00Z".parse().unwrap(),
        last_seen: None,
        deprovisioned_at: None,
        site_key: SiteKey(1),
        updated_run_id: None,
    };
    let user = render_user(
        &record,
        Some("e"),
        &[(GroupId::from("g1"), "G".into())],
        BASE,
    );
    assert_declared(&user, USER_SCHEMA, TABLEAU_USER_SCHEMA);
    let group = GroupRecord {
        site: "finance".into(),
        id: "g1".into(),
        name: "G".into(),
        domain: Some("local".into()),
        directory_synced: false,
        minimum_site_role: Some("Viewer".into()),
        grant_license_mode: Some("onSync".into()),
        member_count: 1,
        members: vec!["alice".into()],
    };
    let group = render_group(&group, &[(UserId::from("u1"), "alice".into())], BASE);
    assert_declared(&group, GROUP_SCHEMA, TABLEAU_GROUP_SCHEMA);
}
