//! A request as data: built purely, unit-tested without a server, sent by
//! `transport`.

use std::fmt;

/// The HTTP methods the connector uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        })
    }
}

/// One call to the REST API, relative to `{server}/api/{version}/`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub method: Method,
    /// Path below `/api/{version}/`, without a leading slash, e.g.
    /// `sites/9a8b/users`. Ids are LUIDs and need no escaping.
    pub path: String,
    /// Query parameters in order, unescaped (the transport encodes them).
    pub query: Vec<(String, String)>,
    /// XML body (`<tsRequest>...`), if any.
    pub body: Option<String>,
    /// Whether sending it twice is harmless, so a failed attempt may be
    /// retried. GET, PUT and DELETE are; a POST only when the builder says so.
    pub retry_safe: bool,
}

impl ApiRequest {
    fn new(method: Method, path: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            retry_safe: method != Method::Post,
        }
    }

    /// A GET of `path`.
    pub fn get(path: impl Into<String>) -> ApiRequest {
        ApiRequest::new(Method::Get, path)
    }

    /// A POST of `path` (not retried unless [`ApiRequest::retry_safe`] is set).
    pub fn post(path: impl Into<String>) -> ApiRequest {
        ApiRequest::new(Method::Post, path)
    }

    /// A PUT of `path`.
    pub fn put(path: impl Into<String>) -> ApiRequest {
        ApiRequest::new(Method::Put, path)
    }

    /// A DELETE of `path`.
    pub fn delete(path: impl Into<String>) -> ApiRequest {
        ApiRequest::new(Method::Delete, path)
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &str, value: impl Into<String>) -> ApiRequest {
        self.query.push((key.to_owned(), value.into()));
        self
    }

    /// Sets the XML body.
    pub fn body(mut self, xml: impl Into<String>) -> ApiRequest {
        self.body = Some(xml.into());
        self
    }

    /// Marks a POST as safe to repeat (e.g. adding a group member, where a
    /// repeat answers 409011 "already a member").
    pub fn retry_safe(mut self) -> ApiRequest {
        self.retry_safe = true;
        self
    }
}

/// Bodies may carry credentials (sign-in), so `Debug` shows only their length.
impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_bytes", &self.body.as_ref().map(String::len))
            .field("retry_safe", &self.retry_safe)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_post_is_unsafe_to_retry_by_default() {
        assert!(ApiRequest::get("a").retry_safe);
        assert!(ApiRequest::put("a").retry_safe);
        assert!(ApiRequest::delete("a").retry_safe);
        assert!(!ApiRequest::post("a").retry_safe);
        assert!(ApiRequest::post("a").retry_safe().retry_safe);
    }

    #[test]
    fn debug_hides_the_body() {
        let r = ApiRequest::post("auth/signin").body("<secret-here/>");
        assert!(!format!("{r:?}").contains("secret-here"));
    }
}
