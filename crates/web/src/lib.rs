//! `tamis serve`. Skeleton: see the issue-3 design notes.

use std::net::SocketAddr;
use std::path::Path;

/// Serve the case in `dir` on `addr` until interrupted.
pub fn serve(_dir: &Path, _addr: SocketAddr) -> anyhow::Result<()> {
    todo!()
}
