//! SCIM's error shape (RFC 7644 §3.12) and its success bodies: both are
//! `application/scim+json`, and an error carries its status as a string
//! and, for a 400, the `scimType` saying what kind of request was wrong.

use std::fmt;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::{CONTENT_TYPE, ERROR_MESSAGE};

/// The kinds of bad request SCIM names (RFC 7644 §3.12, table 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
    Sensitive,
}

impl ScimType {
    /// The keyword as it appears in `scimType`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::TooMany => "tooMany",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidVers => "invalidVers",
            ScimType::Sensitive => "sensitive",
        }
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refusal of a SCIM request: handlers return `Result<_, ScimError>` and
/// the identity provider always gets SCIM's error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<ScimType>,
    /// One sentence for the person reading the identity provider's log.
    pub detail: String,
}

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<ScimType>,
        detail: impl Into<String>,
    ) -> ScimError {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// A 400 of the given kind.
    pub fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub fn invalid_filter(detail: impl Into<String>) -> ScimError {
        ScimError::bad_request(ScimType::InvalidFilter, detail)
    }

    pub fn invalid_syntax(detail: impl Into<String>) -> ScimError {
        ScimError::bad_request(ScimType::InvalidSyntax, detail)
    }

    pub fn invalid_path(detail: impl Into<String>) -> ScimError {
        ScimError::bad_request(ScimType::InvalidPath, detail)
    }

    pub fn invalid_value(detail: impl Into<String>) -> ScimError {
        ScimError::bad_request(ScimType::InvalidValue, detail)
    }

    pub fn mutability(detail: impl Into<String>) -> ScimError {
        ScimError::bad_request(ScimType::Mutability, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::NOT_FOUND, None, detail)
    }

    /// A 409: a userName or displayName another resource already has.
    pub fn conflict_uniqueness(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::CONFLICT, Some(ScimType::Uniqueness), detail)
    }

    /// Missing or unknown token: never says which.
    pub fn unauthorized() -> ScimError {
        ScimError::new(
            StatusCode::UNAUTHORIZED,
            None,
            "send a valid token as `Authorization: Bearer TOKEN`",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::FORBIDDEN, None, detail)
    }

    pub fn too_many_requests(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::TOO_MANY_REQUESTS, None, detail)
    }

    /// 501: an operation the service provider configuration says is not
    /// supported (bulk, sorting by the server, password changes).
    pub fn not_implemented(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::NOT_IMPLEMENTED, None, detail)
    }

    pub fn unavailable(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::SERVICE_UNAVAILABLE, None, detail)
    }

    pub fn internal(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::INTERNAL_SERVER_ERROR, None, detail)
    }

    /// The error body, as the response carries it.
    pub fn body(&self) -> serde_json::Value {
        let mut body = json!({
            "schemas": [ERROR_MESSAGE],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = t.as_str().into();
        }
        body
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scim_type {
            Some(t) => write!(f, "{} {t}: {}", self.status.as_u16(), self.detail),
            None => write!(f, "{}: {}", self.status.as_u16(), self.detail),
        }
    }
}

impl std::error::Error for ScimError {}

/// `status` with `body` serialised as `application/scim+json`.
fn scim_response(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
            bytes,
        )
            .into_response(),
        Err(e) => ScimError::internal(format!("cannot render the response: {e}")).into_response(),
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut response = scim_response(self.status, &self.body());
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"tabgov\""),
            );
        }
        response
    }
}

/// A successful SCIM body: its status, the body as `application/scim+json`
/// and, for a 201, the new resource's `Location`.
#[derive(Debug, Clone)]
pub struct ScimJson<T> {
    pub status: StatusCode,
    pub body: T,
    pub location: Option<String>,
}

impl<T: Serialize> ScimJson<T> {
    /// 200 with `body`.
    pub fn ok(body: T) -> ScimJson<T> {
        ScimJson {
            status: StatusCode::OK,
            body,
            location: None,
        }
    }

    /// 201 with the created resource and where it now lives
    /// (RFC 7644 §3.3: the `Location` header equals `meta.location`).
    pub fn created(body: T, location: impl Into<String>) -> ScimJson<T> {
        ScimJson {
            status: StatusCode::CREATED,
            body,
            location: Some(location.into()),
        }
    }
}

