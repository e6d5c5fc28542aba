//! Helpers shared by the integration tests: a started simulator with a signed-in
//! reqwest client, and a tiny XML reader.

use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;
use tableau_sim::{SimConfig, Simulator};

pub const V: &str = "3.21";

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub site: String,
    pub user: String,
    pub v: String,
}

pub struct Resp {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
}

pub fn signin_body(pat: &str, secret: &str, site: &str) -> String {
    format!(
        r#"<tsRequest><credentials personalAccessTokenName="{pat}" personalAccessTokenSecret="{secret}"><site contentUrl="{site}"/></credentials></tsRequest>"#
    )
}

pub async fn raw(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<String>,
    json: bool,
) -> Resp {
    let mut rb = http.request(method, url);
    if let Some(t) = token {
        rb = rb.header("X-Tableau-Auth", t);
    }
    if json {
        rb = rb.header("Accept", "application/json");
    }
    if let Some(b) = body {
        rb = rb.body(b);
    }
    let r = rb.send().await.expect("request");
    let status = r.status().as_u16();
    let retry_after = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    Resp {
        status,
        body: r.text().await.unwrap(),
        retry_after,
    }
}

pub async fn sign_in(http: &reqwest::Client, base: &str, body: String) -> Resp {
    sign_in_at(http, base, V, body).await
}

pub async fn sign_in_at(http: &reqwest::Client, base: &str, v: &str, body: String) -> Resp {
    raw(
        http,
        reqwest::Method::POST,
        &format!("{base}/api/{v}/auth/signin"),
        None,
        Some(body),
        false,
    )
    .await
}

pub async fn start(cfg: SimConfig) -> (Simulator, Client) {
    let v = cfg.api_version.clone();
    let sim = Simulator::start(cfg).await.expect("start");
    let http = reqwest::Client::new();
    let base = sim.base_url();
    let r = sign_in_at(
        &http,
        &base,
        &v,
        signin_body("admin-pat", "admin-secret", ""),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let c = Client {
        token: attr(&r.body, "credentials", "token").unwrap(),
        site: attr(&r.body, "site", "id").unwrap(),
        user: attr(&r.body, "user", "id").unwrap(),
        http,
        base,
        v,
    };
    (sim, c)
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/{}/sites/{}/{path}", self.base, self.v, self.site)
    }
    pub async fn get(&self, path: &str) -> Resp {
        raw(
            &self.http,
            reqwest::Method::GET,
            &self.url(path),
            Some(&self.token),
            None,
            false,
        )
        .await
    }
    pub async fn get_json(&self, path: &str) -> Resp {
        raw(
            &self.http,
            reqwest::Method::GET,
            &self.url(path),
            Some(&self.token),
            None,
            true,
        )
        .await
    }
    pub async fn put(&self, path: &str, body: &str) -> Resp {
        raw(
            &self.http,
            reqwest::Method::PUT,
            &self.url(path),
            Some(&self.token),
            Some(body.to_string()),
            false,
        )
        .await
    }
    pub async fn post(&self, path: &str, body: &str) -> Resp {
        raw(
            &self.http,
            reqwest::Method::POST,
            &self.url(path),
            Some(&self.token),
            Some(body.to_string()),
            false,
        )
        .await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        raw(
            &self.http,
            reqwest::Method::DELETE,
            &self.url(path),
            Some(&self.token),
            None,
            false,
        )
        .await
    }
}

/// Every element (local name, attributes) in document order.
pub fn elements(xml: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut r = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event().expect("xml") {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(),
                            a.unescape_value().unwrap().into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// First `attr` of the first `elem`.
pub fn attr(xml: &str, elem: &str, attr: &str) -> Option<String> {
    elements(xml)
        .into_iter()
        .find(|(n, _)| n == elem)
        .and_then(|(_, a)| a.get(attr).cloned())
}

/// Every `attr` of every `elem`.
pub fn attrs(xml: &str, elem: &str, attr: &str) -> Vec<String> {
    elements(xml)
        .into_iter()
        .filter(|(n, _)| n == elem)
        .filter_map(|(_, a)| a.get(attr).cloned())
        .collect()
}

pub fn error_code(xml: &str) -> Option<String> {
    attr(xml, "error", "code")
}

pub fn total(xml: &str) -> usize {
    attr(xml, "pagination", "totalAvailable")
        .unwrap()
        .parse()
        .unwrap()
}
