//! The amplification report attached to a case (`tamis spread --case`):
//! one self-contained HTML file beside the database, replaced whole.

use crate::layout::CaseLayout;
use anyhow::{bail, Context, Result};
use std::fs;
use std::io::Read;
use std::path::Path;

/// Larger than any report tamis writes: a bound on what the server reads.
const MAX_REPORT_BYTES: u64 = 64 << 20;

/// Writes `html` as the case's spread report: to a temporary file first,
/// then renamed over the old one, so a reader never sees half a report.
pub fn attach_spread_report(case_dir: &Path, html: &[u8]) -> Result<()> {
    let layout = CaseLayout::new(case_dir);
    if !layout.database().exists() {
        bail!(
            "{} is not a tamis case (no case.sqlite): make one with `tamis ingest PATH --case {}`",
            case_dir.display(),
            case_dir.display()
        );
    }
    let target = layout.spread_report();
    let temporary = target.with_extension("html.tmp");
    fs::write(&temporary, html).with_context(|| format!("cannot write {}", temporary.display()))?;
    fs::rename(&temporary, &target).with_context(|| format!("cannot write {}", target.display()))
}

/// The attached report, if any.
pub fn read_spread_report(layout: &CaseLayout) -> Result<Option<Vec<u8>>> {
    let path = layout.spread_report();
    let file = match fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut bytes = Vec::new();
    file.take(MAX_REPORT_BYTES)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(bytes))
}
