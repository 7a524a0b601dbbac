//! The synthetic campaign (`tamis_spread::synthetic`, feature `synthetic`,
//! enabled for tests by the crate's dev-dependency on itself) says what it
//! wrote: every line is a v1.1 tweet with the fields `tamis spread` reads,
//! and the truth file matches the lines (bots on schedule, the ring within
//! 8 s, the seed's retweet curve, the burst, who is who).

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use tamis_spread::synthetic::{write_campaign, CampaignParams, Truth};

const POSTS: u64 = 20_000;

fn generate(params: &CampaignParams) -> (Vec<u8>, Truth) {
    let mut out = Vec::new();
    let truth = write_campaign(params, &mut out).expect("campaign written");
    (out, truth)
}

/// One line, with what the checks need.
struct Line {
    json: Value,
    id: String,
    user: String,
    ms: i64,
    /// The retweeted tweet's id.
    retweet_of: Option<String>,
}

fn parse(bytes: &[u8]) -> Vec<Line> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with('\n'));
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let json: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
            check_status(&json, i + 1);
            let ms: i64 = json["timestamp_ms"]
                .as_str()
                .expect("timestamp_ms")
                .parse()
                .unwrap();
            Line {
                id: json["id_str"].as_str().unwrap().to_owned(),
                user: json["user"]["id_str"].as_str().unwrap().to_owned(),
                ms,
                retweet_of: json
                    .get("retweeted_status")
                    .map(|r| r["id_str"].as_str().unwrap().to_owned()),
                json,
            }
        })
        .collect()
}

/// Unix seconds of `Fri May 05 18:45:12 +0000 2017`.
fn v1_date(s: &str) -> i64 {
    let parts: Vec<&str> = s.split(' ').collect();
    assert_eq!(parts.len(), 6, "{s}");
    assert!(
        ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].contains(&parts[0]),
        "{s}"
    );
    assert_eq!(parts[4], "+0000");
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = months.iter().position(|&m| m == parts[1]).expect("month") as i64 + 1;
    let d: i64 = parts[2].parse().unwrap();
    let y: i64 = parts[5].parse().unwrap();
    let hms: Vec<i64> = parts[3].split(':').map(|x| x.parse().unwrap()).collect();
    // Days from civil (Howard Hinnant).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let unix = days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
    // The weekday agrees with the date.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    assert_eq!(parts[0], weekday, "{s}");
    unix
}

