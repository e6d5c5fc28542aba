//! Connected-app JWT sign-in and scope enforcement.

use crate::common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;
use tableau_sim::SimConfig;

const CID: &str = "client-1";
const SID: &str = "secret-1";
const KEY: &str = "top-secret-value";

/// A direct-trust JWT: `kid` and `iss` in the header, as Tableau requires.
fn jwt_with(kid: &str, iss: &str, key: &str, claims: serde_json::Value) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT", "kid": kid, "iss": iss});
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = EncodingKey::from_secret(key.as_bytes());
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).unwrap();
    format!("{message}.{signature}")
}

fn jwt(kid: &str, key: &str, claims: serde_json::Value) -> String {
    jwt_with(kid, CID, key, claims)
}

fn claims(scopes: &[&str]) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": CID, "sub": "admin", "aud": "tableau", "exp": now + 300,
           "jti": uuid::Uuid::new_v4().to_string(), "scp": scopes})
}

fn body(token: &str) -> String {
    format!(
        r#"<tsRequest><credentials jwt="{token}"><site contentUrl=""/></credentials></tsRequest>"#
    )
}

async fn setup() -> (tableau_sim::Simulator, Client) {
    start(SimConfig::new().users(3).connected_app(CID, SID, KEY)).await
}

async fn refused(c: &Client, token: String, subcode: &str) {
    let r = sign_in(&c.http, &c.base, body(&token)).await;
    assert_eq!(
        (r.status, error_code(&r.body).unwrap()),
        (401, "401001".into()),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("connected app error code {subcode} (")),
        "{subcode}: {}",
        r.body
    );
}

#[tokio::test]
async fn jwt_accepted_and_scopes_enforced() {
    let (sim, c) = setup().await;
    let r = sign_in(
        &c.http,
        &c.base,
        body(&jwt(SID, KEY, claims(&["tableau:users:read"]))),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t = attr(&r.body, "credentials", "token").unwrap();
    let users = raw(
        &c.http,
        reqwest::Method::GET,
        &c.url("users"),
        Some(&t),
        None,
        false,
    )
    .await;
    assert_eq!(users.status, 200);
    let g = raw(
        &c.http,
        reqwest::Method::GET,
        &c.url("groups"),
        Some(&t),
        None,
        false,
    )
    .await;
    assert_eq!(
        (g.status, error_code(&g.body).unwrap()),
        (401, "401002".into())
    );
    // Wildcards cover every action of a resource.
    let r = sign_in(
        &c.http,
        &c.base,
        body(&jwt(
            SID,
            KEY,
            claims(&["tableau:groups:*", "tableau:content:read"]),
        )),
    )
    .await;
    let t2 = attr(&r.body, "credentials", "token").unwrap();
    let ok = raw(
        &c.http,
        reqwest::Method::GET,
        &c.url("groups"),
        Some(&t2),
        None,
        false,
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        raw(
            &c.http,
            reqwest::Method::GET,
            &c.url("workbooks"),
            Some(&t2),
            None,
            false
        )
        .await
        .status,
        200
    );
    let no = raw(
        &c.http,
        reqwest::Method::GET,
        &c.url("users"),
        Some(&t2),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&no.body).unwrap(), "401002");
    sim.stop().await;
}

#[tokio::test]
async fn jwt_without_scope_gets_nothing() {
    let (sim, c) = setup().await;
    let r = sign_in(&c.http, &c.base, body(&jwt(SID, KEY, claims(&[])))).await;
    let t = attr(&r.body, "credentials", "token").unwrap();
    let u = sim.user_by_name("", "user00001").unwrap();
    let del = raw(
        &c.http,
        reqwest::Method::DELETE,
        &c.url(&format!("users/{}", u.id)),
        Some(&t),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&del.body).unwrap(), "401002");
    assert!(sim.user_by_name("", "user00001").is_some());
    sim.stop().await;
}

