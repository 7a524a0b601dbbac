mod common;

use common::*;
use tamis_items::ItemKind;
use tamis_sources::Limits;

#[test]
fn zip_entries_become_items_with_entry_origins() {
    let dir = tempfile::tempdir().unwrap();
    let (mbox, offsets) = mbox_of(&[message(2), message(3)]);
    let zip = zip_of(&[
        ("box/1.eml", &message(1)),
        ("box/", b""),
        ("box/inbox.mbox", &mbox),
        ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    ]);
    let path = write(dir.path(), "dump.zip", &zip);

    let run = run_one(&path);

    let z = path.display();
    assert_eq!(
        run.origins(),
        vec![
            format!("{z}!box/1.eml"),
            format!("{z}!box/inbox.mbox@{}", offsets[0]),
            format!("{z}!box/inbox.mbox@{}", offsets[1]),
            format!("{z}!scan.pdf"),
        ]
    );
    assert_eq!(
        kinds(&run),
        vec![
            ItemKind::Message,
            ItemKind::MboxMessage,
            ItemKind::MboxMessage,
            ItemKind::File
        ]
    );
    assert_eq!(run.items[0].bytes, message(1));
    assert!(run.unreadable.is_empty());
}

#[test]
fn zip_entries_with_dotdot_paths_are_reported_never_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let names = [
        "../escape.eml",
        "/etc/cron.d/evil.eml",
        "..\\..\\win.eml",
        "a/../../b.eml",
    ];
    let entries: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (*n, message(n.len()))).collect();
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let path = write(&work, "evil.zip", &zip_of(&refs));

    let run = run_one(&path);

    let named: Vec<&str> = run
        .items
        .iter()
        .map(|i| i.origin.entries[0].entry.as_str())
        .collect();
    assert_eq!(named, names);
    assert!(run.unreadable.is_empty());
    let mut on_disk: Vec<_> = walk_names(dir.path());
    on_disk.sort();
    assert_eq!(
        on_disk,
        vec!["work".to_string(), "work/evil.zip".to_string()]
    );
    assert!(!std::path::Path::new("/etc/cron.d/evil.eml").exists());
}

fn walk_names(root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out
}

#[test]
fn zip_symlink_entries_are_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer
        .add_symlink("passwd.eml", "/etc/passwd", options)
        .unwrap();
    writer.start_file("real.eml", options).unwrap();
    std::io::Write::write_all(&mut writer, &message(1)).unwrap();
    let path = write(
        dir.path(),
        "links.zip",
        &writer.finish().unwrap().into_inner(),
    );

    let run = run_one(&path);

    assert_eq!(run.origins(), vec![format!("{}!real.eml", path.display())]);
    assert_eq!(
        run.codes(),
        vec![(
            "symlink-entry".into(),
            format!("{}!passwd.eml", path.display())
        )]
    );
    assert!(run.unreadable[0].reason.contains("/etc/passwd"));
}

#[test]
fn tar_symlink_hardlink_and_device_entries_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Symlink);
    header.set_size(0);
    builder
        .append_link(&mut header, "sym.eml", "/etc/shadow")
        .unwrap();
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Link);
    header.set_size(0);
    builder
        .append_link(&mut header, "hard.eml", "real.eml")
        .unwrap();
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Char);
    header.set_size(0);
    builder.append_data(&mut header, "null", &b""[..]).unwrap();
    let mut header = tar::Header::new_gnu();
    header.set_size(message(1).len() as u64);
    builder
        .append_data(&mut header, "real.eml", &message(1)[..])
        .unwrap();
    let path = write(dir.path(), "links.tar", &builder.into_inner().unwrap());

    let run = run_one(&path);

    let t = path.display();
    assert_eq!(run.origins(), vec![format!("{t}!real.eml")]);
    assert_eq!(
        run.codes(),
        vec![
            ("symlink-entry".into(), format!("{t}!sym.eml")),
            ("hardlink-entry".into(), format!("{t}!hard.eml")),
            ("special-entry".into(), format!("{t}!null")),
        ]
    );
}

#[test]
fn mbox_in_zip_in_tar_gz_keeps_every_step_of_the_origin() {
    let dir = tempfile::tempdir().unwrap();
    let (mbox, offsets) = mbox_of(&[message(1), message(2)]);
    let zip = zip_of(&[("inbox.mbox", &mbox)]);
    let tar = tar_of(&[("export/box.zip", &zip), ("export/note.eml", &message(3))]);
    let path = write(dir.path(), "leak.tgz", &gzip(&tar));

    let run = run_one(&path);

    let f = path.display();
    assert_eq!(
        run.origins(),
        vec![
            format!("{f}!leak.tar!export/box.zip!inbox.mbox@{}", offsets[0]),
            format!("{f}!leak.tar!export/box.zip!inbox.mbox@{}", offsets[1]),
            format!("{f}!leak.tar!export/note.eml"),
        ]
    );
    assert_eq!(run.items[0].origin.depth(), 3);
    assert!(run.unreadable.is_empty());
}

#[test]
fn zips_nested_20_deep_stop_at_the_depth_limit_with_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut inner = zip_of(&[("m.eml", &message(1))]);
    for level in (1..20).rev() {
        inner = zip_of(&[(&format!("n{level}.zip"), &inner)]);
    }
    let path = write(dir.path(), "nested.zip", &inner);

    let run = run_one(&path);

    assert!(run.items.is_empty());
    let chain: String = (1..=16).map(|l| format!("!n{l}.zip")).collect();
    assert_eq!(
        run.codes(),
        vec![(
            "nesting-too-deep".into(),
            format!("{}{chain}", path.display())
        )]
    );
    assert_eq!(run.unreadable[0].origin.depth(), 16);
}

#[test]
fn nesting_within_the_limit_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut inner = zip_of(&[("m.eml", &message(1))]);
    for level in (1..16).rev() {
        inner = zip_of(&[(&format!("n{level}.zip"), &inner)]);
    }
    let path = write(dir.path(), "nested.zip", &inner);
    let run = run_one(&path);
    assert_eq!(run.items.len(), 1);
    assert_eq!(run.items[0].origin.depth(), 16);
}

#[test]
fn maildir_inside_a_tar_inside_a_zip_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let tar = tar_of(&[
        ("Maildir/cur/1:2,S", &message(1)),
        ("Maildir/new/2", &message(2)),
    ]);
    let path = write(dir.path(), "x.zip", &zip_of(&[("mail.tar", &tar)]));
    let run = run_one(&path);
    let f = path.display();
    assert_eq!(
        run.origins(),
        vec![
            format!("{f}!mail.tar!Maildir/cur/1:2,S"),
            format!("{f}!mail.tar!Maildir/new/2")
        ]
    );
    assert_eq!(kinds(&run), vec![ItemKind::Message; 2]);
}

#[test]
fn too_many_entries_stops_the_archive_with_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(&[
        ("1.eml", &message(1)),
        ("2.eml", &message(2)),
        ("3.eml", &message(3)),
    ]);
    let tar = tar_of(&[
        ("1.eml", &message(1)),
        ("2.eml", &message(2)),
        ("3.eml", &message(3)),
    ]);
    let z = write(dir.path(), "a.zip", &zip);
    let t = write(dir.path(), "b.tar", &tar);
    let limits = Limits {
        max_entries_per_archive: 2,
        ..Limits::default()
    };

    let run = run(&[z.clone(), t.clone()], limits);

    assert_eq!(run.items.len(), 4);
    assert_eq!(
        run.codes(),
        vec![
            ("too-many-entries".into(), z.display().to_string()),
            ("too-many-entries".into(), t.display().to_string()),
        ]
    );
}
