//! A message rebuilt from an Outlook store never looks forged: a signature
//! that fails on it is `rebuilt`, one that verifies stays `verified`, and
//! the same bytes found as an .eml keep their real verdict.

use std::path::{Path, PathBuf};
use tamis_findings::Verdict;
use tamis_items::{Item, ItemKind, Origin};
use tamis_keys::KeyFile;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample(location: &str, kind: ItemKind) -> Item {
    let path = repo().join("examples/sample-dump").join(location);
    Item {
        bytes: std::fs::read(&path).unwrap(),
        origin: Origin::file("archive.pst")
            .entry("Inbox")
            .entry("message 0x200024"),
        kind,
    }
}

#[test]
fn failing_signatures_of_a_rebuilt_message_prove_nothing() {
    let keys = KeyFile::load(&repo().join("examples/sample-keys.zone")).unwrap();
    for (location, as_found) in [
        (
            "maildir-claire.dubois/cur/1492156800.M0004P2017.horizon-laptop:2,S",
            Verdict::BodyAltered,
        ),
        (
            "maildir-claire.dubois/cur/1492791000.M0008P2017.horizon-laptop:2,S",
            Verdict::HeadersAltered,
        ),
    ] {
        let found = tamis_mail::analyze(&sample(location, ItemKind::Message), &keys).unwrap();
        assert_eq!(found.verdict, as_found, "{location} as an .eml");

        let rebuilt =
            tamis_mail::analyze(&sample(location, ItemKind::RebuiltMessage), &keys).unwrap();
        assert_eq!(rebuilt.verdict, Verdict::Rebuilt, "{location} from a store");
        assert!(
            rebuilt
                .reason
                .contains("rebuilt by tamis from an Outlook store (PST, OST or MSG)"),
            "{}",
            rebuilt.reason
        );
        assert!(rebuilt.reason.contains("proves nothing either way"));
        assert_eq!(rebuilt.signatures[0].result, Verdict::Rebuilt);
        // The evidence is kept: the hashes still show what differs.
        assert_eq!(
            rebuilt.signatures[0].body_hash_claimed,
            found.signatures[0].body_hash_claimed
        );
    }
}

#[test]
fn a_signature_that_still_verifies_keeps_its_verdict() {
    let keys = KeyFile::load(&repo().join("examples/sample-keys.zone")).unwrap();
    let location = "maildir-claire.dubois/cur/1491203520.M0000P2017.horizon-laptop:2,S";
    let rebuilt = tamis_mail::analyze(&sample(location, ItemKind::RebuiltMessage), &keys).unwrap();
    assert_eq!(rebuilt.verdict, Verdict::Verified);
}