impl<T: Serialize> IntoResponse for ScimJson<T> {
    fn into_response(self) -> Response {
        let mut response = scim_response(self.status, &self.body);
        if let Some(location) = self.location {
            match HeaderValue::from_str(&location) {
                Ok(value) => {
                    response.headers_mut().insert(header::LOCATION, value);
                }
                Err(_) => {
                    return ScimError::internal("the resource's location is not a valid header")
                        .into_response()
                }
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parts(response: Response) -> (StatusCode, String, serde_json::Value) {
        let status = response.status();
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            serde_json::from_slice(&bytes).unwrap(),
        )
    }

    #[test]
    fn every_scim_type_has_its_rfc_keyword() {
        let table = [
            (ScimType::InvalidFilter, "invalidFilter"),
            (ScimType::TooMany, "tooMany"),
            (ScimType::Uniqueness, "uniqueness"),
            (ScimType::Mutability, "mutability"),
            (ScimType::InvalidSyntax, "invalidSyntax"),
            (ScimType::InvalidPath, "invalidPath"),
            (ScimType::NoTarget, "noTarget"),
            (ScimType::InvalidValue, "invalidValue"),
            (ScimType::InvalidVers, "invalidVers"),
            (ScimType::Sensitive, "sensitive"),
        ];
        for (t, keyword) in table {
            assert_eq!(t.as_str(), keyword);
        }
    }

    #[test]
    fn constructors_set_status_and_type() {
        let table = [
            (
                ScimError::invalid_filter("x"),
                400,
                Some(ScimType::InvalidFilter),
            ),
            (
                ScimError::invalid_path("x"),
                400,
                Some(ScimType::InvalidPath),
            ),
            (
                ScimError::invalid_value("x"),
                400,
                Some(ScimType::InvalidValue),
            ),
            (
                ScimError::invalid_syntax("x"),
                400,
                Some(ScimType::InvalidSyntax),
            ),
            (ScimError::mutability("x"), 400, Some(ScimType::Mutability)),
            (ScimError::not_found("x"), 404, None),
            (
                ScimError::conflict_uniqueness("x"),
                409,
                Some(ScimType::Uniqueness),
            ),
            (ScimError::unauthorized(), 401, None),
            (ScimError::forbidden("x"), 403, None),
            (ScimError::too_many_requests("x"), 429, None),
            (ScimError::not_implemented("x"), 501, None),
            (ScimError::unavailable("x"), 503, None),
            (ScimError::internal("x"), 500, None),
        ];
        for (error, status, scim_type) in table {
            assert_eq!(error.status.as_u16(), status, "{error}");
            assert_eq!(error.scim_type, scim_type, "{error}");
        }
    }

    #[tokio::test]
    async fn an_error_renders_the_rfc_body_with_the_status_as_a_string() {
        let (status, content_type, body) =
            parts(ScimError::invalid_filter("expected an operator").into_response()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(content_type, "application/scim+json");
        assert_eq!(
            body,
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "400",
                "scimType": "invalidFilter",
                "detail": "expected an operator",
            })
        );
        let (_, _, body) = parts(ScimError::not_found("no user u1").into_response()).await;
        assert_eq!(body["status"], "404");
        assert!(body.get("scimType").is_none(), "no scimType but for a 400");
    }

    #[tokio::test]
    async fn unauthorized_asks_for_a_bearer_token() {
        let response = ScimError::unauthorized().into_response();
        assert_eq!(
            response.headers()[header::WWW_AUTHENTICATE],
            "Bearer realm=\"tabgov\""
        );
        assert_eq!(parts(response).await.2["status"], "401");
    }

    #[tokio::test]
    async fn success_bodies_are_scim_json_and_created_has_a_location() {
        let response =
            ScimJson::created(json!({"id": "u1"}), "https://h/scim/v2/s/Users/u1").into_response();
        assert_eq!(
            response.headers()[header::LOCATION],
            "https://h/scim/v2/s/Users/u1"
        );
        let (status, content_type, body) = parts(response).await;
        assert_eq!(
            (status, content_type.as_str(), body),
            (
                StatusCode::CREATED,
                "application/scim+json",
                json!({"id": "u1"})
            )
        );
        let response = ScimJson::ok(json!([])).into_response();
        assert!(response.headers().get(header::LOCATION).is_none());
        assert_eq!(parts(response).await.0, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_location_that_is_no_header_value_is_an_internal_error() {
        let response = ScimJson::created(json!({}), "line\nbreak").into_response();
        assert_eq!(parts(response).await.0, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
