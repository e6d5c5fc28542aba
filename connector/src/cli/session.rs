//! Connecting to one target, running a piece of work, and always signing
//! out, on success, failure and Ctrl-C alike.

use std::future::Future;

use tabgov::credentials::{Credential, Scope};
use tabgov::transport::Transport;
use tabgov::ExitCode;

use super::connect::Target;
use super::failure::Failure;

/// Signs in to `target` with `scopes`.
pub async fn open(target: Target, scopes: &[Scope]) -> Result<Transport, Failure> {
    let server = target.options.server.clone();
    let site = target.options.site.clone();
    let jwt = matches!(target.credential, Credential::ConnectedApp { .. });
    Transport::connect(target.options, target.credential, scopes)
        .await
        .map_err(|e| Failure::from_sign_in_error(e, &server, &site, jwt))
}

/// Runs `work` on `transport`, stopping at Ctrl-C, then signs out.
pub async fn run_then_sign_out<T>(
    transport: &Transport,
    work: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    let result = tokio::select! {
        r = work => r,
        _ = tokio::signal::ctrl_c() => Err(Failure::new(
            ExitCode::Interrupted,
            "interrupted and signed out: a sync keeps the store's previous state; an action's open journal entry is settled by running it again",
        )),
    };
    if let Err(e) = transport.sign_out().await {
        tracing::warn!("sign-out failed: {e}");
    }
    result
}
