//! Findings that only show across many documents: edit bursts, an
//! editor's name in another script than the case's, shared lineage.
//!
//! - `edit-burst`: at least [`CollectionParams::burst_min_files`] documents
//!   last modified within [`CollectionParams::burst_window_secs`] by the same
//!   editor (last modified by, else author), or by the same application.
//!   People save a few files in a few minutes; a set of files created years
//!   apart and all saved within minutes by one person is a batch edit (in
//!   #MacronLeaks, Excel files ten years old saved within four minutes by one
//!   Russian-language Excel). The created span is given in every burst so a
//!   reader can tell the two apart.
//! - `editor-script-mismatch`: an author or editor name whose letters are
//!   mostly in another script (Cyrillic, Latin, Greek, Arabic, Hebrew, CJK…)
//!   than most names of the collection.
//! - `shared-lineage`: documents with the same OOXML `w:rsidRoot` (the
//!   editing session a Word document began in) or the same first PDF
//!   trailer ID (set when a PDF is first written, kept by incremental
//!   updates): copies or edits of one original, or of one template.

mod script;

use crate::findings::{format_day, format_span, format_utc};
use crate::{DocumentReport, Finding};
use std::collections::{BTreeMap, BTreeSet};

pub use script::{script_of, Script};

/// A document of the collection, named as the caller wants it shown.
pub struct Member<'a> {
    pub name: String,
    pub report: &'a DocumentReport,
}

/// Thresholds of the collection findings; [`Default`] gives the
/// documented defaults.
#[derive(Clone, Debug)]
pub struct CollectionParams {
    /// `edit-burst`: fewest documents in a burst. Default 5: the
    /// #MacronLeaks set had 6 (of 9 Excel files), and an office worker saving
    /// four files in ten minutes is common enough not to report.
    pub burst_min_files: usize,
    /// `edit-burst`: the window, in seconds, that many documents must be
    /// last modified in. Default 600 (10 minutes). Chained windows
    /// (every document within this of the next ones) make one burst,
    /// reported with its real extent.
    pub burst_window_secs: i64,
    /// `edit-burst`: a burst whose documents were created at least this far
    /// apart (seconds) is called out as old files saved together. Default
    /// one year.
    pub burst_created_span_secs: i64,
    /// `edit-burst`: also look for bursts by the same application (whoever
    /// the editor). Default true. A burst already found by editor is not
    /// reported again by application.
    pub burst_by_application: bool,
    /// `editor-script-mismatch`: fewest distinct names with a script before
    /// the collection's majority script is called. Default 3: with two
    /// names there is no majority to differ from.
    pub script_min_names: usize,
}

