//! `tamis serve`: the web UI and the JSON API over one case, read-only.
//!
//! Everything comes from [`tamis_case::CaseReader`]; nothing here writes to
//! the case. The UI is a small vanilla JavaScript app embedded in the binary
//! ([`assets`]) that reads the same JSON API an outside script would, so
//! whatever a journalist sees on a page can be fetched as JSON and cited.
//!
//! Every byte shown came from an adversary, so the security decisions are
//! made in one place each: response headers and the Host check in
//! [`security`], HTML sanitizing in [`sanitize`], download names in
//! [`download`]. The UI never inserts mail text as HTML; the sanitized HTML
//! body is only ever shown in a sandboxed iframe under its own stricter
//! Content-Security-Policy.

mod api;
mod assets;
mod download;
mod error;
mod openapi;
mod routes;
mod sanitize;
mod search_params;
mod security;

use anyhow::Context;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tamis_case::CaseReader;

pub use routes::{router, router_with};
pub use sanitize::sanitize_email_html;
pub use security::HostPolicy;

/// Serve the case in `dir` on exactly `addr` until the process is stopped.
/// Prints the URL to open (with the real port when `addr` asks for port 0).
pub fn serve(dir: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    let case = CaseReader::open(dir)
        .with_context(|| format!("cannot open the case in {}", dir.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
            format!("cannot listen on {addr}: is another server using it? pick another with --addr")
        })?;
        let bound = listener.local_addr()?;
        let app = routes::router_with(Arc::new(case), HostPolicy::for_addr(bound));
        // Not println!: with stdout closed (a parent that read the address
        // and went away) it would panic and take the server down.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(
            stdout,
            "tamis serve: case {} at http://{bound}/",
            dir.display()
        );
        let _ = writeln!(stdout, "Press Ctrl-C to stop.");
        let _ = stdout.flush();
        drop(stdout);
        axum::serve(listener, app)
            .await
            .context("the server stopped")
    })
}
