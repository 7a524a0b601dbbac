//! Damaged and hostile archives: each becomes a finding with a stable code,
//! what was read before the damage stays, and the walk goes on.
mod common;

use common::*;
use tamis_sources::Limits;
use zip::CompressionMethod;

#[test]
fn truncated_tar_gz_keeps_items_read_before_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let tar = tar_of(&[
        ("1.eml", &noisy_message(1, 20_000)),
        ("2.eml", &noisy_message(2, 20_000)),
        ("3.eml", &noisy_message(3, 20_000)),
    ]);
    let gz = gzip(&tar);
    let cut = write(dir.path(), "cut.tar.gz", &gz[..gz.len() / 2]);
    let after = write(dir.path(), "z_after.eml", &message(9));

    let run = run(&[cut.clone(), after.clone()], Limits::default());

    assert_eq!(
        run.origins(),
        vec![
            format!("{}!cut.tar!1.eml", cut.display()),
            after.display().to_string()
        ]
    );
    assert_eq!(
        run.codes(),
        vec![("archive-truncated".into(), cut.display().to_string())]
    );
    assert!(
        run.unreadable[0].reason.contains("decompressed bytes"),
        "{}",
        run.unreadable[0].reason
    );
}

#[test]
fn truncated_plain_tar_reports_the_entry_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let tar = tar_of(&[
        ("a.eml", &noisy_message(1, 3000)),
        ("b.eml", &noisy_message(2, 3000)),
    ]);
    let first_entry_end = 512 + 3072 + 512;
    let path = write(dir.path(), "cut.tar", &tar[..first_entry_end + 512 + 1000]);

    let run = run_one(&path);

    let t = path.display();
    assert_eq!(run.origins(), vec![format!("{t}!a.eml")]);
    assert_eq!(
        run.codes(),
        vec![("archive-truncated".into(), format!("{t}!b.eml"))]
    );
    assert!(run.unreadable[0].reason.contains("ends after 1000 of"));
}

#[test]
fn truncated_zip_is_salvaged_from_its_local_headers() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_with(
        &[
            ("1.eml", &noisy_message(1, 4000)),
            ("2.eml", &noisy_message(2, 4000)),
            ("3.eml", &noisy_message(3, 4000)),
        ],
        CompressionMethod::Deflated,
    );
    let cut_at = zip.len() * 3 / 4; // inside the third entry's data
    let path = write(dir.path(), "cut.zip", &zip[..cut_at]);

    let run = run_one(&path);

    let z = path.display();
    assert_eq!(
        run.origins(),
        vec![format!("{z}!1.eml"), format!("{z}!2.eml")]
    );
    let codes = run.codes();
    assert_eq!(codes.len(), 2, "{:?}", run.log);
    assert_eq!(codes[0], ("archive-truncated".into(), format!("{z}!3.eml")));
    assert_eq!(codes[1], ("archive-truncated".into(), z.to_string()));
    assert!(run.unreadable[1].reason.contains("2 entries recovered"));
}

#[test]
fn a_zip_entry_failing_its_crc_is_reported_and_its_siblings_kept() {
    let dir = tempfile::tempdir().unwrap();
    let body = message(1);
    let mut zip = zip_with(
        &[("bad.eml", &body), ("good.eml", &message(2))],
        CompressionMethod::Stored,
    );
    let at = zip
        .windows(body.len())
        .position(|w| w == body.as_slice())
        .unwrap();
    zip[at + body.len() - 3] ^= 0x20;
    let path = write(dir.path(), "crc.zip", &zip);

    let run = run_one(&path);

    let z = path.display();
    assert_eq!(run.origins(), vec![format!("{z}!good.eml")]);
    assert_eq!(
        run.codes(),
        vec![("entry-corrupt".into(), format!("{z}!bad.eml"))]
    );
}

#[test]
fn a_zip_with_garbage_after_its_magic_is_reported_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = b"PK\x03\x04".to_vec();
    fake.extend(noise(5, 300));
    let path = write(dir.path(), "fake.zip", &fake);

    let run = run_one(&path);

    assert!(run.items.is_empty());
    assert_eq!(
        run.codes(),
        vec![("archive-corrupt".into(), path.display().to_string())]
    );
}

#[test]
fn zip_bomb_entry_is_capped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 20 << 20];
    let zip = zip_of(&[("bomb.bin", &zeros), ("after.eml", &message(1))]);
    drop(zeros);
    assert!(zip.len() < 100_000, "the bomb compresses about 1000:1");
    let path = write(dir.path(), "bomb.zip", &zip);

    let run = run_one(&path);

    let z = path.display();
    assert_eq!(run.origins(), vec![format!("{z}!after.eml")]);
    assert_eq!(
        run.codes(),
        vec![("archive-bomb".into(), format!("{z}!bomb.bin"))]
    );
    assert!(run.unreadable[0].reason.contains("ratio"));
}