/// The v1.1 fields of a status (and of its embedded statuses), and that
/// entity indices point at what they name.
fn check_status(t: &Value, line: usize) {
    let id = t["id_str"]
        .as_str()
        .unwrap_or_else(|| panic!("line {line}: id_str"));
    assert!(id.parse::<u64>().is_ok(), "line {line}: id_str {id}");
    assert_eq!(t["id"].as_u64().map(|n| n.to_string()).as_deref(), Some(id));
    v1_date(t["created_at"].as_str().expect("created_at"));
    let text = t["text"].as_str().expect("text");
    let chars: Vec<char> = text.chars().collect();
    assert!(
        chars.len() <= 140,
        "line {line}: {} characters",
        chars.len()
    );
    assert!(
        t["lang"].as_str().is_some_and(|l| !l.is_empty()),
        "line {line}: lang"
    );
    let user = &t["user"];
    for field in ["id_str", "screen_name", "created_at", "lang"] {
        assert!(user[field].is_string(), "line {line}: user.{field}");
    }
    for field in ["followers_count", "friends_count", "statuses_count"] {
        assert!(user[field].is_u64(), "line {line}: user.{field}");
    }
    for field in ["default_profile", "default_profile_image", "verified"] {
        assert!(user[field].is_boolean(), "line {line}: user.{field}");
    }
    assert!(user["location"].is_string() || user["location"].is_null());
    v1_date(user["created_at"].as_str().unwrap());
    let at = |start: &Value, end: &Value| -> String {
        let (s, e) = (
            start.as_u64().unwrap() as usize,
            end.as_u64().unwrap() as usize,
        );
        assert!(
            s < e && e <= chars.len(),
            "line {line}: indices {s}..{e} of {}",
            chars.len()
        );
        chars[s..e].iter().collect()
    };
    let entities = &t["entities"];
    for h in entities["hashtags"].as_array().expect("entities.hashtags") {
        let tag = h["text"].as_str().unwrap();
        assert_eq!(
            at(&h["indices"][0], &h["indices"][1]),
            format!("#{tag}"),
            "line {line}"
        );
    }
    for u in entities["urls"].as_array().expect("entities.urls") {
        assert!(u["expanded_url"]
            .as_str()
            .is_some_and(|x| x.starts_with("http")));
        assert_eq!(
            at(&u["indices"][0], &u["indices"][1]),
            u["url"].as_str().unwrap(),
            "line {line}"
        );
    }
    for m in entities["user_mentions"]
        .as_array()
        .expect("entities.user_mentions")
    {
        let name = m["screen_name"].as_str().unwrap();
        assert_eq!(
            at(&m["indices"][0], &m["indices"][1]),
            format!("@{name}"),
            "line {line}"
        );
        assert!(m["id_str"].is_string());
    }
    if let Some(place) = t.get("place").filter(|p| !p.is_null()) {
        assert!(place["country_code"].as_str().is_some_and(|c| c.len() == 2));
    }
    if let Some(original) = t.get("retweeted_status") {
        check_status(original, line);
        let author = original["user"]["screen_name"].as_str().unwrap();
        assert!(
            text.starts_with(&format!("RT @{author}: ")),
            "line {line}: {text}"
        );
        assert!(
            v1_date(original["created_at"].as_str().unwrap())
                <= v1_date(t["created_at"].as_str().unwrap())
        );
        assert_eq!(t["lang"], original["lang"]);
    }
    if let Some(quoted) = t.get("quoted_status") {
        check_status(quoted, line);
        assert_eq!(t["quoted_status_id_str"], quoted["id_str"]);
        assert_eq!(t["is_quote_status"], true);
    }
}

