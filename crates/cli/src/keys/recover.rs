//! `tamis keys recover`: get back the keys nobody kept, from the dump's own
//! signatures.
//!
//! Every message is verified with the keys given; each RSA signature left
//! `key-missing` joins the group of its domain, selector and signature
//! length (one key, one modulus length). From two or more signatures of a
//! group the key is recovered (`tamis_keystore::recover`), stored with
//! provenance `recovered` and the messages it came from, and every
//! signature of the group is checked against it by the verifier itself.
//! A recovered key proves that the group's messages share one signing key,
//! not whose key it is: verdicts stay `key-missing` unless the same key is
//! known from an independent source, which the report says.

use anyhow::{Context, Result};
use crossbeam_channel::bounded;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};
use tamis_findings::Verdict;
use tamis_items::{Item, ItemKind, SourceEvent};
use tamis_keys::{KeyLookup, TxtLookup, TxtRecord};
use tamis_keystore::recover::{recover_rsa_key, HashAlg, RecoveryError};
use tamis_keystore::{KeyStore, RecoveredSignature, StoredKey};
use tamis_mailauth::common::crypto::HashAlgorithm;
use tamis_mailauth::dkim::SignedHash;
use tamis_sources::{Limits, Walker};

use super::Format;
use crate::keyargs::LoadedKeys;
use crate::progress;

/// One `key-missing` RSA signature, with what recovery needs.
struct Orphan {
    signed: SignedHash,
    message: RecoveredSignature,
}

/// The signatures of one domain, selector and modulus length.
type GroupKey = (String, String, usize);

/// What became of one group, for the report.
#[derive(Serialize)]
struct GroupReport {
    domain: String,
    selector: String,
    /// Bits of the signatures (the modulus length they imply).
    signature_bits: usize,
    signatures: usize,
    /// `recovered`, `not-recoverable` (one signature) or `failed`.
    status: &'static str,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_bits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exponent: Option<u32>,
    /// Signatures of the group the verifier opens with the recovered key.
    verified_with_key: usize,
    /// Keys in the store with the same public key that another source
    /// vouches for: `domain/selector: provenance`.
    independent_matches: Vec<String>,
    seconds: f64,
}

pub fn run(
    paths: &[PathBuf],
    store_path: &Path,
    keys: &LoadedKeys,
    format: Format,
) -> Result<ExitCode> {
    for path in paths {
        anyhow::ensure!(
            path.exists(),
            "{}: no such file or directory",
            path.display()
        );
    }
    let store = KeyStore::open(store_path)
        .with_context(|| format!("cannot open the key store {}", store_path.display()))?;
    let started = Instant::now();
    let both = Both {
        given: &keys.sources,
        store: &store,
    };
    let orphans = collect_orphans(paths, &both);
    keys.keep_dns_answers()?;
    let dump = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let messages: HashSet<String> = orphans.iter().map(|o| o.message.message.clone()).collect();
    let mut reports: Vec<GroupReport> = group(orphans)
        .into_par_iter()
        .map(|(key, group)| recover_group(key, group))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(report, group)| store_group(report, group, &store, &dump))
        .collect::<Result<_>>()?;
    count_verified(&mut reports, paths, &messages);
    print(&reports, format, started.elapsed().as_secs_f64())?;
    Ok(ExitCode::SUCCESS)
}

/// The keys given on the command line and the store written to, asked
/// together: a key recovered earlier must not be recovered again.
struct Both<'a> {
    given: &'a dyn KeyLookup,
    store: &'a KeyStore,
}

impl KeyLookup for Both<'_> {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        TxtLookup::merge([self.given.lookup_txt(name), self.store.lookup_txt(name)])
    }
}

