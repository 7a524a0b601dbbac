//! Issue 6's proof: on real coordinated retweets, the pairs and clusters
//! tamis finds equal those of an independent implementation, the
//! coordination-network-toolkit 1.5.2 from PyPI (co-retweet network), run
//! on the same shares in this test.
//!
//! The toolkit's edges are directed: user_1 → user_2 weighs the posts of
//! user_1 with a share of the same object by user_2 within the window, and
//! an edge is kept at `--min_edge_weight`. tamis' pair carries both sides
//! (`a_posts`, `b_posts`), so the comparison is edge for edge, weight for
//! weight; the clusters are compared with networkx's weakly connected
//! components of the toolkit's graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use tamis_spread::coordination::{coordination, Params};
use tamis_spread::{Dataset, Post, PostKind, NONE};

const SHARES: &str = "../../../shared/data/coordination/russian_coord_tweets.csv";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shares table as posts: each row a retweet of `object_id` by
/// `account_id` at `timestamp_share`. Every timestamp of this file is a
/// whole number of seconds written as a float; the toolkit stores them in
/// an INTEGER column, so whole seconds compare the same on both sides (a
/// fraction would not: it is asserted absent).
// TODO(lead): read through crate::input once the shares-table reader lands.
fn read_shares(path: &Path) -> Dataset {
    let text = std::fs::read_to_string(path).expect("shares table");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("object_id,account_id,content_id,timestamp_share")
    );
    let mut dataset = Dataset::default();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 4, "{line}");
        let time: f64 = fields[3].parse().expect("timestamp");
        assert_eq!(time.fract(), 0.0, "whole seconds: {line}");
        let account = dataset.account(fields[1]);
        let shared = dataset.objects.intern(fields[0]);
        dataset.push(Post {
            account,
            time: time as i64,
            kind: PostKind::Retweet,
            shared,
            object: NONE,
            lang: NONE,
            text_hash: 0,
            hashtags: Box::new([]),
            urls: Box::new([]),
        });
    }
    dataset.finish();
    dataset
}

struct Peer {
    /// (user_1, user_2) → weight.
    edges: BTreeMap<(String, String), u32>,
    components: BTreeSet<BTreeSet<String>>,
}

fn run_peer(shares: &Path, window: i64, min_weight: u32) -> Peer {
    let peer = manifest_dir().join("tests/peer");
    let status = Command::new("bash")
        .arg(peer.join("install.sh"))
        .status()
        .expect("bash");
    assert!(status.success(), "installing the toolkit failed");
    let out = tempfile::tempdir().expect("temp dir");
    let status = Command::new("bash")
        .arg(peer.join("run.sh"))
        .arg(shares)
        .arg(out.path())
        .arg(window.to_string())
        .arg(min_weight.to_string())
        .status()
        .expect("bash");
    assert!(status.success(), "the toolkit failed");
    let edges = std::fs::read_to_string(out.path().join("edges.tsv"))
        .expect("edges")
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            (
                (f[0].to_owned(), f[1].to_owned()),
                f[2].parse().expect("weight"),
            )
        })
        .collect();
    let components = std::fs::read_to_string(out.path().join("components.tsv"))
        .expect("components")
        .lines()
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect();
    Peer { edges, components }
}

fn compare(window: i64) -> (usize, usize, usize) {
    let shares = manifest_dir().join(SHARES);
    let dataset = read_shares(&shares);
    assert_eq!(dataset.posts.len(), 35_125);
    let params = Params {
        window_seconds: window,
        min_co_shares: 2,
        max_pairs_listed: usize::MAX,
        max_clusters_listed: usize::MAX,
        ..Params::default()
    };
    let found = coordination(&dataset, &params);
    assert_eq!(found.guard.objects_left_out, 0);
    assert!(!found.pairs_truncated && !found.clusters_truncated);

    let mut ours = BTreeMap::new();
    for pair in &found.pairs {
        assert!(pair.weight >= 2);
        if pair.a_posts >= 2 {
            ours.insert((pair.a.key.clone(), pair.b.key.clone()), pair.a_posts);
        }
        if pair.b_posts >= 2 {
            ours.insert((pair.b.key.clone(), pair.a.key.clone()), pair.b_posts);
        }
    }
    let our_clusters: BTreeSet<BTreeSet<String>> = found
        .clusters
        .iter()
        .map(|c| c.members.iter().map(|m| m.key.clone()).collect())
        .collect();

    let peer = run_peer(&shares, window, 2);
    assert_eq!(
        ours, peer.edges,
        "directed edges and weights, window {window}"
    );
    let peer_pairs: BTreeSet<(String, String)> = peer
        .edges
        .keys()
        .map(|(a, b)| (a.min(b).clone(), a.max(b).clone()))
        .collect();
    assert_eq!(found.pairs.len(), peer_pairs.len());
    assert_eq!(found.coordinated_pairs as usize, peer_pairs.len());
    assert_eq!(our_clusters, peer.components, "clusters, window {window}");
    assert_eq!(found.cluster_count as usize, peer.components.len());
    let largest = peer.components.iter().map(BTreeSet::len).max().unwrap_or(0);
    assert_eq!(found.largest_cluster as usize, largest);
    eprintln!(
        "window {window} s: {} pairs ({} directed edges), {} clusters, largest {largest}",
        peer_pairs.len(),
        peer.edges.len(),
        peer.components.len()
    );
    (peer_pairs.len(), peer.components.len(), largest)
}

/// Every pair with both sides' counts, and the clusters' members.
type Summary = (
    BTreeSet<(String, String, u32, u32)>,
    BTreeSet<BTreeSet<String>>,
);

/// What a run compares: every pair with both sides, and the clusters.
fn summary(dataset: &Dataset, window: i64) -> Summary {
    let params = Params {
        window_seconds: window,
        max_pairs_listed: usize::MAX,
        max_clusters_listed: usize::MAX,
        ..Params::default()
    };
    let found = coordination(dataset, &params);
    let pairs = found
        .pairs
        .iter()
        .map(|p| (p.a.key.clone(), p.b.key.clone(), p.a_posts, p.b_posts))
        .collect();
    let clusters = found
        .clusters
        .iter()
        .map(|c| c.members.iter().map(|m| m.key.clone()).collect())
        .collect();
    (pairs, clusters)
}

/// The crate's own reader takes the table in as this test's parser does.
#[test]
fn the_input_module_reads_the_shares_table_the_same_way() {
    let shares = manifest_dir().join(SHARES);
    let ours = read_shares(&shares);
    let (read, report) =
        tamis_spread::input::read_all(&[shares], &tamis_spread::input::Filter::default(), &|_| {})
            .expect("read");
    assert_eq!(report.posts, 35_125);
    for window in [10, 60] {
        assert_eq!(
            summary(&read, window),
            summary(&ours, window),
            "window {window}"
        );
    }
}

/// The setting: 10-second window, at least 2 co-shares.
#[test]
fn russian_coord_tweets_match_the_toolkit_at_10_seconds() {
    assert_eq!(compare(10), (5, 5, 2));
}

/// Ten seconds finds only pairs in this collection; wider windows make
/// clusters of more than two, where transitivity and larger weights are
/// checked against the toolkit too.
#[test]
fn russian_coord_tweets_match_the_toolkit_at_wider_windows() {
    for window in [60, 600] {
        compare(window);
    }
}
