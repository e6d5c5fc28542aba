//! The external ids SCIM clients give users and groups: set, replaced,
//! found by value, forgotten, and kept apart per site and kind.

use tabgov_state::ScimKind;

use crate::common::{on_both_engines, TestStore};

on_both_engines!(
    an_external_id_is_set_replaced_found_and_forgotten,
    external_ids_are_kept_apart_by_site_and_kind,
);

async fn an_external_id_is_set_replaced_found_and_forgotten(t: TestStore) {
    let store = t.store;
    let site = store
        .upsert_site("https://tableau.example.com", "hr", None)
        .await
        .unwrap();
    let kind = ScimKind::User;
    assert_eq!(store.external_id(site, kind, "u1").await.unwrap(), None);

    store
        .set_external_id(site, kind, "u1", Some("okta-1"))
        .await
        .unwrap();
    store
        .set_external_id(site, kind, "u2", Some("okta-2"))
        .await
        .unwrap();
    assert_eq!(
        store
            .external_id(site, kind, "u1")
            .await
            .unwrap()
            .as_deref(),
        Some("okta-1")
    );
    // Replaced, not added: one row per resource.
    store
        .set_external_id(site, kind, "u1", Some("okta-9"))
        .await
        .unwrap();
    assert_eq!(
        store
            .find_by_external_id(site, kind, "okta-1")
            .await
            .unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        store
            .find_by_external_id(site, kind, "okta-9")
            .await
            .unwrap(),
        vec!["u1"]
    );

    let ids = vec!["u1".to_owned(), "u2".to_owned(), "u3".to_owned()];
    let many = store.external_ids(site, kind, &ids).await.unwrap();
    assert_eq!(many.len(), 2);
    assert_eq!(many["u2"], "okta-2");

    store.set_external_id(site, kind, "u1", None).await.unwrap();
    assert_eq!(store.external_id(site, kind, "u1").await.unwrap(), None);
    assert!(store
        .find_by_external_id(site, kind, "okta-9")
        .await
        .unwrap()
        .is_empty());
}

async fn external_ids_are_kept_apart_by_site_and_kind(t: TestStore) {
    let store = t.store;
    let hr = store
        .upsert_site("https://tableau.example.com", "hr", None)
        .await
        .unwrap();
    let ops = store
        .upsert_site("https://tableau.example.com", "ops", None)
        .await
        .unwrap();
    store
        .set_external_id(hr, ScimKind::User, "x", Some("e"))
        .await
        .unwrap();
    store
        .set_external_id(ops, ScimKind::User, "y", Some("e"))
        .await
        .unwrap();
    store
        .set_external_id(hr, ScimKind::Group, "g", Some("e"))
        .await
        .unwrap();
    assert_eq!(
        store
            .find_by_external_id(hr, ScimKind::User, "e")
            .await
            .unwrap(),
        vec!["x"]
    );
    assert_eq!(
        store
            .find_by_external_id(ops, ScimKind::User, "e")
            .await
            .unwrap(),
        vec!["y"]
    );
    assert_eq!(
        store
            .find_by_external_id(hr, ScimKind::Group, "e")
            .await
            .unwrap(),
        vec!["g"]
    );
    assert_eq!(
        store.external_id(hr, ScimKind::Group, "x").await.unwrap(),
        None
    );
}
