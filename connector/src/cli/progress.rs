//! A spinner on a terminal while Tableau is being read; nothing under `-q`
//! or when stderr is not a terminal (logs, CI, pipes).

use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tabgov::transport::Transport;

/// Shows the transport's request counters while `work` runs.
pub async fn track<T>(
    quiet: bool,
    label: &str,
    transport: &Transport,
    work: impl Future<Output = T>,
) -> T {
    if quiet || !std::io::stderr().is_terminal() {
        return work.await;
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix}: {msg} [{elapsed}]") {
        bar.set_style(style);
    }
    bar.set_prefix(label.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    tokio::pin!(work);
    loop {
        let s = transport.stats();
        bar.set_message(format!("{} requests, {} retries", s.requests, s.retries));
        tokio::select! {
            r = &mut work => {
                bar.finish_and_clear();
                return r;
            }
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
        }
    }
}
