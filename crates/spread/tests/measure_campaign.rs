//! The measurements end to end on a small campaign with known truth:
//! organic accounts posting at random over a day, a bot net retweeting a
//! seed on a schedule, a burst in one hour, accounts created just before
//! the event.

use serde_json::Value;
use tamis_spread::measure::{measure, Params};
use tamis_spread::{Dataset, Post, PostKind, NONE};

const START: i64 = 1_494_010_140; // 2017-05-05T18:49:00Z
const DAY: i64 = 86_400;
const BOTS: usize = 20;
const ORGANIC: usize = 200;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn post(account: u32, time: i64, kind: PostKind, shared: u32, lang: u32) -> Post {
    Post {
        account,
        time,
        kind,
        shared,
        object: NONE,
        lang,
        text_hash: 0,
        hashtags: Box::new([]),
        urls: Box::new([]),
    }
}

fn campaign() -> Dataset {
    let mut rng = Rng(7);
    let mut ds = Dataset::default();
    let fr = ds.langs.intern("fr");
    let en = ds.langs.intern("en");
    let seed = ds.objects.intern("860000000000000001");

    let author = ds.account("author");
    ds.accounts[author as usize].screen_name = Some("leaker".into());
    ds.object_times.insert(seed, START);
    ds.object_authors.insert(seed, author);
    ds.push(post(author, START, PostKind::Original, NONE, en));

    for i in 0..ORGANIC {
        let a = ds.account(&format!("h{i}"));
        let acc = &mut ds.accounts[a as usize];
        acc.screen_name = Some(format!(
            "citizen_{}",
            ["anne", "paul", "lea", "marc"][i % 4]
        ));
        acc.created_at = Some(START - (400 + rng.below(3_000) as i64) * DAY);
        acc.statuses = Some(rng.below(20_000));
        acc.followers = Some(100 + rng.below(1_000));
        acc.friends = Some(100 + rng.below(500));
        acc.default_profile = Some(false);
        acc.default_image = Some(false);
        acc.country = Some("FR".into());
        acc.location = Some("Paris".into());
        for _ in 0..(1 + rng.below(15)) {
            let t = START + rng.below(DAY as u64) as i64;
            ds.push(post(a, t, PostKind::Original, NONE, fr));
        }
    }

    // The bot net: created within the week before, default profiles,
    // names ending in 8 digits, retweeting the seed first then posting
    // every 10 minutes for the first 3 hours, in English.
    for i in 0..BOTS {
        let a = ds.account(&format!("b{i}"));
        let acc = &mut ds.accounts[a as usize];
        acc.screen_name = Some(format!("patriot{:08}", 10_000_000 + i * 7_919));
        acc.created_at = Some(START - (1 + i as i64 % 5) * DAY);
        acc.statuses = Some(2_000);
        acc.followers = Some(2);
        acc.friends = Some(900);
        acc.default_profile = Some(true);
        acc.default_image = Some(true);
        acc.country = Some("US".into());
        acc.location = Some("USA".into());
        ds.push(post(a, START + 20 + i as i64, PostKind::Retweet, seed, en));
        for k in 1..=18 {
            ds.push(post(
                a,
                START + 60 + k * 600 + i as i64,
                PostKind::Retweet,
                seed,
                en,
            ));
        }
    }

    // A burst: 600 extra posts by organic accounts in 10 minutes, 6 hours in.
    for k in 0..600 {
        let a = ds.account_by_key(&format!("h{}", k % ORGANIC)).unwrap();
        let t = START + 6 * 3_600 + rng.below(600) as i64;
        ds.push(post(a, t, PostKind::Original, NONE, fr));
    }
    ds.finish();
    ds
}

/// Every object in the measurements that holds measured values carries a
/// definition: checked on the main parts and their nested tables.
fn definitions(value: &Value, path: &str, missing: &mut Vec<String>) {
    if let Value::Object(map) = value {
        if !map.contains_key("definition") {
            missing.push(path.to_owned());
        }
    }
}

#[test]
fn campaign_measured_with_definitions() {
    let ds = campaign();
    let m = measure(&ds, &Params::default());
    let json = serde_json::to_value(&m).unwrap();

    let mut missing = Vec::new();
    definitions(&json, "", &mut missing);
    for part in [
        "volume", "bursts", "seeds", "activity", "splits", "creation", "bots",
    ] {
        definitions(&json[part], part, &mut missing);
    }
    for (part, sub) in [
        ("volume", "per_minute"),
        ("volume", "per_hour"),
        ("activity", "high_rate"),
        ("splits", "language"),
        ("splits", "country"),
        ("splits", "location"),
        ("creation", "bursts"),
    ] {
        definitions(&json[part][sub], &format!("{part}.{sub}"), &mut missing);
    }
    for w in json["activity"]["windows"].as_array().unwrap() {
        definitions(w, "activity.windows[]", &mut missing);
    }
    assert!(missing.is_empty(), "without definition: {missing:?}");

    // Volume: first use by the author, at START.
    assert_eq!(m.volume.first_post, Some(START));
    assert_eq!(m.volume.first_post_account.as_ref().unwrap().key, "author");

    // The burst 6 hours in is found in the per-minute series.
    let (lo, hi) = (START + 6 * 3_600, START + 6 * 3_600 + 600);
    let burst = m
        .bursts
        .per_minute
        .bursts
        .iter()
        .find(|b| b.level == 1 && b.start < hi && b.end > lo)
        .expect("a burst at 6 hours");
    assert!(burst.start <= lo && burst.end >= hi - 60, "{burst:?}");
    assert!(
        burst.start >= lo - 120 && burst.end <= hi + 120,
        "{burst:?}"
    );
    assert!(burst.posts >= 600, "{burst:?}");

    // The seed: 20 bot retweets in its first minute, 20 more at 11
    // minutes, and 20 every 10 minutes after: 120 in the first hour.
    let s = &m.seeds.seeds[0];
    assert_eq!(s.object, "860000000000000001");
    assert_eq!(
        s.author.as_ref().unwrap().screen_name.as_deref(),
        Some("leaker")
    );
    let within: Vec<u64> = s.within.iter().map(|w| w.retweets).collect();
    assert_eq!(within, vec![20, 20, 40, 120]);
    assert_eq!(s.retweets, 20 * 19);

    // The bot net: the most active in a 3-hour window, above the rate
    // threshold, and the most bot-like; no organic account is bot-like.
    let bots = &m.bots;
    assert_eq!(bots.above_threshold, BOTS as u64, "{:#?}", bots.top);
    assert!(bots.top.iter().all(|b| b.account.key.starts_with('b')));
    assert!(m.activity.windows[2].top[0].account.key.starts_with('b'));
    // 19 posts over 3 hours and 14 seconds: 18 fit in a 3-hour window.
    assert_eq!(m.activity.windows[2].top[0].posts, 18);

    // Languages and places told apart.
    assert_eq!(m.splits.language.posts.values[0].value, "fr");
    assert_eq!(m.splits.country.accounts.values[0].value, "fr");
    assert_eq!(m.splits.country.accounts.values[1].value, "us");
    assert_eq!(m.splits.language.accounts.values[1].value, "en");
    assert_eq!(m.splits.language.accounts.values[1].count, BOTS as u64 + 1);

    // Created within the week before the event: the bot net.
    assert_eq!(m.creation.within_7_days, BOTS as u64);
}