/// Every `key-missing` RSA signature of every distinct message, in dump
/// order of origin (so the signatures a recovery uses do not depend on
/// thread timing).
fn collect_orphans(paths: &[PathBuf], keys: &dyn KeyLookup) -> Vec<Orphan> {
    let (item_tx, item_rx) = bounded::<Item>(64);
    let bar = progress::bar_over(paths);
    let mut orphans: Vec<(u64, Orphan)> = std::thread::scope(|scope| {
        let walker = Walker::new(Limits::default());
        let consumed = walker.progress();
        scope.spawn(move || {
            let mut seen = HashSet::new();
            walker.walk(paths, &mut |event| {
                if let SourceEvent::Item(item) = event {
                    if item.kind != ItemKind::File && seen.insert(tamis_mail::identify(&item).key) {
                        let _ = item_tx.send(item);
                    }
                }
            });
        });
        item_rx
            .into_iter()
            .enumerate()
            .par_bridge()
            .flat_map_iter(|(seq, item)| {
                bar.set_position(consumed.load(std::sync::atomic::Ordering::Relaxed));
                orphans_of(&item, keys)
                    .into_iter()
                    .map(move |orphan| (seq as u64, orphan))
            })
            .collect()
    });
    bar.finish_and_clear();
    orphans.sort_by_key(|(seq, _)| *seq);
    orphans.into_iter().map(|(_, orphan)| orphan).collect()
}

fn orphans_of(item: &Item, keys: &dyn KeyLookup) -> Vec<Orphan> {
    let Ok(report) = tamis_mail::analyze(item, keys) else {
        return Vec::new();
    };
    tamis_mail::rsa_signed_hashes(&item.bytes)
        .into_iter()
        .filter(|signed| {
            report
                .signatures
                .get(signed.signature_number)
                .is_some_and(|s| s.result == Verdict::KeyMissing)
        })
        .map(|signed| Orphan {
            message: RecoveredSignature {
                message: report.sha256.to_string(),
                origin: item.origin.to_string(),
                signed_at: signed.timestamp.and_then(|t| i64::try_from(t).ok()),
            },
            signed,
        })
        .collect()
}

fn group(orphans: Vec<Orphan>) -> BTreeMap<GroupKey, Vec<Orphan>> {
    let mut groups: BTreeMap<GroupKey, Vec<Orphan>> = BTreeMap::new();
    for orphan in orphans {
        let key = (
            orphan.signed.domain.clone(),
            orphan.signed.selector.clone(),
            orphan.signed.signature.len(),
        );
        groups.entry(key).or_default().push(orphan);
    }
    groups
}

fn recover_group(
    (domain, selector, length): GroupKey,
    group: Vec<Orphan>,
) -> (GroupReport, Vec<Orphan>) {
    let started = Instant::now();
    let signed: Vec<tamis_keystore::recover::SignedHash> = group
        .iter()
        .map(|o| tamis_keystore::recover::SignedHash {
            signature: o.signed.signature.clone(),
            hash: match o.signed.hash {
                HashAlgorithm::Sha1 => HashAlg::Sha1,
                HashAlgorithm::Sha256 => HashAlg::Sha256,
            },
            digest: o.signed.digest.clone(),
        })
        .collect();
    let mut report = GroupReport {
        domain,
        selector,
        signature_bits: length * 8,
        signatures: group.len(),
        status: "failed",
        detail: String::new(),
        record: None,
        key_bits: None,
        exponent: None,
        verified_with_key: 0,
        independent_matches: Vec::new(),
        seconds: 0.0,
    };
    match recover_rsa_key(&signed) {
        Ok(key) => {
            report.status = "recovered";
            report.record = Some(key.to_dkim_record());
            report.key_bits = Some(key.bits);
            report.exponent = Some(key.exponent);
        }
        Err(RecoveryError::TooFewSignatures) => {
            report.status = "not-recoverable";
            report.detail = "only one distinct signature by this key in the dump; recovery \
                             needs two or more"
                .into();
        }
        Err(error) => report.detail = error.to_string(),
    }
    report.seconds = started.elapsed().as_secs_f64();
    (report, group)
}

fn store_group(
    mut report: GroupReport,
    group: Vec<Orphan>,
    store: &KeyStore,
    dump: &str,
) -> Result<GroupReport> {
    let Some(record) = &report.record else {
        return Ok(report);
    };
    let messages: Vec<RecoveredSignature> = group.into_iter().map(|o| o.message).collect();
    store.add_recovered_key(
        (&report.domain, &report.selector),
        record,
        dump,
        unix_now(),
        &messages,
    )?;
    report.independent_matches = store
        .independent_keys_like(record)?
        .iter()
        .map(describe_match)
        .collect();
    Ok(report)
}

