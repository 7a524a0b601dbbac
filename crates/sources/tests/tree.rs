mod common;

use std::os::unix::fs::{symlink, PermissionsExt};
use std::sync::atomic::Ordering;

use common::*;
use tamis_items::ItemKind;
use tamis_sources::{total_bytes, Limits, Walker};

#[test]
fn maildir_tree_yields_one_item_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("Maildir");
    write(&maildir, "cur/1493999999.M1P1.host:2,S", &message(1));
    write(&maildir, "cur/1494000000.M2P2.host:2,RS", &message(2));
    write(&maildir, "new/1494000001.M3P3.host", &message(3));
    std::fs::create_dir_all(maildir.join("tmp")).unwrap();

    let run = run_one(&maildir);

    let root = maildir.display();
    assert_eq!(
        run.origins(),
        vec![
            format!("{root}/cur/1493999999.M1P1.host:2,S"),
            format!("{root}/cur/1494000000.M2P2.host:2,RS"),
            format!("{root}/new/1494000001.M3P3.host"),
        ]
    );
    assert_eq!(kinds(&run), vec![ItemKind::Message; 3]);
    assert_eq!(run.items[2].bytes, message(3));
    assert!(run.unreadable.is_empty());
    assert_eq!(run.stats.inputs, 3);
}

#[test]
fn a_tree_is_walked_in_sorted_order_whatever_the_creation_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["b/2.eml", "a/z.eml", "a/b/1.eml", "c.eml", "a/a.eml"] {
        write(dir.path(), name, &message(0));
    }
    let run = run_one(dir.path());
    let root = dir.path().display();
    let expected: Vec<String> = ["a/a.eml", "a/b/1.eml", "a/z.eml", "b/2.eml", "c.eml"]
        .iter()
        .map(|n| format!("{root}/{n}"))
        .collect();
    assert_eq!(run.origins(), expected);
}

#[test]
fn symlinks_in_a_tree_are_reported_and_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "secret.eml", &message(9));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "real.eml", &message(1));
    symlink(&secret, dir.path().join("link.eml")).unwrap();
    symlink(outside.path(), dir.path().join("linkdir")).unwrap();

    let run = run_one(dir.path());

    let root = dir.path().display();
    assert_eq!(run.origins(), vec![format!("{root}/real.eml")]);
    assert_eq!(
        run.codes(),
        vec![
            ("symlink-skipped".into(), format!("{root}/link.eml")),
            ("symlink-skipped".into(), format!("{root}/linkdir")),
        ]
    );
    assert!(run.unreadable[0].reason.contains("secret.eml"));
}

#[test]
fn binary_garbage_becomes_a_file_item() {
    let dir = tempfile::tempdir().unwrap();
    let garbage: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let path = write(dir.path(), "mail.eml", &garbage);

    let run = run_one(&path);

    assert!(run.unreadable.is_empty());
    assert_eq!(kinds(&run), vec![ItemKind::File]);
    assert_eq!(run.items[0].bytes, garbage);
}

#[test]
fn messages_are_recognised_by_content_not_extension() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "1_no_extension", &message(1));
    write(dir.path(), "2_named.pdf", &message(2));
    write(
        dir.path(),
        "3_short.eml",
        b"Subject: only one header\n\nbody\n",
    );
    write(
        dir.path(),
        "4_short.txt",
        b"Subject: only one header\n\nbody\n",
    );
    write(dir.path(), "5_notes.eml", b"name: not a mail\nsize: 3\n");

    let run = run_one(dir.path());

    assert_eq!(
        kinds(&run),
        vec![
            ItemKind::Message,
            ItemKind::Message,
            ItemKind::Message,
            ItemKind::File,
            ItemKind::File
        ]
    );
}

#[test]
fn empty_files_are_reported_not_emitted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.eml", b"");
    let run = run_one(&path);
    assert!(run.items.is_empty());
    assert_eq!(
        run.codes(),
        vec![("empty-file".into(), path.display().to_string())]
    );
}

#[test]
fn a_missing_path_is_reported_with_the_os_error_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.eml", &message(1));
    let missing = dir.path().join("missing.mbox");

    let run = run(&[missing.clone(), good], Limits::default());

    assert_eq!(run.items.len(), 1);
    assert_eq!(
        run.codes(),
        vec![("read-error".into(), missing.display().to_string())]
    );
    assert!(
        run.unreadable[0].reason.contains("No such file"),
        "{}",
        run.unreadable[0].reason
    );
}

#[test]
fn an_unreadable_file_is_reported_with_the_os_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "locked.eml", &message(1));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&path).is_ok() {
        eprintln!("running with CAP_DAC_OVERRIDE (root): permissions cannot deny a read here");
        return;
    }
    let run = run_one(&path);
    assert!(run.items.is_empty());
    assert_eq!(
        run.codes(),
        vec![("read-error".into(), path.display().to_string())]
    );
    assert!(run.unreadable[0].reason.contains("Permission denied"));
}

#[test]
fn a_fifo_in_a_tree_is_reported_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable");
        return;
    }
    // Opening a FIFO with no writer would block forever: finishing at all is the test.
    let run = run_one(dir.path());
    assert_eq!(
        run.codes(),
        vec![("special-file".into(), fifo.display().to_string())]
    );
}

#[test]
fn progress_reaches_total_bytes_exactly() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.eml", &message(1));
    write(dir.path(), "b.zip", &zip_of(&[("x.eml", &message(2))]));
    write(dir.path(), "c.mbox", &mbox_of(&[message(3), message(4)]).0);
    symlink(dir.path().join("a.eml"), dir.path().join("d.eml")).unwrap();
    let paths = vec![dir.path().to_path_buf()];

    let total = total_bytes(&paths);
    let walker = Walker::new(Limits::default());
    let progress = walker.progress();
    let stats = walker.walk(&paths, &mut |_| {});

    let on_disk: u64 = ["a.eml", "b.zip", "c.mbox"]
        .iter()
        .map(|n| std::fs::metadata(dir.path().join(n)).unwrap().len())
        .sum();
    assert_eq!(total, on_disk);
    assert_eq!(progress.load(Ordering::Relaxed), total);
    assert_eq!(stats.input_bytes, total);
    assert_eq!(stats.items, 4);
}
