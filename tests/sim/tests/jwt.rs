//! Connected-app JWT sign-in and scope enforcement.

mod common;

use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;
use tableau_sim::SimConfig;

const CID: &str = "client-1";
const SID: &str = "secret-1";
const KEY: &str = "top-secret-value";

fn jwt(kid: &str, key: &str, claims: serde_json::Value) -> String {
    let mut h = Header::new(Algorithm::HS256);
    h.kid = Some(kid.into());
    h.typ = Some("JWT".into());
    encode(&h, &claims, &EncodingKey::from_secret(key.as_bytes())).unwrap()
}

fn claims(scopes: &[&str]) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": CID, "sub": "admin", "aud": "tableau", "exp": now + 300,
           "jti": uuid::Uuid::new_v4().to_string(), "scp": scopes})
}

fn body(token: &str) -> String {
    format!(
        r#"<tsRequest><credentials jwt="{token}" isUat="false"><site contentUrl=""/></credentials></tsRequest>"#
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
        r.body.contains(&format!("code {subcode}:")),
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
async fn jwt_bad_signature() {
    let (sim, c) = setup().await;
    refused(
        &c,
        jwt(SID, "not-the-secret", claims(&["tableau:users:read"])),
        "10084",
    )
    .await;
    refused(&c, "not.a.jwt".into(), "10084").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_wrong_audience() {
    let (sim, c) = setup().await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["aud"] = json!("salesforce");
    refused(&c, jwt(SID, KEY, cl), "10084").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_unknown_kid_or_issuer() {
    let (sim, c) = setup().await;
    refused(
        &c,
        jwt("no-such-secret", KEY, claims(&["tableau:users:read"])),
        "10085",
    )
    .await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["iss"] = json!("someone-else");
    refused(&c, jwt(SID, KEY, cl), "10085").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_expiry_too_far_ahead_or_past() {
    let (sim, c) = setup().await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["exp"] = json!(chrono::Utc::now().timestamp() + 11 * 60);
    refused(&c, jwt(SID, KEY, cl), "10096").await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["exp"] = json!(chrono::Utc::now().timestamp() - 120);
    refused(&c, jwt(SID, KEY, cl), "10084").await;
    sim.stop().await;
}

#[tokio::test]
async fn jwt_unknown_sub_and_old_api() {
    let (sim, c) = setup().await;
    let mut cl = claims(&["tableau:users:read"]);
    cl["sub"] = json!("ghost");
    refused(&c, jwt(SID, KEY, cl), "16").await;
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