fn describe_match(key: &StoredKey) -> String {
    let sources: Vec<String> = key
        .provenance
        .iter()
        .filter(|p| p.is_independent())
        .map(ToString::to_string)
        .collect();
    format!("{}: {}", key.name(), sources.join("; "))
}

/// Counts, per group, the signatures the verifier itself opens with the
/// recovered key alone: the check that every signature of the group, not
/// only those the recovery used, was made by it. One more walk of the
/// dump, verifying only the messages that had a key-missing signature.
fn count_verified(reports: &mut [GroupReport], paths: &[PathBuf], messages: &HashSet<String>) {
    let mut records: HashMap<String, Vec<TxtRecord>> = HashMap::new();
    for report in reports.iter() {
        if let Some(record) = &report.record {
            let name = format!("{}._domainkey.{}", report.selector, report.domain);
            records.entry(name).or_default().push(TxtRecord {
                value: record.clone(),
                source: "recovered".into(),
                ..TxtRecord::default()
            });
        }
    }
    let only_recovered: HashMap<String, TxtLookup> = records
        .into_iter()
        .map(|(name, found)| (name, TxtLookup::Found(found)))
        .collect();
    let mut verified: HashMap<(String, String, usize), usize> = HashMap::new();
    let mut seen = HashSet::new();
    Walker::new(Limits::default()).walk(paths, &mut |event| {
        let SourceEvent::Item(item) = event else {
            return;
        };
        if item.kind == ItemKind::File {
            return;
        }
        let identity = tamis_mail::identify(&item);
        if !messages.contains(&identity.content_id.to_string()) || !seen.insert(identity.key) {
            return;
        }
        let Ok(report) = tamis_mail::analyze(&item, &only_recovered) else {
            return;
        };
        let lengths = tamis_mail::rsa_signed_hashes(&item.bytes);
        for signed in lengths {
            let opened = report
                .signatures
                .get(signed.signature_number)
                .is_some_and(|s| s.header_signature_verifies == Some(true));
            if opened {
                *verified
                    .entry((signed.domain, signed.selector, signed.signature.len()))
                    .or_default() += 1;
            }
        }
    });
    for report in reports {
        let key = (
            report.domain.clone(),
            report.selector.clone(),
            report.signature_bits / 8,
        );
        report.verified_with_key = verified.get(&key).copied().unwrap_or_default();
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn print(reports: &[GroupReport], format: Format, seconds: f64) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Jsonl => {
            for report in reports {
                writeln!(out, "{}", serde_json::to_string(report)?)?;
            }
        }
        Format::Text => {
            for r in reports {
                writeln!(
                    out,
                    "{}._domainkey.{}  {} signatures of {} bits: {}",
                    r.selector, r.domain, r.signatures, r.signature_bits, r.status
                )?;
                if let (Some(bits), Some(e)) = (r.key_bits, r.exponent) {
                    writeln!(
                        out,
                        "    RSA-{bits} e={e}, recovered in {:.2} s; {} of {} signatures verify with it",
                        r.seconds, r.verified_with_key, r.signatures
                    )?;
                    if r.independent_matches.is_empty() {
                        writeln!(
                            out,
                            "    no archive, zone file or DNS answer in the store has this key: \
                             the messages share one signing key, whose is not proven \
                             (verdicts stay key-missing)"
                        )?;
                    }
                    for m in &r.independent_matches {
                        writeln!(out, "    same key as {m}")?;
                    }
                }
                if !r.detail.is_empty() {
                    writeln!(out, "    {}", r.detail)?;
                }
            }
            let recovered = reports.iter().filter(|r| r.status == "recovered").count();
            writeln!(
                out,
                "{} groups of key-missing RSA signatures, {recovered} keys recovered, in {seconds:.1} s",
                reports.len()
            )?;
        }
    }
    out.flush()?;
    Ok(())
}
