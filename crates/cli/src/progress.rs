//! Progress on a terminal, silence when piped (DESIGN.md, "Interfaces").

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// A progress bar over reading `paths`, on stderr, hidden unless stderr is a
/// terminal. The total only gives a visible bar its ETA; finding it stats
/// every file before the first is read, so it is skipped when nobody sees
/// the bar.
pub fn bar_over(paths: &[PathBuf]) -> ProgressBar {
    let bar = bar(0);
    if !bar.is_hidden() {
        bar.set_length(tamis_sources::total_bytes(paths));
    }
    bar
}

/// A byte-based progress bar on stderr, hidden unless stderr is a terminal.
fn bar(total_bytes: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta}) {msg}",
        )
        .expect("static progress template"),
    );
    bar
}
