//! The measurements on five million synthetic posts: issue 6 wants the
//! whole report within two minutes on two cores, so the measure step must
//! take a small part of it. Ignored by default (it builds a large
//! dataset); run with
//!
//!     cargo test --release -p tamis-spread --test measure_speed -- --ignored --nocapture

use std::time::Instant;
use tamis_spread::measure::{measure, Params};
use tamis_spread::{Dataset, Post, PostKind, NONE};

/// A small deterministic generator (PCG-style LCG), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const POSTS: usize = 5_000_000;
const ACCOUNTS: usize = 300_000;
const OBJECTS: usize = 200_000;
const START: i64 = 1_494_010_140;

fn synthetic() -> Dataset {
    let mut rng = Rng(42);
    let mut ds = Dataset::default();
    let langs: Vec<u32> = ["fr", "en", "es", "de", "und", "it", "pt", "ar", "ru", "ja"]
        .iter()
        .map(|l| ds.langs.intern(l))
        .collect();
    let places = [
        "Paris",
        "New York",
        "paris ",
        "Lyon",
        "Texas, USA",
        "",
        "Moscow",
    ];
    let countries = ["FR", "US", "GB", "RU"];
    for i in 0..ACCOUNTS {
        let a = ds.account(&format!("{}", 10_000_000 + i)) as usize;
        let acc = &mut ds.accounts[a];
        acc.screen_name = Some(if i % 10 == 0 {
            format!("user{:08}", rng.below(100_000_000))
        } else {
            format!("person_{i}")
        });
        acc.created_at = Some(START - rng.below(3_000) as i64 * 86_400 - rng.below(86_400) as i64);
        acc.followers = Some(rng.below(5_000));
        acc.friends = Some(rng.below(2_000));
        acc.statuses = Some(rng.below(100_000));
        acc.default_profile = Some(rng.below(4) == 0);
        acc.default_image = Some(rng.below(10) == 0);
        acc.location = Some(places[rng.below(places.len() as u64) as usize].to_owned());
        if rng.below(3) == 0 {
            acc.country = Some(countries[rng.below(4) as usize].to_owned());
        }
        acc.lang = Some("fr".to_owned());
    }
    for o in 0..OBJECTS {
        let id = ds
            .objects
            .intern(&format!("{}", 860_000_000_000_000_000u64 + o as u64));
        if o % 2 == 0 {
            ds.object_times.insert(id, START + o as i64);
        }
    }
    ds.posts.reserve(POSTS);
    for k in 0..POSTS {
        // Three days, with a tenth of the posts in one hour on day two.
        let time = if k % 10 == 0 {
            START + 86_400 + rng.below(3_600) as i64
        } else {
            START + rng.below(3 * 86_400) as i64
        };
        // Heavy-tailed activity: a few accounts post a lot.
        let r = rng.below(1_000_000) as f64 / 1_000_000.0;
        let account = ((r * r * r) * ACCOUNTS as f64) as u32;
        let retweet = rng.below(10) < 6;
        ds.push(Post {
            account,
            time,
            kind: if retweet {
                PostKind::Retweet
            } else {
                PostKind::Original
            },
            shared: if retweet {
                rng.below(OBJECTS as u64) as u32
            } else {
                NONE
            },
            object: NONE,
            lang: langs[rng.below(langs.len() as u64) as usize],
            text_hash: rng.next(),
            hashtags: Box::new([]),
            urls: Box::new([]),
        });
    }
    ds.finish();
    ds
}

#[test]
#[ignore = "builds five million posts; run in release with --ignored"]
fn five_million_posts() {
    let built = Instant::now();
    let ds = synthetic();
    eprintln!(
        "built {} posts, {} accounts in {:.2?}",
        ds.posts.len(),
        ds.accounts.len(),
        built.elapsed()
    );
    let params = Params::default();
    for run in 1..=3 {
        let started = Instant::now();
        let m = measure(&ds, &params);
        let took = started.elapsed();
        let json = serde_json::to_string(&m).unwrap();
        eprintln!(
            "run {run}: measure {took:.2?} on {} threads, JSON {} bytes",
            rayon::current_num_threads(),
            json.len()
        );
        assert_eq!(m.posts, POSTS as u64);
        assert!(took.as_secs() < 30, "measure took {took:?}");
    }
}