impl Default for CollectionParams {
    fn default() -> Self {
        CollectionParams {
            burst_min_files: 5,
            burst_window_secs: 600,
            burst_created_span_secs: 365 * 86_400,
            burst_by_application: true,
            script_min_names: 3,
        }
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct CollectionFinding {
    pub finding: Finding,
    /// The documents it is about (`Member::name`), in collection order.
    pub members: Vec<String>,
}

/// Findings over the whole collection, each naming its members: edit
/// bursts, then script mismatches, then shared lineage.
pub fn collection_findings(
    members: &[Member<'_>],
    params: &CollectionParams,
) -> Vec<CollectionFinding> {
    let mut out = edit_bursts(members, params);
    out.extend(script_mismatches(members, params));
    out.extend(shared_lineage(members));
    out
}

fn clean(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Case and spacing do not make another person or program.
fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Basis {
    Editor,
    Application,
}

/// Runs of at least `min` times (sorted) in which every time lies within
/// `window` of `min - 1` others; overlapping runs are merged. Returns
/// index ranges into `times`.
fn bursts(times: &[i64], min: usize, window: i64) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut j = 0;
    for i in 0..times.len() {
        j = j.max(i);
        while j + 1 < times.len() && times[j + 1] - times[i] <= window {
            j += 1;
        }
        if j + 1 - i >= min.max(2) {
            match runs.last_mut() {
                Some(last) if i <= last.1 => last.1 = last.1.max(j),
                _ => runs.push((i, j)),
            }
        }
    }
    runs
}

/// The key as first met, and (modified, member index) of each document.
type Group = (String, Vec<(i64, usize)>);

fn edit_bursts(members: &[Member<'_>], params: &CollectionParams) -> Vec<CollectionFinding> {
    // (basis, normalized key) → (shown key, [(modified, member index)])
    let mut groups: BTreeMap<(Basis, String), Group> = BTreeMap::new();
    for (i, member) in members.iter().enumerate() {
        let m = &member.report.metadata;
        let Some(modified) = m.modified else { continue };
        if let Some(editor) = clean(&m.last_modified_by).or_else(|| clean(&m.author)) {
            groups
                .entry((Basis::Editor, normalize(editor)))
                .or_insert_with(|| (editor.to_owned(), Vec::new()))
                .1
                .push((modified, i));
        }
        if params.burst_by_application {
            if let Some(app) = clean(&m.application) {
                groups
                    .entry((Basis::Application, normalize(app)))
                    .or_insert_with(|| (app.to_owned(), Vec::new()))
                    .1
                    .push((modified, i));
            }
        }
    }
    let mut found: Vec<(Basis, BTreeSet<usize>, CollectionFinding)> = Vec::new();
    for ((basis, _), (shown, mut dated)) in groups {
        dated.sort();
        let times: Vec<i64> = dated.iter().map(|(t, _)| *t).collect();
        for (from, to) in bursts(&times, params.burst_min_files, params.burst_window_secs) {
            let set: BTreeSet<usize> = dated[from..=to].iter().map(|(_, i)| *i).collect();
            if basis == Basis::Application
                && found
                    .iter()
                    .any(|(b, s, _)| *b == Basis::Editor && set.is_subset(s))
            {
                continue;
            }
            let finding =
                describe_burst(members, basis, &shown, &set, times[from], times[to], params);
            found.push((basis, set, finding));
        }
    }
    found.into_iter().map(|(_, _, f)| f).collect()
}

fn describe_burst(
    members: &[Member<'_>],
    basis: Basis,
    shown: &str,
    set: &BTreeSet<usize>,
    first: i64,
    last: i64,
    params: &CollectionParams,
) -> CollectionFinding {
    let reports: Vec<&DocumentReport> = set.iter().map(|&i| members[i].report).collect();
    let created: Vec<i64> = reports.iter().filter_map(|r| r.metadata.created).collect();
    let mut evidence = BTreeMap::new();
    let who = match basis {
        Basis::Editor => {
            evidence.insert("editor".into(), shown.to_owned());
            format!("by the same editor ({shown:?})")
        }
        Basis::Application => {
            evidence.insert("application".into(), shown.to_owned());
            format!("by the same application ({shown:?})")
        }
    };
    let applications: BTreeSet<&str> = reports
        .iter()
        .filter_map(|r| clean(&r.metadata.application))
        .collect();
    if basis == Basis::Editor && !applications.is_empty() {
        evidence.insert(
            "applications".into(),
            applications.iter().copied().collect::<Vec<_>>().join("; "),
        );
    }
    evidence.insert("documents".into(), set.len().to_string());
    evidence.insert("first modified".into(), format_utc(first));
    evidence.insert("last modified".into(), format_utc(last));
    evidence.insert("modified within".into(), format_span(last - first));
    let mut detail = format!(
        "{} documents were last modified {who} within {} ({} to {})",
        set.len(),
        format_span(last - first),
        format_utc(first),
        format_utc(last)
    );
    if let (Some(&old), Some(&new)) = (created.iter().min(), created.iter().max()) {
        evidence.insert("created from".into(), format_utc(old));
        evidence.insert("created to".into(), format_utc(new));
        evidence.insert("created span".into(), format_span(new - old));
        if new - old >= params.burst_created_span_secs {
            detail.push_str(&format!(
                ", although they were created {} apart ({} to {}): documents of different ages saved together, as a batch edit or a planted set would be",
                format_span(new - old),
                format_day(old),
                format_day(new)
            ));
        } else {
            detail.push_str(&format!(
                "; they were created within {} of each other ({} to {})",
                format_span(new - old),
                format_day(old),
                format_day(new)
            ));
        }
    }
    CollectionFinding {
        finding: Finding {
            code: "edit-burst".into(),
            detail,
            evidence,
        },
        members: set.iter().map(|&i| members[i].name.clone()).collect(),
    }
}

/// A person's name as met in the collection.
struct Name {
    shown: String,
    script: Script,
    /// member index → the roles the name has there.
    roles: BTreeMap<usize, BTreeSet<&'static str>>,
}

fn script_mismatches(members: &[Member<'_>], params: &CollectionParams) -> Vec<CollectionFinding> {
    let mut names: BTreeMap<String, Name> = BTreeMap::new();
    for (i, member) in members.iter().enumerate() {
        let m = &member.report.metadata;
        for (role, value) in [
            ("author", clean(&m.author)),
            ("last modified by", clean(&m.last_modified_by)),
        ] {
            let Some(value) = value else { continue };
            let Some(script) = script_of(value) else {
                continue;
            };
            names
                .entry(normalize(value))
                .or_insert_with(|| Name {
                    shown: value.to_owned(),
                    script,
                    roles: BTreeMap::new(),
                })
                .roles
                .entry(i)
                .or_default()
                .insert(role);
        }
    }
    // Distinct names, not documents: one prolific editor must not make the
    // majority alone.
    let mut by_script: BTreeMap<Script, usize> = BTreeMap::new();
    for name in names.values() {
        *by_script.entry(name.script).or_default() += 1;
    }
    let total: usize = by_script.values().sum();
    if total < params.script_min_names.max(2) {
        return Vec::new();
    }
    let Some((&majority, &count)) = by_script.iter().max_by_key(|(_, n)| **n) else {
        return Vec::new();
    };
    if count * 2 <= total {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (&script, &n) in &by_script {
        if script == majority {
            continue;
        }
        let odd: Vec<&Name> = names
            .values()
            .filter(|name| name.script == script)
            .collect();
        let mut docs: BTreeSet<usize> = BTreeSet::new();
        let mut evidence = BTreeMap::new();
        let mut described = Vec::new();
        for name in &odd {
            docs.extend(name.roles.keys());
            let roles: BTreeSet<&str> = name.roles.values().flatten().copied().collect();
            let listing = name
                .roles
                .keys()
                .map(|&i| members[i].name.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            evidence.insert(
                name.shown.clone(),
                format!(
                    "{} in {} document(s): {listing}",
                    roles.into_iter().collect::<Vec<_>>().join(" and "),
                    name.roles.len()
                ),
            );
            described.push(format!(
                "{:?} ({} document(s))",
                name.shown,
                name.roles.len()
            ));
        }
        evidence.insert("script".into(), script.to_string());
        evidence.insert(
            "collection's script".into(),
            format!("{majority} ({count} of {total} distinct names)"),
        );
        out.push(CollectionFinding {
            finding: Finding {
                code: "editor-script-mismatch".into(),
                detail: format!(
                    "{n} author or editor name(s) in {script} script where {count} of the collection's {total} distinct names are in {majority}: {}",
                    described.join(", ")
                ),
                evidence,
            },
            members: docs.iter().map(|&i| members[i].name.clone()).collect(),
        });
    }
    out
}

/// An identifier worth grouping on: not empty, not all zeros (writers
/// that do not make real IDs write zeros).
fn identifier(s: &str) -> Option<String> {
    let t = s.trim().trim_matches(['<', '>', '{', '}']).to_uppercase();
    (!t.is_empty() && !t.chars().all(|c| c == '0')).then_some(t)
}

fn shared_lineage(members: &[Member<'_>]) -> Vec<CollectionFinding> {
    let mut groups: BTreeMap<(&'static str, String), Vec<usize>> = BTreeMap::new();
    for (i, member) in members.iter().enumerate() {
        let m = &member.report.metadata;
        if let Some(rsid) = m.rsid_root.as_deref().and_then(identifier) {
            groups.entry(("rsidRoot", rsid)).or_default().push(i);
        }
        if let Some(id) = m.document_ids.first().and_then(|id| identifier(id)) {
            groups.entry(("PDF document ID", id)).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for ((what, id), docs) in groups {
        if docs.len() < 2 {
            continue;
        }
        let names: Vec<String> = docs.iter().map(|&i| members[i].name.clone()).collect();
        let why = if what == "rsidRoot" {
            "Word writes the rsidRoot of the editing session a document began in and keeps it through every later save, so these documents are copies or edits of one original (or were made from one custom template)"
        } else {
            "a PDF's first ID is set when the file is first written and kept by incremental updates and by tools that edit it in place, so these documents are versions of one original"
        };
        let mut evidence = BTreeMap::new();
        evidence.insert(what.to_owned(), id.clone());
        evidence.insert("documents".into(), names.join(", "));
        out.push(CollectionFinding {
            finding: Finding {
                code: "shared-lineage".into(),
                detail: format!("{} documents share the {what} {id}: {why}", docs.len()),
                evidence,
            },
            members: names,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_merge_overlapping_windows() {
        assert_eq!(bursts(&[0, 60, 120, 180, 240], 5, 600), vec![(0, 4)]);
        assert_eq!(bursts(&[0, 60, 120, 180, 10_000], 5, 600), vec![]);
        // Chained: every file within 10 minutes of the four before it.
        let chained: Vec<i64> = (0..10).map(|i| i * 200).collect();
        assert_eq!(bursts(&chained, 5, 600), vec![]);
        let dense: Vec<i64> = (0..10).map(|i| i * 100).collect();
        assert_eq!(bursts(&dense, 5, 600), vec![(0, 9)]);
        assert_eq!(
            bursts(
                &[0, 1, 2, 3, 4, 100_000, 100_001, 100_002, 100_003, 100_004],
                5,
                600
            ),
            vec![(0, 4), (5, 9)]
        );
        assert_eq!(bursts(&[], 5, 600), vec![]);
    }

    #[test]
    fn identifiers_ignore_zeros_and_brackets() {
        assert_eq!(identifier("<00000000>"), None);
        assert_eq!(identifier(" 00a1b2c3 "), Some("00A1B2C3".into()));
        assert_eq!(identifier(""), None);
    }
}
