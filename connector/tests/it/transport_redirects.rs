//! Redirects never carry credentials away: a server that answers sign-in
//! or a listing with a redirect to another origin (here another port of
//! 127.0.0.1) gets an error naming the Location, and the other origin
//! receives nothing, neither the PAT secret nor the session token.

use crate::common;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use common::{Env, PAT_NAME, PAT_SECRET};
use tabgov::api::{users, PageRequest};
use tabgov::credentials::{Credential, Scope};
use tabgov::transport::{Transport, TransportOptions};
use tabgov::{Error, Secret};
use tableau_sim::SimConfig;

/// Everything one listener received, to look for secrets in.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<String>>>);

impl Received {
    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// Serves `answer` on 127.0.0.1 (a fresh port) and records every request,
/// head and body, into `received`.
async fn serve<F>(received: Received, answer: F) -> String
where
    F: Fn(&Method, &Uri) -> Response + Clone + Send + Sync + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let received = received.clone();
            let answer = answer.clone();
            async move {
                received.0.lock().unwrap().push(format!(
                    "{method} {uri} {headers:?} {}",
                    String::from_utf8_lossy(&body)
                ));
                answer(&method, &uri)
            }
        },
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn redirect(status: StatusCode, to: &str) -> Response {
    (status, [("location", to.to_owned())]).into_response()
}

/// A fake Tableau that signs anyone in with `token`, for the listing case.
fn signed_in(token: &str) -> Response {
    let body = format!(
        r#"<tsResponse xmlns="http://tableau.com/api"><credentials token="{token}"><site id="site-1" contentUrl=""/><user id="user-1"/></credentials></tsResponse>"#
    );
    (StatusCode::OK, [("content-type", "application/xml")], body).into_response()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_redirected_to_another_origin_sends_it_nothing() {
    let env = Env::start(SimConfig::new()).await;
    let elsewhere = Received::default();
    let other = serve(elsewhere.clone(), |_, _| signed_in("stolen")).await;
    for status in [
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::MOVED_PERMANENTLY,
    ] {
        let target = other.clone();
        let front = serve(Received::default(), move |_, uri| {
            redirect(status, &format!("{target}{}", uri.path()))
        })
        .await;
        let run = env
            .tabgov(&[
                "check",
                "--server",
                &front,
                "--site",
                "",
                "--pat-name",
                PAT_NAME,
                "--api-version",
                "3.21",
            ])
            .await;
        assert_eq!(run.code, 2, "{status}: {run:?}");
        let error = run
            .stderr
            .lines()
            .find(|l| l.starts_with("error:"))
            .unwrap();
        assert!(
            error.contains(&format!("{other}/api/3.21/auth/signin")),
            "{error}"
        );
        assert!(error.contains("another origin"), "{error}");
        assert!(!run.stderr.contains(PAT_SECRET));
    }
    assert_eq!(
        elsewhere.all(),
        Vec::<String>::new(),
        "the other origin got nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_redirected_to_another_origin_keeps_its_token() {
    let elsewhere = Received::default();
    let other = serve(elsewhere.clone(), |_, _| StatusCode::OK.into_response()).await;
    let target = other.clone();
    let front = serve(Received::default(), move |method, uri| {
        if method == Method::POST && uri.path().ends_with("/auth/signin") {
            signed_in("session-token-1")
        } else {
            redirect(
                StatusCode::TEMPORARY_REDIRECT,
                &format!("{target}{}", uri.path()),
            )
        }
    })
    .await;
    let mut options = TransportOptions::new(front, "");
    options.api_version = Some("3.21".into());
    let credential = Credential::Pat {
        name: PAT_NAME.into(),
        secret: Secret::new(PAT_SECRET),
    };
    let t = Transport::connect(options, credential, Scope::SYNC)
        .await
        .unwrap();
    let err = t
        .send(&users::list_users(
            t.site_id(),
            PageRequest {
                number: 1,
                size: 10,
            },
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains(&other), "{err}");
    assert_eq!(t.stats().retries, 0, "refused at once, not retried");
    assert_eq!(
        elsewhere.all(),
        Vec::<String>::new(),
        "the other origin got nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_redirected_within_the_server_is_posted_again_there() {
    let received = Received::default();
    let front = serve(received.clone(), |method, uri| {
        match (method.as_str(), uri.path()) {
            ("POST", "/api/3.21/auth/signin") => {
                redirect(StatusCode::PERMANENT_REDIRECT, "/moved/auth/signin")
            }
            ("POST", "/moved/auth/signin") => signed_in("session-token-2"),
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    })
    .await;
    let mut options = TransportOptions::new(front, "");
    options.api_version = Some("3.21".into());
    let credential = Credential::Pat {
        name: PAT_NAME.into(),
        secret: Secret::new(PAT_SECRET),
    };
    let t = Transport::connect(options, credential, Scope::SYNC)
        .await
        .unwrap();
    assert_eq!(t.user_id(), "user-1");
    let moved: Vec<String> = received
        .all()
        .into_iter()
        .filter(|r| r.starts_with("POST /moved/auth/signin"))
        .collect();
    assert_eq!(moved.len(), 1, "{:?}", received.all());
    assert!(
        moved[0].contains(PAT_SECRET),
        "a POST, body and all, not a GET"
    );
}
