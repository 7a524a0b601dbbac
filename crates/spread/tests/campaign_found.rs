//! The proof on a synthetic campaign with known truth: from the
//! v1.1 lines the generator writes, read back through the real input
//! module, `measure` finds the bot net, `coordination` finds the retweet
//! ring, neither accuses the organic crowd, and the burst and the seed's
//! retweet counts come out where the truth put them.

use std::collections::HashSet;
use tamis_spread::synthetic::{write_campaign, CampaignParams, Truth};
use tamis_spread::{coordination, input, measure};

struct Found {
    truth: Truth,
    measurements: measure::Measurements,
    coordination: coordination::Coordination,
    input: input::InputReport,
}

fn run(posts: u64, filter: input::Filter) -> Found {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("campaign.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let truth = write_campaign(&CampaignParams::new(posts, 7), &mut file).unwrap();
    drop(file);
    let (dataset, input) = input::read_all(&[path], &filter, &|_| {}).unwrap();
    let measurements = measure::measure(
        &dataset,
        &measure::Params {
            top_n: 200,
            ..measure::Params::default()
        },
    );
    let coordination = coordination::coordination(&dataset, &coordination::Params::default());
    Found {
        truth,
        measurements,
        coordination,
        input,
    }
}

#[test]
fn the_bot_net_and_the_ring_are_found_and_the_crowd_is_not_accused() {
    let found = run(20_000, input::Filter::default());
    let truth = &found.truth;
    assert_eq!(found.input.posts, truth.posts, "every line is a post");
    let bots: HashSet<&str> = truth.bots.iter().map(String::as_str).collect();
    let ring: HashSet<&str> = truth.ring.iter().map(String::as_str).collect();
    let organic: HashSet<&str> = truth.organic.iter().map(String::as_str).collect();

    // Bot-likeness: every bot above the threshold, no organic account.
    let b = &found.measurements.bots;
    let flagged: HashSet<&str> = b
        .top
        .iter()
        .filter(|a| a.score >= b.threshold)
        .map(|a| a.account.key.as_str())
        .collect();
    assert_eq!(
        flagged.len() as u64,
        b.above_threshold,
        "top_n lists them all"
    );
    for bot in &bots {
        assert!(flagged.contains(bot), "bot {bot} not flagged");
    }
    let wrongly: Vec<_> = flagged.intersection(&organic).collect();
    assert!(
        wrongly.is_empty(),
        "organic accounts flagged as bots: {wrongly:?}"
    );

    // Coordination: the whole ring in one cluster; nobody from the crowd
    // in any coordinated pair (bots may pair: they post the leak's links
    // from templates, which is coordination too).
    let c = &found.coordination;
    let ring_cluster = c
        .clusters
        .iter()
        .find(|cl| cl.members.iter().any(|m| ring.contains(m.key.as_str())))
        .expect("the ring is a cluster");
    let members: HashSet<&str> = ring_cluster
        .members
        .iter()
        .map(|m| m.key.as_str())
        .collect();
    assert!(ring.is_subset(&members), "the whole ring is one cluster");
    for pair in &c.pairs {
        for side in [&pair.a, &pair.b] {
            assert!(
                !organic.contains(side.key.as_str()),
                "organic account {} in a coordinated pair",
                side.key
            );
        }
    }
    assert!(!c.pairs_truncated);
}

#[test]
fn the_burst_the_seed_and_the_hashtag_filter_match_the_truth() {
    let found = run(
        20_000,
        input::Filter {
            hashtag: Some("macronleaks".into()),
            ..input::Filter::default()
        },
    );
    let truth = &found.truth;
    assert_eq!(
        found.input.posts, truth.tweets.hashtag,
        "the filter keeps the tagged posts and retweets of them"
    );
    let v = &found.measurements.volume;
    assert_eq!(
        v.first_post,
        Some(truth.first_use),
        "first use of the hashtag"
    );

    // A per-minute burst overlaps the hour the truth made 20 times busier.
    let bursts = &found.measurements.bursts.per_minute.bursts;
    assert!(
        bursts
            .iter()
            .any(|b| b.start < truth.burst_end && b.end > truth.burst_start),
        "no burst over {}..{}: {bursts:?}",
        truth.burst_start,
        truth.burst_end
    );

    // The seed's retweets within 1, 5, 15 and 60 minutes.
    let seed = found
        .measurements
        .seeds
        .seeds
        .iter()
        .find(|s| s.object == truth.seed_tweet)
        .expect("the seed tweet is a seed");
    let counted: Vec<(u32, u64)> = seed
        .within
        .iter()
        .map(|w| (w.minutes, w.retweets))
        .collect();
    let expected: Vec<(u32, u64)> = truth
        .seed_retweets
        .iter()
        .map(|w| (w.minutes as u32, w.retweets))
        .collect();
    assert_eq!(counted, expected);
}
