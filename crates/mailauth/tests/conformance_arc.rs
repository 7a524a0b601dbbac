//! ValiMail's ARC validation suite (shared/conformance/arc), every case.
//!
//! Each case is a message, the `cv` a validator must reach, and the TXT
//! records its keys live in. Messages are written with LF line endings; the
//! suite's runners hand them to verifiers that treat LF as CRLF (dkimpy's
//! parser splits on `\r?\n`, Mail::DKIM's runner rewrites `\015?\012` to
//! CRLF), so LF becomes CRLF here too, and nothing else changes.
//!
//! `cv` is `None`, `Pass` or `Fail`, or empty: dkimpy, whose output the suite
//! records, prints nothing when a seal says cv=fail, "the chain is
//! terminated". RFC 8617 section 5.2 step 2 calls that chain `fail`, so empty
//! means `fail`.
//!
//! `unused_tests.yml` beside it holds what ValiMail set aside: signing-side
//! checks (which headers a signer includes, in what order) and merging of
//! Authentication-Results into the AAR, nothing a validator decides.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use tamis_mailauth::arc::{validate_chain, ChainValidation};
use tamis_mailauth::{TxtLookup, TxtRecord};

/// Cases where tamis deliberately reaches another `cv` than the suite, with
/// why. Each must still disagree, so a fix that makes one agree forces its
/// removal from this list.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];

#[derive(Deserialize)]
struct Scenario {
    description: String,
    /// In file order, duplicates kept: the suite names four cases twice
    /// (as_fields_b_head_case …), and a map would silently keep one of each.
    #[serde(deserialize_with = "every_entry")]
    tests: Vec<(String, Case)>,
    #[serde(rename = "txt-records", default)]
    txt_records: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Case {
    description: String,
    message: String,
    cv: Option<String>,
}

fn every_entry<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, Case)>, D::Error> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<(String, Case)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of test names to cases")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }
    d.deserialize_map(Entries)
}

fn suite_path(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/arc")
        .join(file)
}

fn load_scenarios(file: &str) -> Vec<Scenario> {
    let path = suite_path(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the ARC conformance suite is missing at {} ({e}); it ships in shared/",
            path.display()
        )
    });
    serde_norway::Deserializer::from_str(&text)
        .map(|doc| Scenario::deserialize(doc).expect("scenario matches the suite's schema"))
        .collect()
}

fn expected_cv(cv: Option<&str>) -> ChainValidation {
    match cv.unwrap_or("").trim().to_ascii_lowercase().as_str() {
        "none" => ChainValidation::None,
        "pass" => ChainValidation::Pass,
        "fail" | "" => ChainValidation::Fail,
        other => panic!("unknown cv {other:?} in the suite"),
    }
}

fn crlf(message: &str) -> Vec<u8> {
    message
        .replace("\r\n", "\n")
        .replace('\n', "\r\n")
        .into_bytes()
}

fn key_map(records: &BTreeMap<String, String>) -> HashMap<String, TxtLookup> {
    records
        .iter()
        .map(|(name, value)| {
            let record = TxtRecord {
                value: value.clone(),
                source: format!("suite txt-records {name}"),
                ..TxtRecord::default()
            };
            (name.to_ascii_lowercase(), TxtLookup::Found(vec![record]))
        })
        .collect()
}

#[test]
fn tamis_reaches_the_suites_chain_validation_status_except_where_listed() {
    let scenarios = load_scenarios("arc-draft-validation-tests.yml");
    let known: HashMap<&str, &str> = KNOWN_DISAGREEMENTS.iter().copied().collect();
    let mut seen = Vec::new();
    let mut agree = 0;
    let mut unexpected = Vec::new();
    for scenario in &scenarios {
        let keys = key_map(&scenario.txt_records);
        for (name, case) in &scenario.tests {
            seen.push(name.as_str());
            let expected = expected_cv(case.cv.as_deref());
            let result = validate_chain(&crlf(&case.message), &keys);
            let agrees = result.chain == expected;
            agree += usize::from(agrees);
            let listed = known.contains_key(name.as_str());
            if agrees == listed {
                unexpected.push(format!(
                    "{name} ({} / {}): suite says {expected:?}, tamis {:?}{}: {}",
                    scenario.description.trim(),
                    case.description,
                    result.chain,
                    if listed {
                        " but it is listed as a known disagreement"
                    } else {
                        ""
                    },
                    result.reason
                ));
            }
        }
    }
    println!(
        "ARC conformance: {agree}/{} agree, {} known disagreement(s)",
        seen.len(),
        KNOWN_DISAGREEMENTS.len()
    );
    for (name, why) in KNOWN_DISAGREEMENTS {
        assert!(
            seen.contains(name),
            "listed case {name} is not in the suite"
        );
        println!("  known disagreement {name}: {why}");
    }
    assert!(
        unexpected.is_empty(),
        "{} case(s) differ from expectations:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

#[test]
fn the_suite_has_the_cases_it_is_known_for() {
    let scenarios = load_scenarios("arc-draft-validation-tests.yml");
    let cases: usize = scenarios.iter().map(|s| s.tests.len()).sum();
    // A silently truncated parse would make the agreement count meaningless.
    assert_eq!(cases, 174, "the suite's case count changed");
}

#[test]
fn a_message_with_ten_thousand_arc_headers_is_judged_quickly() {
    let mut message = String::new();
    for i in 0..3_333 {
        let n = i % 60 + 1;
        message.push_str(&format!(
            "ARC-Seal: i={n}; cv=pass; a=rsa-sha256; d=x; s=y; b=AA==\r\n"
        ));
        message.push_str(&format!(
            "ARC-Message-Signature: i={n}; a=rsa-sha256; h=from; b=AA==\r\n"
        ));
        message.push_str(&format!("ARC-Authentication-Results: i={n}; x; none\r\n"));
    }
    message.push_str("From: a@example.org\r\n\r\nbody\r\n");
    let started = std::time::Instant::now();
    let result = validate_chain(message.as_bytes(), &HashMap::new());
    assert_eq!(result.chain, ChainValidation::Fail);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn evidence_shows_which_older_message_signature_no_longer_holds() {
    let scenarios = load_scenarios("arc-draft-validation-tests.yml");
    let (scenario, case) = scenarios
        .iter()
        .find_map(|s| {
            s.tests
                .iter()
                .find(|(name, _)| name == "cv_pass_i2_1_ams1_invalid")
                .map(|(_, case)| (s, case))
        })
        .expect("the suite has cv_pass_i2_1_ams1_invalid");
    let result = validate_chain(&crlf(&case.message), &key_map(&scenario.txt_records));
    assert_eq!(result.chain, ChainValidation::Pass);
    let older = &result.sets[0];
    let newest = &result.sets[1];
    assert_eq!(older.message_signature_verifies, Some(false));
    assert_eq!(newest.message_signature_verifies, Some(true));
    assert!(result.sets.iter().all(|s| s.seal_verifies == Some(true)));
    assert_eq!(
        newest.seal_key_source.as_deref(),
        Some("suite txt-records dummy._domainkey.example.org")
    );
    assert_eq!(newest.claimed_cv.as_deref(), Some("pass"));
    assert_eq!(newest.seal_timestamp, Some(12346));
}