#[tokio::test]
async fn content_read_does_not_cover_flows() {
    let (sim, c) = setup().await;
    let token = |scopes: &[&str]| jwt(SID, KEY, claims(scopes));
    let r = sign_in(&c.http, &c.base, body(&token(&["tableau:content:read"]))).await;
    let content_only = attr(&r.body, "credentials", "token").unwrap();
    let admin = sim.user_by_name("", "admin").unwrap();
    for path in ["workbooks", "datasources", "projects", "views"] {
        let ok = raw(
            &c.http,
            reqwest::Method::GET,
            &c.url(path),
            Some(&content_only),
            None,
            false,
        )
        .await;
        assert_eq!(ok.status, 200, "{path}: {}", ok.body);
    }
    for path in ["flows".to_owned(), format!("users/{}/flows", admin.id)] {
        let no = raw(
            &c.http,
            reqwest::Method::GET,
            &c.url(&path),
            Some(&content_only),
            None,
            false,
        )
        .await;
        assert_eq!(
            (no.status, error_code(&no.body).unwrap()),
            (401, "401002".into()),
            "{path}: {}",
            no.body
        );
        assert!(no.body.contains("tableau:flows:read"), "{}", no.body);
    }
    let r = sign_in(&c.http, &c.base, body(&token(&["tableau:flows:read"]))).await;
    let flows = attr(&r.body, "credentials", "token").unwrap();
    let ok = raw(
        &c.http,
        reqwest::Method::GET,
        &c.url("flows"),
        Some(&flows),
        None,
        false,
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let no = raw(
        &c.http,
        reqwest::Method::GET,
        &c.url("workbooks"),
        Some(&flows),
        None,
        false,
    )
    .await;
    assert_eq!(error_code(&no.body).unwrap(), "401002");
    sim.stop().await;
}

#[tokio::test]
async fn jwt_unreadable_wrong_audience_or_expired_is_10084() {
    let (sim, c) = setup().await;
    refused(&c, "not.a.jwt".into(), "10084").await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["aud"] = json!("salesforce");
    refused(&c, jwt(SID, KEY, cl), "10084").await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["exp"] = json!(chrono::Utc::now().timestamp() - 120);
    refused(&c, jwt(SID, KEY, cl), "10084").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_header_without_kid_or_iss_is_10083() {
    let (sim, c) = setup().await;
    // What a JWT library writes by default: `kid` but no `iss` in the header.
    let mut h = Header::new(Algorithm::HS256);
    h.kid = Some(SID.into());
    let no_iss = encode(
        &h,
        &claims(&["tableau:users:read"]),
        &EncodingKey::from_secret(KEY.as_bytes()),
    )
    .unwrap();
    refused(&c, no_iss, "10083").await;
    let no_kid = encode(
        &Header::new(Algorithm::HS256),
        &claims(&["tableau:users:read"]),
        &EncodingKey::from_secret(KEY.as_bytes()),
    )
    .unwrap();
    refused(&c, no_kid, "10083").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_unknown_client_id_is_10089() {
    let (sim, c) = setup().await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["iss"] = json!("someone-else");
    refused(&c, jwt_with(SID, "someone-else", KEY, cl), "10089").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_of_a_disabled_app_is_10090() {
    let (sim, c) = start(
        SimConfig::new()
            .users(3)
            .connected_app(CID, SID, KEY)
            .disable_connected_app(CID),
    )
    .await;
    refused(&c, jwt(SID, KEY, claims(&["tableau:users:read"])), "10090").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_unknown_secret_id_or_wrong_secret_value_is_127() {
    let (sim, c) = setup().await;
    refused(
        &c,
        jwt("no-such-secret", KEY, claims(&["tableau:users:read"])),
        "127",
    )
    .await;
    refused(
        &c,
        jwt(SID, "not-the-secret", claims(&["tableau:users:read"])),
        "127",
    )
    .await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_expiry_too_far_ahead_is_16() {
    let (sim, c) = setup().await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["exp"] = json!(chrono::Utc::now().timestamp() + 11 * 60);
    refused(&c, jwt(SID, KEY, cl), "16").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_unknown_sub_is_5_and_old_api_refuses_jwt() {
    let (sim, c) = setup().await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["sub"] = json!("ghost");
    refused(&c, jwt(SID, KEY, cl), "5").await;
    let r = sign_in_at(
        &c.http,
        &c.base,
        "3.16",
        body(&jwt(SID, KEY, claims(&["tableau:users:read"]))),
    )
    .await;
    assert_eq!(error_code(&r.body).unwrap(), "401001");
    sim.stop().await;
}