fn carries(t: &Value, tag: &str) -> bool {
    let own = |t: &Value| {
        t["entities"]["hashtags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["text"].as_str().unwrap().eq_ignore_ascii_case(tag))
    };
    own(t) || t.get("retweeted_status").is_some_and(own)
}

#[test]
fn lines_match_the_truth() {
    let params = CampaignParams::new(POSTS, 1);
    let (bytes, truth) = generate(&params);
    let lines = parse(&bytes);
    assert_eq!(lines.len() as u64, POSTS);
    assert_eq!(truth.posts, POSTS);
    let c = &truth.tweets;
    assert_eq!(
        c.organic + c.bots + c.ring + c.seed_account + c.ring_amplified,
        POSTS
    );

    // Time order, inside the window, created_at agreeing with timestamp_ms;
    // unique ids growing with time.
    let mut ids = HashSet::new();
    for pair in lines.windows(2) {
        assert!(pair[0].ms <= pair[1].ms);
    }
    for l in &lines {
        assert_eq!(
            v1_date(l.json["created_at"].as_str().unwrap()),
            l.ms.div_euclid(1000)
        );
        assert!(l.ms >= truth.window_start * 1000 && l.ms < truth.window_end * 1000);
        assert!(ids.insert(l.id.clone()), "duplicate id {}", l.id);
    }
    let by_id: HashMap<&str, &Line> = lines.iter().map(|l| (l.id.as_str(), l)).collect();

    // Who is who: disjoint groups covering every posting account.
    let bots: HashSet<&str> = truth.bots.iter().map(String::as_str).collect();
    let ring: HashSet<&str> = truth.ring.iter().map(String::as_str).collect();
    let organic: HashSet<&str> = truth.organic.iter().map(String::as_str).collect();
    assert_eq!(bots.len(), 50);
    assert_eq!(ring.len(), 20);
    assert!(organic.len() > 500, "{} organic accounts", organic.len());
    assert!(bots.is_disjoint(&ring) && bots.is_disjoint(&organic) && ring.is_disjoint(&organic));
    let posting: HashSet<&str> = lines.iter().map(|l| l.user.as_str()).collect();
    let mut named: HashSet<&str> = bots.union(&ring).copied().collect();
    named.extend(&organic);
    named.insert(&truth.seed_account);
    named.insert(&truth.ring_amplified);
    assert_eq!(posting, named);
    let mut per_group = [0u64; 3];
    for l in &lines {
        let u = l.user.as_str();
        per_group[0] += u64::from(organic.contains(u));
        per_group[1] += u64::from(bots.contains(u));
        per_group[2] += u64::from(ring.contains(u));
    }
    assert_eq!(per_group, [c.organic, c.bots, c.ring]);
    assert_eq!(
        lines.iter().filter(|l| l.retweet_of.is_some()).count() as u64,
        c.retweets
    );

    // The hashtag: first used by the seed tweet; the count a filter keeps.
    let tag = &truth.hashtag;
    let first = lines
        .iter()
        .find(|l| carries(&l.json, tag))
        .expect("hashtag used");
    assert_eq!(first.id, truth.seed_tweet);
    assert_eq!(first.user, truth.seed_account);
    assert_eq!(first.ms.div_euclid(1000), truth.first_use);
    assert_eq!(
        lines.iter().filter(|l| carries(&l.json, tag)).count() as u64,
        c.hashtag
    );

    // The seed's retweet curve, as asked and as written.
    let seed_times: Vec<i64> = lines
        .iter()
        .filter(|l| l.retweet_of.as_deref() == Some(truth.seed_tweet.as_str()))
        .map(|l| l.ms.div_euclid(1000) - truth.first_use)
        .collect();
    for (within, &(secs, asked)) in truth.seed_retweets.iter().zip(&params.seed_retweets) {
        assert_eq!(within.minutes * 60, secs);
        let n = seed_times.iter().filter(|&&t| t <= secs).count() as u64;
        assert_eq!(within.retweets, n);
        assert_eq!(n, asked, "within {} min", within.minutes);
        // No retweet near an edge: `<` and `<=` agree.
        assert!(seed_times.iter().all(|&t| (t - secs).abs() >= 2));
    }
    let seed_retweeters: HashSet<&str> = lines
        .iter()
        .filter(|l| l.retweet_of.as_deref() == Some(truth.seed_tweet.as_str()))
        .map(|l| l.user.as_str())
        .collect();
    assert!(seed_retweeters.len() as u64 >= params.seed_retweets.last().unwrap().1);

    // Bots: recent default profiles, 8 trailing digits, every 300 s ± 2 s,
    // mostly retweets, always on the campaign.
    let mut bot_times: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut bot_retweets = 0;
    for l in lines.iter().filter(|l| bots.contains(l.user.as_str())) {
        bot_times.entry(l.user.as_str()).or_default().push(l.ms);
        bot_retweets += u64::from(l.retweet_of.is_some());
        assert!(carries(&l.json, tag));
        let u = &l.json["user"];
        let name = u["screen_name"].as_str().unwrap();
        assert!(name.len() <= 15 && name.len() > 8);
        assert!(
            name[name.len() - 8..].bytes().all(|b| b.is_ascii_digit()),
            "{name}"
        );
        assert!(
            !name[..name.len() - 8].bytes().any(|b| b.is_ascii_digit()),
            "{name}"
        );
        assert_eq!(u["default_profile"], true);
        let created = v1_date(u["created_at"].as_str().unwrap());
        assert!(created >= truth.bots_created_from && created <= truth.bots_created_until);
        assert!(l.ms >= truth.bots_active_from * 1000 && l.ms < truth.bots_active_until * 1000);
    }
    assert_eq!(bot_times.len(), 50);
    let interval = truth.bot_interval_secs * 1000;
    let jitter = (truth.bot_jitter_secs * 1000.0) as i64;
    for times in bot_times.values() {
        assert_eq!(
            times.len() as i64,
            (truth.bots_active_until - truth.bots_active_from) / truth.bot_interval_secs
        );
        for pair in times.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(
                (interval - 2 * jitter..=interval + 2 * jitter).contains(&gap),
                "gap {gap} ms"
            );
        }
        // And on one schedule: every post within the jitter of its slot.
        let phase = times[0];
        for (k, &t) in times.iter().enumerate() {
            assert!((t - phase - k as i64 * interval).abs() <= 2 * jitter);
        }
    }
    assert!(
        bot_retweets * 10 >= c.bots * 7,
        "{bot_retweets} of {} bot posts are retweets",
        c.bots
    );

    // The ring: every member retweets every object, within 8 s.
    assert!(truth.ring_objects.len() >= 5);
    for object in &truth.ring_objects {
        let original = by_id[object.as_str()];
        assert_eq!(original.user, truth.ring_amplified);
        assert!(carries(&original.json, tag));
        let shares: Vec<&Line> = lines
            .iter()
            .filter(|l| {
                l.retweet_of.as_deref() == Some(object.as_str()) && ring.contains(l.user.as_str())
            })
            .collect();
        let members: HashSet<&str> = shares.iter().map(|l| l.user.as_str()).collect();
        assert_eq!(members, ring, "object {object}");
        assert_eq!(shares.len(), ring.len());
        let lo = shares.iter().map(|l| l.ms).min().unwrap();
        let hi = shares.iter().map(|l| l.ms).max().unwrap();
        assert!(
            hi - lo <= truth.ring_window_secs * 1000,
            "ring spread {} ms",
            hi - lo
        );
        let lo_s = shares.iter().map(|l| l.ms.div_euclid(1000)).min().unwrap();
        let hi_s = shares.iter().map(|l| l.ms.div_euclid(1000)).max().unwrap();
        assert!(hi_s - lo_s <= truth.ring_window_secs);
        assert!(lo > original.ms);
    }

    // Organic accounts: old, no 8 trailing digits, many languages.
    let mut langs = HashSet::new();
    for l in lines.iter().filter(|l| organic.contains(l.user.as_str())) {
        let u = &l.json["user"];
        let name = u["screen_name"].as_str().unwrap();
        let digits = name.bytes().rev().take_while(u8::is_ascii_digit).count();
        assert!(digits <= 2, "{name}");
        assert!(v1_date(u["created_at"].as_str().unwrap()) < truth.bots_created_from);
        langs.insert(u["lang"].as_str().unwrap().to_owned());
    }
    assert!(
        langs.contains("fr") && langs.contains("en") && langs.len() >= 5,
        "{langs:?}"
    );

    // The burst: organic hashtag tweets per hour jump by about the factor.
    // Hours counted from the burst's start; hour 0 is the burst.
    let mut hourly: HashMap<i64, u64> = HashMap::new();
    for l in lines
        .iter()
        .filter(|l| organic.contains(l.user.as_str()) && carries(&l.json, tag))
    {
        let t = l.ms.div_euclid(1000);
        *hourly
            .entry((t - truth.burst_start).div_euclid(3600))
            .or_default() += 1;
    }
    assert_eq!(truth.burst_end - truth.burst_start, 3600);
    let burst = hourly.remove(&0).unwrap_or(0) as f64;
    // Whole hours outside the burst, after the seed's first hour.
    let outside: Vec<f64> = hourly
        .iter()
        .filter(|(&h, _)| {
            let start = truth.burst_start + h * 3600;
            start >= truth.first_use + 3600 && start + 3600 <= truth.window_end
        })
        .map(|(_, &n)| n as f64)
        .collect();
    assert!(outside.len() >= 5);
    let usual = outside.iter().sum::<f64>() / outside.len() as f64;
    let ratio = burst / usual;
    assert!(
        (10.0..40.0).contains(&ratio),
        "burst {burst}, usual {usual}: ×{ratio:.1}"
    );
}

#[test]
fn same_seed_same_bytes() {
    let params = CampaignParams::new(8_000, 7);
    let (a, truth_a) = generate(&params);
    let (b, truth_b) = generate(&params);
    assert!(a == b);
    assert_eq!(truth_a, truth_b);
    let (c, _) = generate(&CampaignParams::new(8_000, 8));
    assert!(a != c);
    // The truth round-trips through JSON.
    let json = serde_json::to_string(&truth_a).unwrap();
    assert_eq!(serde_json::from_str::<Truth>(&json).unwrap(), truth_a);
}

#[test]
fn too_few_posts_is_an_error() {
    let mut out = Vec::new();
    let err = write_campaign(&CampaignParams::new(1_000, 1), &mut out).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(out.is_empty());
}
