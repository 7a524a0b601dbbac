//! `tamis keys`: build and inspect a key store (crates/keystore), and
//! recover keys from a dump's signatures ([`recover`]).

mod recover;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tamis_keystore::{parse_date, KeyStore, StoredKey};

use crate::keyargs::KeyArgs;

const DEFAULT_STORE: &str = "tamis-keys.sqlite";

#[derive(Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Import zone files or key archive JSON exports (told apart by content)
    /// into the store; importing a file again adds nothing.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long, value_name = "FILE", default_value = DEFAULT_STORE)]
        store: PathBuf,
        /// The files list keys whose private halves are public (zone or PEM).
        #[arg(long)]
        published: bool,
        /// With --published: when the private keys became public, for
        /// entries not dated by a `published: DATE` line.
        #[arg(long, value_name = "DATE", requires = "published")]
        published_on: Option<String>,
    },
    /// List the keys in the store with their provenance and trust flags.
    List {
        #[arg(long, value_name = "D")]
        domain: Option<String>,
        #[arg(long, value_name = "FILE", default_value = DEFAULT_STORE)]
        store: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Recompute trust flags (weak, private-key-published, shared-factor by
    /// batch GCD) and list the flagged keys.
    Check {
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Recover the RSA keys of key-missing signatures from the dump itself
    /// (two or more signatures by one key suffice) and store them with
    /// provenance `recovered`. A recovered key shows that messages share one
    /// signing key, not whose it is: verdicts stay key-missing unless an
    /// independent source has the same key.
    Recover {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The store the recovered keys are written to; its keys are also
        /// used to verify, so keys it already has are not recovered again.
        #[arg(long, value_name = "FILE", default_value = DEFAULT_STORE)]
        store: PathBuf,
        #[command(flatten)]
        keys: KeyArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn run(args: KeysArgs) -> Result<ExitCode> {
    match args.command {
        KeysCommand::Import {
            files,
            store,
            published,
            published_on,
        } => import(&files, &store, published, published_on.as_deref()),
        KeysCommand::List {
            domain,
            store,
            format,
        } => {
            let store = KeyStore::open_existing(&store)?;
            print_keys(&store, &store.keys(domain.as_deref())?, format)?;
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Check { store, format } => check(&store, format),
        KeysCommand::Recover {
            paths,
            store,
            keys,
            format,
        } => recover::run(&paths, &store, &keys.load()?, format),
    }
}

fn import(
    files: &[PathBuf],
    store: &Path,
    published: bool,
    published_on: Option<&str>,
) -> Result<ExitCode> {
    let published_on = match published_on {
        Some(text) => Some(parse_date(text, false).with_context(|| {
            format!("--published-on {text:?} is not a date (YYYY-MM-DD or ISO 8601)")
        })?),
        None => None,
    };
    let store = KeyStore::open(store)?;
    for file in files {
        let report = if published {
            store.import_published_file(file, published_on)?
        } else {
            store.import_file(file)?
        };
        for warning in &report.warnings {
            eprintln!("tamis: warning: {warning}");
        }
        eprintln!(
            "tamis: {}: {} records read, {} new keys, {} new provenance{}",
            report.path,
            report.records,
            report.new_keys,
            report.new_provenance,
            if published {
                format!(", {} new published keys", report.new_published)
            } else {
                String::new()
            }
        );
    }
    // Flags depend on the whole store (batch GCD), so they are recomputed
    // once after every file is in.
    let checked = store.check()?;
    eprintln!(
        "tamis: {}: {} keys; flagged: {} weak, {} private-key-published, {} shared-factor",
        store.label(),
        checked.keys,
        checked.weak,
        checked.private_key_published,
        checked.shared_factor
    );
    Ok(ExitCode::SUCCESS)
}

fn check(store: &Path, format: Format) -> Result<ExitCode> {
    let store = KeyStore::open_existing(store)?;
    let report = store.check()?;
    let flagged: Vec<StoredKey> = store
        .keys(None)?
        .into_iter()
        .filter(|k| !k.flags.is_empty())
        .collect();
    match format {
        Format::Text => {
            println!(
                "{}: {} keys, {} distinct RSA moduli (batch GCD {:.2} s); flagged: {} weak, {} private-key-published, {} shared-factor",
                store.label(),
                report.keys,
                report.rsa_moduli,
                report.batch_gcd_seconds,
                report.weak,
                report.private_key_published,
                report.shared_factor
            );
            print_keys(&store, &flagged, format)?;
        }
        Format::Jsonl => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", serde_json::json!({ "summary": report }))?;
            drop(out);
            print_keys(&store, &flagged, format)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_keys(store: &KeyStore, keys: &[StoredKey], format: Format) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for key in keys {
        match format {
            Format::Jsonl => writeln!(out, "{}", serde_json::to_string(key)?)?,
            Format::Text => {
                let size = key.bits.map(|b| format!(" {b}")).unwrap_or_default();
                writeln!(
                    out,
                    "{} {}{} (key {})",
                    key.name(),
                    key.key_type,
                    size,
                    key.id.0
                )?;
                for provenance in &key.provenance {
                    writeln!(out, "    from {provenance}")?;
                }
                if key.provenance.iter().any(|p| !p.is_independent()) {
                    let signed = store.recovered_from(key.id)?;
                    if let Some(first) = signed.first() {
                        writeln!(
                            out,
                            "    recovered from {} signed messages, first at {}",
                            signed.len(),
                            first.origin
                        )?;
                    }
                }
                for flag in &key.flags {
                    writeln!(out, "    FLAG {flag}")?;
                }
                if let Some(error) = &key.parse_error {
                    writeln!(out, "    unusable: {error}")?;
                }
            }
        }
    }
    out.flush().map_err(Into::into)
}
