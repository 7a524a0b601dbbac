//! Real API v2 pages as twarc2 wrote them (../shared/data/tweets): every
//! tweet of `data` is a post, every author is joined from
//! `includes.users`, every shared tweet from `includes.tweets`. The
//! expected numbers were counted from the files with Python's json module.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tamis_spread::input::{read_all, Filter, Format};
use tamis_spread::{Dataset, PostKind, NONE};

const BREXIT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/tweets/twarc2-brexit.jsonl"
);
const KPOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/tweets/twarc2-kpop.jsonl"
);

fn read(paths: &[&str], filter: &Filter) -> (Dataset, tamis_spread::input::InputReport) {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    assert!(paths.iter().all(|p| Path::exists(p)), "shared data missing");
    read_all(&paths, filter, &|_| {}).expect("read")
}

fn kinds(dataset: &Dataset) -> [usize; 4] {
    let count = |k| dataset.posts.iter().filter(|p| p.kind == k).count();
    [
        count(PostKind::Original),
        count(PostKind::Retweet),
        count(PostKind::Quote),
        count(PostKind::Reply),
    ]
}

fn posting_accounts(dataset: &Dataset) -> HashSet<u32> {
    dataset.posts.iter().map(|p| p.account).collect()
}

#[test]
fn brexit_page_is_read_completely() {
    let (dataset, report) = read(&[BREXIT], &Filter::default());
    let file = &report.files[0];
    assert_eq!(file.format, Format::TwitterV2);
    assert!(!file.gzip);
    assert_eq!(file.records, 1, "one page, one line");
    assert_eq!(file.posts, 100);
    assert_eq!(file.malformed, 0);
    assert_eq!(file.duplicates, 0);
    assert_eq!(dataset.posts.len(), 100);
    assert_eq!(kinds(&dataset), [12, 67, 11, 10]);

    // 98 authors of collected tweets, plus the authors of the tweets they
    // retweet or quote: 140.
    assert_eq!(posting_accounts(&dataset).len(), 98);
    assert_eq!(dataset.accounts.len(), 140);
    assert_eq!(report.accounts, 140);
    for post in &dataset.posts {
        let account = &dataset.accounts[post.account as usize];
        assert!(
            account.screen_name.is_some(),
            "{} has no screen name",
            account.key
        );
        assert!(account.created_at.is_some());
        assert!(account.followers.is_some());
    }
    assert!(dataset.accounts.iter().all(|a| a.screen_name.is_some()));
    assert_eq!(
        dataset
            .accounts
            .iter()
            .filter(|a| a.default_image == Some(true))
            .count(),
        9
    );
    assert_eq!(
        dataset
            .accounts
            .iter()
            .filter(|a| a.verified == Some(true))
            .count(),
        8
    );
    assert_eq!(
        dataset
            .accounts
            .iter()
            .filter(|a| a.location.is_some())
            .count(),
        101
    );

    // 50 tweets are retweeted or quoted; includes give each one's time and
    // author; four of them were collected themselves.
    assert_eq!(dataset.objects.len(), 50);
    assert_eq!(dataset.object_times.len(), 50);
    assert_eq!(dataset.object_authors.len(), 50);
    let mut marked: Vec<&str> = dataset
        .posts
        .iter()
        .filter(|p| p.object != NONE)
        .map(|p| dataset.objects.name(p.object))
        .collect();
    marked.sort_unstable();
    assert_eq!(
        marked,
        [
            "1440713966649417731",
            "1440714027773030407",
            "1440714938054418436",
            "1440716350490435591"
        ]
    );

    // The most retweeted tweet: 17 retweets of @carolJhedges's, posted at
    // 16:22:39 UTC.
    let top = dataset.objects.get("1440713161355583489").expect("object");
    assert_eq!(
        dataset
            .posts
            .iter()
            .filter(|p| p.kind == PostKind::Retweet && p.shared == top)
            .count(),
        17
    );
    assert_eq!(dataset.object_times[&top], 1_632_327_759);
    let author = &dataset.accounts[dataset.object_authors[&top] as usize];
    assert_eq!(author.key, "711945679");
    assert_eq!(author.screen_name.as_deref(), Some("carolJhedges"));

    // Sorted by time: 16:25:51 to 16:37:29.
    assert_eq!(dataset.posts.first().map(|p| p.time), Some(1_632_327_951));
    assert_eq!(dataset.posts.last().map(|p| p.time), Some(1_632_328_649));
    assert!(dataset.posts.windows(2).all(|w| w[0].time <= w[1].time));

    let lang = |code: &str| {
        let id = dataset.langs.get(code).expect("language");
        dataset.posts.iter().filter(|p| p.lang == id).count()
    };
    assert_eq!(
        [lang("en"), lang("de"), lang("und"), lang("es")],
        [92, 4, 3, 1]
    );

    // A retweet carries its original's hashtags (the search was #Brexit).
    let brexit = dataset.tags.get("brexit").expect("tag");
    assert!(dataset.posts.iter().all(|p| p.hashtags.contains(&brexit)));
    assert!(dataset.posts.iter().all(|p| p.text_hash != 0));
}