#[test]
fn zip_entry_over_max_entry_bytes_is_entry_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(&[
        ("big.eml", &noisy_message(1, 5000)),
        ("small.eml", &message(2)),
    ]);
    let path = write(dir.path(), "big.zip", &zip);
    let limits = Limits {
        max_entry_bytes: 4000,
        ..Limits::default()
    };

    let run = run_with(&path, limits);

    let z = path.display();
    assert_eq!(run.origins(), vec![format!("{z}!small.eml")]);
    assert_eq!(
        run.codes(),
        vec![("entry-too-large".into(), format!("{z}!big.eml"))]
    );
}

#[test]
fn gzip_bomb_is_stopped_by_the_ratio_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bomb.mbox.gz", &gzip(&vec![0u8; 20 << 20]));

    let run = run_one(&path);

    assert!(run.items.is_empty());
    assert_eq!(
        run.codes(),
        vec![("archive-bomb".into(), path.display().to_string())]
    );
}

#[test]
fn the_expansion_budget_caps_a_whole_top_level_file() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(&[
        ("1.eml", &noisy_message(1, 6000)),
        ("2.eml", &noisy_message(2, 6000)),
        ("3.eml", &noisy_message(3, 6000)),
    ]);
    let a = write(dir.path(), "a.zip", &zip);
    let b = write(dir.path(), "b.zip", &zip);
    let limits = Limits {
        max_archive_expanded_bytes: 10_000,
        ..Limits::default()
    };

    let run = run(&[a.clone(), b.clone()], limits);

    // The budget is per top-level file: b.zip starts afresh.
    let (a, b) = (a.display(), b.display());
    assert_eq!(
        run.origins(),
        vec![format!("{a}!1.eml"), format!("{b}!1.eml")]
    );
    assert_eq!(
        run.codes(),
        vec![
            ("archive-bomb".into(), format!("{a}!2.eml")),
            ("archive-bomb".into(), format!("{a}!3.eml")),
            ("archive-bomb".into(), format!("{b}!2.eml")),
            ("archive-bomb".into(), format!("{b}!3.eml")),
        ]
    );
}

#[test]
fn a_nested_zip_over_the_buffer_limit_is_reported_not_held() {
    let dir = tempfile::tempdir().unwrap();
    let inner = zip_of(&[("m.eml", &noisy_message(1, 5000))]);
    let outer = tar_of(&[("inner.zip", &inner), ("ok.eml", &message(2))]);
    let path = write(dir.path(), "outer.tar", &outer);
    let limits = Limits {
        max_zip_buffer_bytes: 1000,
        ..Limits::default()
    };

    let run = run_with(&path, limits);

    let t = path.display();
    assert_eq!(run.origins(), vec![format!("{t}!ok.eml")]);
    assert_eq!(
        run.codes(),
        vec![("entry-too-large".into(), format!("{t}!inner.zip"))]
    );
}

#[test]
fn an_encrypted_zip_entry_is_reported_unsupported() {
    let dir = tempfile::tempdir().unwrap();
    let mut zip = zip_with(
        &[("secret.eml", &message(1)), ("open.eml", &message(2))],
        CompressionMethod::Stored,
    );
    // Set the "encrypted" flag on the first entry, in its local and central headers.
    for signature in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let at = zip.windows(4).position(|w| w == signature).unwrap();
        let flags = at + if signature[2] == 3 { 6 } else { 8 };
        zip[flags] |= 1;
    }
    let path = write(dir.path(), "locked.zip", &zip);

    let run = run_one(&path);

    let z = path.display();
    assert_eq!(run.origins(), vec![format!("{z}!open.eml")]);
    assert_eq!(
        run.codes(),
        vec![("entry-unsupported".into(), format!("{z}!secret.eml"))]
    );
}

#[test]
fn a_bomb_lying_about_its_compressed_size_is_still_capped() {
    let dir = tempfile::tempdir().unwrap();
    let mut zip = zip_of(&[("bomb.bin", &vec![0u8; 20 << 20])]);
    // Declare 2 GiB of compressed data, so a ratio taken from the headers
    // would allow 400 GiB out; the cap must count what is actually read.
    for (signature, field) in [(&b"PK\x03\x04"[..], 18), (&b"PK\x01\x02"[..], 20)] {
        let at = zip.windows(4).position(|w| w == signature).unwrap();
        zip[at + field..at + field + 4].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    }
    let path = write(dir.path(), "liar.zip", &zip);

    let run = run_one(&path);

    assert!(run.items.is_empty(), "{:?}", run.log);
    assert_eq!(run.unreadable.len(), 1, "{:?}", run.log);
    assert_eq!(run.unreadable[0].origin.entries.len(), 1);
    assert_eq!(run.unreadable[0].code, "archive-bomb");
}
