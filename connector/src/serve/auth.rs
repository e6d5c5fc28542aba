//! Bearer-token checks, as middleware on each group of routes: a request
//! without a valid token is answered 401 before its body is read, one
//! whose token lacks the scope 403.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use super::tokens::Scope;
use super::{ApiError, AppState};

/// Who called: the token's name (for logs, the journal's actor and jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: String,
    pub scope: Scope,
}

/// The token of `Authorization: Bearer TOKEN`, if well formed.
pub(super) fn bearer(request: &Request) -> Option<&str> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (kind, token) = value.split_once(' ')?;
    kind.eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Admits callers whose token covers `needed`, recording them as [`Caller`].
pub async fn require(
    needed: Scope,
    state: AppState,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let entry = bearer(&request)
        .and_then(|t| state.tokens.find(t))
        .ok_or_else(ApiError::unauthorized)?;
    if !entry.scope.covers(needed) {
        return Err(ApiError::forbidden(needed.as_str()));
    }
    request.extensions_mut().insert(Caller {
        name: entry.name.clone(),
        scope: entry.scope,
    });
    Ok(next.run(request).await)
}

pub async fn require_read(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    require(Scope::Read, state, request, next).await
}

pub async fn require_act(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    require(Scope::Act, state, request, next).await
}
