//! The coordination step on a synthetic collection of 5 million posts
//! (ignored: run `cargo test --release -p tamis-spread --test
//! coordination_scale -- --ignored --nocapture`). It prints the time and
//! the process's peak memory; the benchmark proper is in bench/.
//!
//! The collection: 300,000 accounts over a week; 60% retweets of 500,000
//! source posts picked with a heavy head, each retweet an exponential
//! delay (mean one hour) after its source; 40% authored posts with URLs,
//! hashtags and mostly distinct texts; a ring of 200 accounts (1,000 in the
//! dense run) retweeting 500 seeds within 10 seconds; and one post retweeted by 50,000 accounts
//! within 10 seconds, which the guard must leave out.

use std::time::Instant;
use tamis_spread::coordination::{coordination, Params};
use tamis_spread::{Dataset, Post, PostKind, NONE};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index below `n`, small ones far likelier.
    fn head(&mut self, n: usize) -> usize {
        ((n as f64) * self.unit().powi(3)) as usize
    }
}

const WEEK: i64 = 7 * 24 * 3600;
const START: i64 = 1_700_000_000;

fn synthetic(posts: usize, ring: usize) -> Dataset {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut d = Dataset::default();
    let accounts: Vec<u32> = (0..300_000).map(|i| d.account(&format!("u{i}"))).collect();
    let sources: Vec<(u32, i64)> = (0..500_000)
        .map(|i| {
            let id = d.objects.intern(&format!("t{i}"));
            (id, START + (rng.unit() * WEEK as f64) as i64)
        })
        .collect();
    let urls: Vec<u32> = (0..200_000)
        .map(|i| d.urls.intern(&format!("https://site{}/a{i}", i % 5000)))
        .collect();
    let tags: Vec<u32> = (0..5_000)
        .map(|i| d.tags.intern(&format!("tag{i}")))
        .collect();
    let push = |d: &mut Dataset,
                account: u32,
                time: i64,
                kind,
                shared,
                text_hash,
                hashtags: Vec<u32>,
                urls: Vec<u32>| {
        d.push(Post {
            account,
            time,
            kind,
            shared,
            object: NONE,
            lang: NONE,
            text_hash,
            hashtags: hashtags.into(),
            urls: urls.into(),
        })
    };

    // The viral burst and the ring.
    let viral = d.objects.intern("viral");
    for (i, &account) in accounts.iter().enumerate().take(50_000) {
        push(
            &mut d,
            account,
            START + 86_400 + (i % 10) as i64,
            PostKind::Retweet,
            viral,
            0,
            vec![],
            vec![],
        );
    }
    for seed in 0..500 {
        let id = d.objects.intern(&format!("seed{seed}"));
        let at = START + seed * 1_000;
        for member in 0..ring {
            let jitter = (rng.next() % 11) as i64;
            push(
                &mut d,
                accounts[300_000 - ring + member],
                at + jitter,
                PostKind::Retweet,
                id,
                0,
                vec![],
                vec![],
            );
        }
    }
    while d.posts.len() < posts {
        let account = accounts[((accounts.len() as f64) * rng.unit().powi(2)) as usize];
        if rng.unit() < 0.6 {
            let (source, at) = sources[rng.head(sources.len())];
            let delay = (-3600.0 * (1.0 - rng.unit()).ln()) as i64;
            push(
                &mut d,
                account,
                at + delay,
                PostKind::Retweet,
                source,
                0,
                vec![],
                vec![],
            );
        } else {
            let time = START + (rng.unit() * WEEK as f64) as i64;
            let n_tags = (rng.next() % 4) as usize;
            let hashtags = (0..n_tags).map(|_| tags[rng.head(tags.len())]).collect();
            let links = if rng.unit() < 0.3 {
                vec![urls[rng.head(urls.len())]]
            } else {
                vec![]
            };
            // One text in fifty is a common phrase.
            let text = if rng.unit() < 0.02 {
                1 + rng.next() % 1000
            } else {
                rng.next() | 1
            };
            push(
                &mut d,
                account,
                time,
                PostKind::Original,
                NONE,
                text,
                hashtags,
                links,
            );
        }
    }
    d.finish();
    d
}

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

#[test]
#[ignore = "scale run: release mode"]
fn five_million_posts() {
    run(200);
}

/// A ring of 1,000 accounts all retweeting 500 seeds within 10 seconds:
/// 250 million window pairs, past the default budget.
#[test]
#[ignore = "scale run: release mode"]
fn five_million_posts_with_a_dense_ring() {
    run(1_000);
}

fn run(ring: usize) {
    let started = Instant::now();
    let dataset = synthetic(5_000_000, ring);
    let built = started.elapsed();
    let rss_before = peak_rss_mib();
    let started = Instant::now();
    let found = coordination(&dataset, &Params::default());
    let took = started.elapsed();
    eprintln!(
        "generated {} posts in {built:.1?} (peak {rss_before} MiB); coordination in {took:.1?}, peak {} MiB",
        dataset.posts.len(),
        peak_rss_mib()
    );
    eprintln!(
        "window pairs walked {}, left out {} objects ({} pairs); co-share pairs {}; coordinated pairs {}, clusters {}, largest {}; similarity: {} accounts, {} compared, {} similar, {} groups, largest {}",
        found.guard.pairs_walked,
        found.guard.objects_left_out,
        found.guard.pairs_left_out,
        found.co_share_pairs,
        found.coordinated_pairs,
        found.cluster_count,
        found.largest_cluster,
        found.similarity.accounts,
        found.similarity.pairs_compared,
        found.similarity.similar_pairs,
        found.similarity.group_count,
        found.similarity.largest_group,
    );
    assert_eq!(found.guard.left_out[0].object, "viral");
    let found_ring: Vec<&str> = found.clusters[0]
        .members
        .iter()
        .map(|m| m.key.as_str())
        .collect();
    assert!(found_ring.len() >= ring, "the ring is found");
    assert!((300_000 - ring..300_000).all(|i| found_ring.contains(&format!("u{i}").as_str())));
    // When the ring is chained to organic accounts, Louvain sets it apart.
    let cluster = &found.clusters[0];
    if let Some(&best) = cluster
        .communities
        .iter()
        .map(|c| {
            c.members
                .iter()
                .filter(|&&m| {
                    cluster.members[m as usize].key[1..]
                        .parse::<usize>()
                        .unwrap()
                        >= 300_000 - ring
                })
                .count()
        })
        .collect::<Vec<_>>()
        .iter()
        .max()
    {
        let community = cluster
            .communities
            .iter()
            .find(|c| {
                c.members
                    .iter()
                    .filter(|&&m| {
                        cluster.members[m as usize].key[1..]
                            .parse::<usize>()
                            .unwrap()
                            >= 300_000 - ring
                    })
                    .count()
                    == best
            })
            .unwrap();
        eprintln!(
            "cluster 1: {} members, {} communities (modularity {:?}); the ring's community holds {best} of its {ring} members in {}",
            cluster.size,
            cluster.communities.len(),
            cluster.modularity,
            community.size
        );
    }
    let json = serde_json::to_vec(&found).unwrap();
    eprintln!("JSON: {} KiB", json.len() / 1024);
}
