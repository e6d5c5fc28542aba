//! The SCIM endpoints' bearer-token check: the same tokens as `/v1`, scope
//! `scim`, answered in SCIM's error shape (an identity provider logs the
//! `detail`). Never says which tokens exist.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::serve::auth::{bearer, Caller};
use crate::serve::scim::ScimError;
use crate::serve::{AppState, Scope};

pub async fn require_scim(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ScimError> {
    let entry = bearer(&request)
        .and_then(|t| state.tokens.find(t))
        .ok_or_else(ScimError::unauthorized)?;
    if !entry.scope.covers(Scope::Scim) {
        return Err(ScimError::forbidden(
            "this token's scope does not open the SCIM endpoints: make one with --scope scim",
        ));
    }
    request.extensions_mut().insert(Caller {
        name: entry.name.clone(),
        scope: entry.scope,
    });
    Ok(next.run(request).await)
}