#[test]
fn kpop_page_is_read_completely() {
    let (dataset, report) = read(&[KPOP], &Filter::default());
    assert_eq!(report.files[0].format, Format::TwitterV2);
    assert_eq!(report.files[0].malformed, 0);
    assert_eq!(dataset.posts.len(), 100);
    assert_eq!(kinds(&dataset), [22, 78, 0, 0]);
    assert_eq!(posting_accounts(&dataset).len(), 87);
    assert_eq!(dataset.accounts.len(), 103);
    assert!(dataset
        .posts
        .iter()
        .all(|p| dataset.accounts[p.account as usize].screen_name.is_some()));
    assert_eq!(dataset.objects.len(), 21);
    assert_eq!(dataset.object_times.len(), 21);

    // One tweet is geotagged: its place (in includes.places) is in Colombia.
    let geotagged = dataset
        .account_by_key("1404478131830992907")
        .expect("account");
    assert_eq!(
        dataset.accounts[geotagged as usize].country.as_deref(),
        Some("CO")
    );
    assert_eq!(
        dataset
            .accounts
            .iter()
            .filter(|a| a.country.is_some())
            .count(),
        1
    );

    let top = dataset.objects.get("1440669884900249610").expect("object");
    assert_eq!(dataset.posts.iter().filter(|p| p.shared == top).count(), 19);
    let author = &dataset.accounts[dataset.object_authors[&top] as usize];
    assert_eq!(author.screen_name.as_deref(), Some("koreatimescokr"));
}

#[test]
fn both_pages_together() {
    let (dataset, report) = read(&[BREXIT, KPOP], &Filter::default());
    assert_eq!(report.files.len(), 2);
    assert_eq!(report.posts, 200);
    assert_eq!(report.accounts, 243);
    assert_eq!(report.duplicates, 0);
    assert_eq!(report.malformed, 0);
    assert_eq!(dataset.objects.len(), 71);

    // The same file twice: every post the second time is a duplicate.
    let (dataset, report) = read(&[BREXIT, BREXIT], &Filter::default());
    assert_eq!(dataset.posts.len(), 100);
    assert_eq!(report.duplicates, 100);
    assert_eq!(report.files[1].duplicates, 100);
    assert_eq!(report.files[1].posts, 0);
}

#[test]
fn hashtag_filter_counts_originals() {
    let filter = |tag: &str| Filter {
        hashtag: Some(tag.into()),
        ..Filter::default()
    };
    // Posts whose own hashtags, or those of the tweet they retweet or
    // quote, include the tag.
    let (dataset, report) = read(&[BREXIT], &filter("#JohnsonOut"));
    assert_eq!(dataset.posts.len(), 23);
    assert_eq!(report.files[0].filtered_out, 77);
    let (dataset, _) = read(&[BREXIT], &filter("usa"));
    assert_eq!(dataset.posts.len(), 8);
    let (dataset, _) = read(&[KPOP], &filter("잇츠라이브"));
    assert_eq!(dataset.posts.len(), 21);
    let (dataset, _) = read(&[KPOP], &filter("LaLisa"));
    assert_eq!(dataset.posts.len(), 24);
    let (dataset, _) = read(&[BREXIT, KPOP], &filter("brexit"));
    assert_eq!(dataset.posts.len(), 100);
}

#[test]
fn time_window_is_inclusive() {
    // 2021-09-22 16:30:00 to 16:35:00 UTC.
    let filter = Filter {
        since: Some(1_632_328_200),
        until: Some(1_632_328_500),
        ..Filter::default()
    };
    let (dataset, report) = read(&[BREXIT, KPOP], &filter);
    assert_eq!(dataset.posts.len(), 45 + 28);
    assert_eq!(
        report.files.iter().map(|f| f.filtered_out).sum::<u64>(),
        200 - 73
    );
    assert!(dataset
        .posts
        .iter()
        .all(|p| (1_632_328_200..=1_632_328_500).contains(&p.time)));
}
