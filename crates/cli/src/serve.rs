//! `tamis serve`: the web UI and JSON API over a case (read-only).

use anyhow::Result;
use clap::Args;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Loopback: a case holds a leak's private mail; exposing it to the network
/// must be an explicit choice.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Args)]
pub struct ServeArgs {
    /// The case directory (built by `tamis ingest`).
    #[arg(long, value_name = "DIR")]
    case: PathBuf,
    /// Address to listen on. Other than loopback only if you mean it.
    #[arg(long, default_value = DEFAULT_ADDR)]
    addr: SocketAddr,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    serve(&args.case, args.addr)?;
    Ok(ExitCode::SUCCESS)
}

pub fn serve(case: &Path, addr: SocketAddr) -> Result<()> {
    if !addr.ip().is_loopback() {
        eprintln!(
            "tamis: warning: serving {} on {addr}, reachable from other machines",
            case.display()
        );
    }
    tamis_web::serve(case, addr)
}
