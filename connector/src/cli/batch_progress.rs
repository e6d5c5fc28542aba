//! A progress bar for a batch of actions (an offboarding file): targets
//! checked, then acted on. Only on a terminal: nothing under `-q` or when
//! stderr is a log, a pipe or CI.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tabgov::actions::BatchProgress;

/// A bar and the hook that moves it, or `None` when no bar is wanted.
pub fn batch_bar(quiet: bool) -> Option<(ProgressBar, BatchProgress)> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} [{elapsed}]")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    let moved = bar.clone();
    let hook = BatchProgress::new(move |stage, done, total| {
        moved.set_prefix(stage.as_str());
        moved.set_length(total);
        moved.set_position(done);
    });
    Some((bar, hook))
}
