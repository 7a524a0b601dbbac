//! `tamis report`: one self-contained document an editor reads before
//! deciding what to publish from a case — the verdict counts and what they
//! mean, charts, every message that needs a second look with its evidence,
//! what could not be read, and the ingest runs the figures come from.
//!
//! Reading the case ([`gather`]) is kept apart from writing the document
//! ([`render`]): rendering is a pure function of [`ReportData`], so the same
//! data always gives the same bytes, and tests exercise it without a case.
//!
//! Every string that comes from the case was written by an adversary
//! (subjects, senders, signature reasons quoting header values…): the HTML
//! and Markdown writers escape all of it ([`escape`]), and the HTML report
//! loads nothing from anywhere (inline CSS and SVG, no scripts, and a
//! Content-Security-Policy that forbids loads even if something slipped by).

mod charts;
mod evidence;
mod html;
mod markdown;
mod outline;
mod prose;
mod time;
mod verdicts;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use std::str::FromStr;
use tamis_case::{CaseReader, MessageSummary, Overview};
use tamis_findings::MessageReport;

pub use verdicts::FLAGGED_VERDICTS;

/// Everything a report shows, read from the case once.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReportData {
    pub overview: Overview,
    /// Messages an editor must look at before publishing (the verdicts in
    /// [`FLAGGED_VERDICTS`]), in id order, each with its full evidence.
    #[serde(with = "flagged_json")]
    pub flagged: Vec<(MessageSummary, MessageReport)>,
    /// RFC 3339, UTC.
    pub generated_at: String,
    pub case_dir: String,
    pub tamis_version: String,
}

/// The output formats of `tamis report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Json,
}

impl Format {
    /// The usual file extension, for callers that name an output file.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }
}

impl FromStr for Format {
    type Err = anyhow::Error;

    fn from_str(name: &str) -> anyhow::Result<Format> {
        match name {
            "html" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => anyhow::bail!("unknown report format {other:?}: use html, md or json"),
        }
    }
}

/// Read what the report needs from an open case.
pub fn gather(reader: &CaseReader) -> anyhow::Result<ReportData> {
    let overview = reader.overview().context("cannot read the case overview")?;
    let flagged = reader
        .messages_with_verdicts(&FLAGGED_VERDICTS)
        .context("cannot read the messages to list in the report")?;
    Ok(ReportData {
        overview,
        flagged,
        generated_at: time::now_rfc3339(),
        case_dir: reader.dir().display().to_string(),
        tamis_version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// The report as one document in `format`.
pub fn render(data: &ReportData, format: Format) -> String {
    match format {
        Format::Html => html::render(data),
        Format::Markdown => markdown::render(data),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(data)
                .expect("report data is plain strings, numbers and maps");
            json.push('\n');
            json
        }
    }
}

/// `tamis report`: open the case in `dir`, render it, and write the report
/// to `out`, or to standard output when `out` is `None`.
pub fn run(dir: &Path, format: Format, out: Option<&Path>) -> anyhow::Result<()> {
    let reader = CaseReader::open(dir)
        .with_context(|| format!("cannot open the case in {}", dir.display()))?;
    let data = gather(&reader)?;
    write_output(&render(&data, format), out)
}

fn write_output(text: &str, out: Option<&Path>) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| {
            format!(
                "cannot write the report to {}: check that its folder exists and is writable",
                path.display()
            )
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // `tamis report | head` closing the pipe early is not a failure.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write the report to standard output"),
            }
        }
    }
}

/// In JSON each flagged message is an object with named parts rather than a
/// two-element array, so that readers of the schema see what each part is.
mod flagged_json {
    use super::*;
    use serde::{Deserializer, Serializer};

    #[derive(Serialize)]
    struct FlaggedRef<'a> {
        message: &'a MessageSummary,
        evidence: &'a MessageReport,
    }

    #[derive(Deserialize)]
    struct Flagged {
        message: MessageSummary,
        evidence: MessageReport,
    }

    pub fn serialize<S: Serializer>(
        flagged: &[(MessageSummary, MessageReport)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            flagged
                .iter()
                .map(|(message, evidence)| FlaggedRef { message, evidence }),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<(MessageSummary, MessageReport)>, D::Error> {
        let flagged = Vec::<Flagged>::deserialize(deserializer)?;
        Ok(flagged
            .into_iter()
            .map(|f| (f.message, f.evidence))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_parse_and_unknown_ones_say_what_to_use() {
        assert_eq!("html".parse::<Format>().unwrap(), Format::Html);
        assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!("markdown".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
        let error = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(error.contains("html, md or json"), "{error}");
    }

    #[test]
    fn output_file_is_written_and_a_missing_folder_is_named() {
        let dir = std::env::temp_dir().join(format!("tamis-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("report.md");
        write_output("# report\n", Some(&path)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# report\n");
        let missing = dir.join("no-such-folder").join("report.md");
        let error = format!("{:#}", write_output("x", Some(&missing)).unwrap_err());
        assert!(error.contains("no-such-folder"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
