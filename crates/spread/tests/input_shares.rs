//! A real shares table: ../shared/data/coordination/russian_coord_tweets.csv
//! (`object_id,account_id,content_id,timestamp_share`, anonymised
//! coordinated retweets). The expected numbers were counted with Python's
//! csv module.

use std::io::Write;
use std::path::PathBuf;
use tamis_spread::input::{read_all, read_file, Filter, Format};
use tamis_spread::{Dataset, PostKind, NONE};

const RUSSIAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/coordination/russian_coord_tweets.csv"
);

#[test]
fn every_row_is_a_share() {
    let (dataset, report) =
        read_all(&[PathBuf::from(RUSSIAN)], &Filter::default(), &|_| {}).expect("read");
    let file = &report.files[0];
    assert_eq!(file.format, Format::SharesCsv);
    assert_eq!(file.records, 35_125);
    assert_eq!(file.malformed, 0);
    assert_eq!(dataset.posts.len(), 35_125);
    assert_eq!(dataset.accounts.len(), 9_509);
    assert_eq!(dataset.objects.len(), 7_285);
    // Rows are never deduplicated (40 content ids repeat).
    assert_eq!(report.duplicates, 0);
    assert!(dataset.posts.iter().all(|p| p.kind == PostKind::Retweet));
    assert!(dataset.posts.iter().all(|p| p.shared != NONE));
    assert!(dataset
        .posts
        .iter()
        .all(|p| p.lang == NONE && p.text_hash == 0));

    // Times are Unix seconds written as floats.
    assert_eq!(dataset.posts.first().map(|p| p.time), Some(1_610_870_193));
    assert_eq!(dataset.posts.last().map(|p| p.time), Some(1_630_318_860));

    // Objects are the content ids of other rows: 1,100 rows are themselves
    // shared, giving 1,084 objects a first time and an author.
    assert_eq!(
        dataset.posts.iter().filter(|p| p.object != NONE).count(),
        1_100
    );
    assert_eq!(dataset.object_times.len(), 1_084);
    assert_eq!(dataset.object_authors.len(), 1_084);

    let top = dataset
        .objects
        .get("a371898f3f2019c75eb6f44715db1ec1")
        .expect("object");
    assert_eq!(
        dataset.posts.iter().filter(|p| p.shared == top).count(),
        1_053
    );
    let busiest = dataset
        .account_by_key("9fa51ef17278c01d13d313741eddfc0b")
        .expect("account");
    assert_eq!(
        dataset
            .posts
            .iter()
            .filter(|p| p.account == busiest)
            .count(),
        250
    );
}

fn read_text(text: &str) -> (Dataset, tamis_spread::input::FileReport) {
    let mut file = tempfile::NamedTempFile::new().expect("temp");
    file.write_all(text.as_bytes()).expect("write");
    let mut dataset = Dataset::default();
    let report = read_file(file.path(), &Filter::default(), &mut dataset, &|_| {}).expect("read");
    (dataset, report)
}

#[test]
fn liberal_column_names_and_times() {
    let (dataset, report) = read_text(
        "Time,User,URL\n\
         2017-05-05T18:49:00Z,alice,https://Pastebin.com/x\n\
         1494010140,bob,https://pastebin.com/x\n\
         1494010140000,carol,https://pastebin.com/x\n\
         Fri May 05 18:49:00 +0000 2017,dave,https://pastebin.com/y\n\
         yesterday,eve,https://pastebin.com/y\n",
    );
    assert_eq!(report.format, Format::SharesCsv);
    assert_eq!(report.records, 5);
    assert_eq!(report.posts, 4);
    assert_eq!(report.malformed, 1);
    assert_eq!(report.malformed_lines[0].line, 6);
    assert!(report.malformed_lines[0].reason.contains("yesterday"));
    assert!(dataset.posts.iter().all(|p| p.time == 1_494_010_140));
    // The object is kept as written: shares tables name their own objects.
    assert_eq!(dataset.objects.len(), 3);
    assert_eq!(dataset.accounts.len(), 4);
}

#[test]
fn hashtag_filter_leaves_no_share() {
    let filter = Filter {
        hashtag: Some("macronleaks".into()),
        ..Filter::default()
    };
    let (dataset, report) = read_all(&[PathBuf::from(RUSSIAN)], &filter, &|_| {}).expect("read");
    assert_eq!(dataset.posts.len(), 0);
    assert_eq!(report.files[0].filtered_out, 35_125);
}
