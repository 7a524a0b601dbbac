//! Writes a synthetic Twitter API v1.1 collection with known truth (see
//! `tamis_spread::synthetic`): one tweet JSON object per line, gzip when
//! the output name ends in `.gz`, and the truth as JSON.
//!
//!     cargo run --release -p tamis-spread --features synthetic --example make-campaign -- \
//!         --posts 5000000 --seed 1 --out bench/out/campaign.jsonl --truth bench/out/truth.json
//!
//! Options: --posts N (default 5,000,000), --seed S (default 1), --out FILE
//! (.jsonl or .jsonl.gz), --truth FILE.json, and to change the campaign
//! --bots N, --ring N, --ring-objects N, --campaign-share F, --hashtag TAG.
//! Both files are written beside their final names and renamed when
//! complete, so a killed run leaves no partial file under the final name.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tamis_spread::synthetic::{write_campaign, CampaignParams, Truth};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make-campaign: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    params: CampaignParams,
    out: PathBuf,
    truth: PathBuf,
}

fn parse() -> Result<Options, String> {
    let mut params = CampaignParams::new(5_000_000, 1);
    let mut out = None;
    let mut truth = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| {
            v.replace(['_', ','], "")
                .parse::<u64>()
                .map_err(|e| format!("{flag}: {e}"))
        };
        match flag.as_str() {
            "--posts" => params.posts = number(value()?)?,
            "--seed" => params.seed = number(value()?)?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--truth" => truth = Some(PathBuf::from(value()?)),
            "--bots" => params.bots = number(value()?)? as usize,
            "--ring" => params.ring = number(value()?)? as usize,
            "--ring-objects" => params.ring_objects = number(value()?)? as usize,
            "--campaign-share" => {
                params.campaign_share = value()?.parse().map_err(|e| format!("{flag}: {e}"))?
            }
            "--hashtag" => params.hashtag = value()?.trim_start_matches('#').to_owned(),
            "-h" | "--help" => {
                return Err(
                    "usage: make-campaign --out FILE.jsonl[.gz] --truth FILE.json \
                            [--posts N] [--seed S] [--bots N] [--ring N] [--ring-objects N] \
                            [--campaign-share F] [--hashtag TAG]"
                        .to_owned(),
                )
            }
            other => return Err(format!("unknown argument {other} (try --help)")),
        }
    }
    Ok(Options {
        params,
        out: out.ok_or("--out FILE is required")?,
        truth: truth.ok_or("--truth FILE is required")?,
    })
}

/// Counts the bytes written through it (the uncompressed size).
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn partial(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = parse()?;
    for path in [&options.out, &options.truth] {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    let gzip = options.out.extension().is_some_and(|e| e == "gz");
    let started = Instant::now();
    let part = partial(&options.out);
    let written = write(&options.params, &part, gzip);
    if written.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    let (truth, bytes) = written?;
    let truth_part = partial(&options.truth);
    let mut json = serde_json::to_vec_pretty(&truth)?;
    json.push(b'\n');
    std::fs::write(&truth_part, json)?;
    std::fs::rename(&part, &options.out)?;
    std::fs::rename(&truth_part, &options.truth)?;
    let seconds = started.elapsed().as_secs_f64();
    let on_disk = std::fs::metadata(&options.out)?.len();
    eprintln!(
        "make-campaign: {} tweets, {:.1} MiB of JSON ({:.1} MiB on disk) in {seconds:.1} s: \
         {:.0} tweets/s, {:.0} MiB/s; {} bots, {} ring members, {} organic accounts, \
         {} tweets with #{}",
        truth.posts,
        bytes as f64 / 1048576.0,
        on_disk as f64 / 1048576.0,
        truth.posts as f64 / seconds,
        bytes as f64 / 1048576.0 / seconds,
        truth.bots.len(),
        truth.ring.len(),
        truth.organic.len(),
        truth.tweets.hashtag,
        truth.hashtag,
    );
    Ok(())
}

/// Writes the collection to `part`; the truth and the bytes of JSON.
fn write(params: &CampaignParams, part: &Path, gzip: bool) -> io::Result<(Truth, u64)> {
    let file = BufWriter::with_capacity(1 << 20, File::create(part)?);
    Ok(if gzip {
        // Level 1: quick to make (5 million tweets in about a minute); inflating
        // costs a reader about the same whatever the level.
        let mut out = Counting {
            inner: GzEncoder::new(file, Compression::fast()),
            bytes: 0,
        };
        let truth = write_campaign(params, &mut out)?;
        out.inner.finish()?.flush()?;
        (truth, out.bytes)
    } else {
        let mut out = Counting {
            inner: file,
            bytes: 0,
        };
        let truth = write_campaign(params, &mut out)?;
        out.inner.flush()?;
        (truth, out.bytes)
    })
}
