//! Issue 7 end to end on dkimpy-signed fixtures (fixtures/keys, made by
//! fixtures/make-key-fixtures.py): archived rotated keys, archive windows,
//! published private keys and shared primes change verdicts as documented,
//! and keys nobody kept are recovered from the dump's own signatures.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One row of fixtures/keys/expected.tsv.
struct Expected {
    file: String,
    keys: String,
    verdict: String,
    flags: String,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(repo().join("fixtures/keys/expected.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Expected {
                file: cols[0].into(),
                keys: cols[1].into(),
                verdict: cols[2].into(),
                flags: cols[3].into(),
            }
        })
        .collect()
}

fn import(store: &Path, files: &[&str]) {
    let mut args = vec!["keys", "import"];
    args.extend_from_slice(files);
    args.extend(["--store", store.to_str().unwrap()]);
    tamis_ok(&args);
}

/// Verdict, caveat codes and key source of every message under `dirs`, by
/// path relative to fixtures/keys.
fn verify(dirs: &[&str], store: &Path) -> BTreeMap<String, Value> {
    let mut args: Vec<String> = dirs.iter().map(|d| format!("fixtures/keys/{d}")).collect();
    args.extend(["--keys".into(), store.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (messages, _) = verify_jsonl(&args);
    messages
        .into_iter()
        .map(|m| {
            let file = m["origins"][0]["file"].as_str().unwrap().to_owned();
            let relative = file
                .split("fixtures/keys/")
                .nth(1)
                .unwrap_or(&file)
                .to_owned();
            (relative, m)
        })
        .collect()
}

fn caveat_codes(message: &Value) -> String {
    let codes: Vec<&str> = message["signatures"][0]["key_caveats"]
        .as_array()
        .map(|c| c.iter().map(|c| c["code"].as_str().unwrap()).collect())
        .unwrap_or_default();
    if codes.is_empty() {
        "-".into()
    } else {
        codes.join(",")
    }
}

#[test]
fn trust_flags_from_the_store_decide_verdicts_as_the_fixtures_expect() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("keys.sqlite");
    let key_files = [
        "rotated/archive.json",
        "windows/archive.json",
        "published/keys.zone",
        "shared-prime/keys.zone",
    ];
    let paths: Vec<String> = key_files
        .iter()
        .map(|f| format!("fixtures/keys/{f}"))
        .collect();
    import(
        &store,
        &paths.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let found = verify(&["rotated", "windows", "published", "shared-prime"], &store);
    let rows: Vec<Expected> = expected()
        .into_iter()
        .filter(|e| !e.file.starts_with("missing/"))
        .collect();
    assert_eq!(found.len(), rows.len(), "{:?}", found.keys());
    for row in &rows {
        assert!(key_files.contains(&row.keys.as_str()), "{}", row.keys);
        let message = &found[&row.file];
        assert_eq!(message["verdict"], row.verdict.as_str(), "{}", row.file);
        assert_eq!(caveat_codes(message), row.flags, "{}", row.file);
        if row.verdict == "weak" {
            let reason = message["reason"].as_str().unwrap();
            assert!(
                reason.contains("cannot be trusted"),
                "{}: {reason}",
                row.file
            );
            assert!(!reason.contains("signed this message"), "{reason}");
        }
    }

    // Each rotated message verifies with the archived key of its period,
    // and the evidence names that archive entry.
    let rotated =
        std::fs::read_to_string(repo().join("fixtures/keys/rotated/expected.tsv")).unwrap();
    for line in rotated.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let source = found[&format!("rotated/{}", cols[0])]["signatures"][0]["key_source"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            source.contains(&format!("archive.json[{}] (seen {})", cols[2], cols[3])),
            "{}: {source}",
            cols[0]
        );
    }
}

/// What `keys recover --format jsonl` said about one group.
fn groups(stdout: &str) -> BTreeMap<String, Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|g| (g["domain"].as_str().unwrap().to_owned(), g))
        .collect()
}

/// RSA modulus by key name, from `keys list --format jsonl`.
fn moduli(store: &Path) -> BTreeMap<String, String> {
    tamis_ok(&[
        "keys",
        "list",
        "--format",
        "jsonl",
        "--store",
        store.to_str().unwrap(),
    ])
    .lines()
    .map(|l| serde_json::from_str::<Value>(l).unwrap())
    .filter_map(|k| {
        let name = format!(
            "{}._domainkey.{}",
            k["selector"].as_str()?,
            k["domain"].as_str()?
        );
        Some((name, k["rsa_modulus_hex"].as_str()?.to_owned()))
    })
    .collect()
}

#[test]
fn keys_nobody_kept_are_recovered_from_two_or_more_signatures_and_stay_unproven() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("recovered.sqlite");
    let store_arg = store.to_str().unwrap();
    let out = tamis_ok(&[
        "keys",
        "recover",
        "fixtures/keys/missing",
        "--store",
        store_arg,
        "--format",
        "jsonl",
    ]);
    let groups = groups(&out);
    // domain → (signatures, status) as fixtures/keys/missing/groups.tsv says.
    let table = std::fs::read_to_string(repo().join("fixtures/keys/missing/groups.tsv")).unwrap();
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (domain, messages, recoverable) = (cols[1], cols[6], cols[7]);
        let group = &groups[domain];
        assert_eq!(group["signatures"].to_string(), messages, "{domain}");
        if recoverable == "yes" {
            assert_eq!(group["status"], "recovered", "{domain}: {group}");
            assert_eq!(group["exponent"], 65537);
            assert_eq!(group["key_bits"].to_string(), cols[4], "{domain}");
            assert_eq!(
                group["verified_with_key"], group["signatures"],
                "every signature of the group opens with the recovered key: {group}"
            );
            assert_eq!(group["independent_matches"], serde_json::json!([]));
        } else {
            assert_eq!(group["status"], "not-recoverable", "{domain}: {group}");
            assert!(group["detail"].as_str().unwrap().contains("two or more"));
        }
    }
    assert_eq!(groups.len(), table.lines().count() - 1);

    // The recovered keys are the real ones.
    let truth_store = dir.path().join("truth.sqlite");
    import(&truth_store, &["fixtures/keys/missing/public-keys.zone"]);
    let truth = moduli(&truth_store);
    let recovered = moduli(&store);
    assert_eq!(recovered.len(), 4);
    for (name, modulus) in &recovered {
        assert_eq!(Some(modulus), truth.get(name), "{name}");
    }

    // Verifying with the store: the signatures open, the verdict stays
    // key-missing, and the evidence says why.
    let found = verify(&["missing"], &store);
    for (file, message) in &found {
        assert_eq!(message["verdict"], "key-missing", "{file}");
        let single = file.starts_with("missing/D-");
        assert_eq!(
            caveat_codes(message),
            if single { "-" } else { "recovered" },
            "{file}"
        );
        if !single {
            let reason = message["reason"].as_str().unwrap();
            assert!(reason.contains("one consistent key"), "{reason}");
        }
    }

    // An independent archive with group A's key: A's messages are now
    // verified, the others unchanged.
    import(&store, &["fixtures/keys/missing/archive-for-A.json"]);
    let found = verify(&["missing"], &store);
    for (file, message) in &found {
        let expected = if file.starts_with("missing/A-") {
            "verified"
        } else {
            "key-missing"
        };
        assert_eq!(message["verdict"], expected, "{file}");
    }
}
