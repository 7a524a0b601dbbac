//! Accounts acting in concert: pairs sharing the same objects within
//! seconds of each other, their clusters, and co-retweet similarity.
//!
//! The co-share part follows CooRTweet and the coordination-network-toolkit
//! (and is checked against the toolkit on real data in
//! `tests/coordination_peer.rs`); the similarity part follows Pacheco et
//! al. (ICWSM 2021), case study 4. Every figure's meaning is in
//! [`DEFINITIONS`], which the JSON carries.

mod community;
mod evidence;
mod graph;
mod hash;
mod objects;
mod pairs;
mod similarity;
#[cfg(test)]
mod tests;

pub use objects::ObjectKind;
pub use similarity::{CoRetweetSimilarity, SimilarPair, SimilarityGroup, SimilarityParams};

use crate::Dataset;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Params {
    /// Two shares of one object count as coordinated when at most this
    /// many seconds apart, inclusive (CooRTweet's and the toolkit's
    /// default: 10).
    pub window_seconds: i64,
    /// A pair of accounts is coordinated when one of them has at least
    /// this many posts co-shared with the other (the toolkit's
    /// `--min_edge_weight`; CooRTweet's default: 2).
    pub min_co_shares: u32,
    /// An object whose shares make more pairs than this inside windows is
    /// left out of pairing (reported in `guard`): 5,000,000 is a burst of
    /// about 3,200 shares within one window.
    pub max_pairs_per_object: u64,
    /// Window pairs walked in all; past it the objects with the most pairs
    /// are left out first. Bounds the co-share step's time (200 million
    /// pairs, a ring of 1,000 accounts retweeting 400 posts within
    /// seconds, take about 3.5 s for both walks on this 2-core machine)
    /// and its memory, which grows with the coordinated pairs: at most
    /// half the pairs walked, since a coordinated pair takes two.
    pub max_pairs_total: u64,
    /// Coordinated pairs listed (highest weight first); counts are always
    /// complete.
    pub max_pairs_listed: usize,
    /// Clusters listed (largest first).
    pub max_clusters_listed: usize,
    /// Per cluster: shared objects, example co-shares and links listed.
    pub max_objects_listed: usize,
    pub max_examples_listed: usize,
    pub max_links_listed: usize,
    /// Clusters with at least this many members are split into Louvain
    /// communities as well.
    pub min_community_split: usize,
    pub similarity: SimilarityParams,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            window_seconds: 10,
            min_co_shares: 2,
            max_pairs_per_object: 5_000_000,
            max_pairs_total: 200_000_000,
            max_pairs_listed: 10_000,
            max_clusters_listed: 1_000,
            max_objects_listed: 20,
            max_examples_listed: 5,
            max_links_listed: 2_000,
            min_community_split: 50,
            similarity: SimilarityParams::default(),
        }
    }
}

/// The meaning of every figure in [`Coordination`], carried in the JSON.
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "object",
        "What two accounts can share: the post a retweet or quote shares (or a shares table's object), \
         a URL of an authored post (not a retweet: its links are the retweeted post's), the ordered \
         hashtags of an authored post with at least two, or the normalised text of an authored post. \
         Authored posts are originals, replies and quotes. Kinds are matched only with their own kind.",
    ),
    (
        "co_share",
        "A post of account A co-shares with account B when B, another account, shared one of the \
         post's objects at most window_seconds before or after it (inclusive). A post co-sharing \
         several objects with B, or with several of B's shares, counts once.",
    ),
    (
        "a_posts",
        "The posts of account a that co-share with b (and b_posts the other way): the toolkit's \
         directed edge weight, count(distinct message_id).",
    ),
    (
        "weight",
        "max(a_posts, b_posts). A pair is coordinated when its weight is at least min_co_shares, \
         i.e. when the coordination-network-toolkit has an edge between the two in either direction.",
    ),
    (
        "co_share_pairs",
        "Pairs of accounts with at least one co-share (coordinated or not), over the objects walked.",
    ),
    (
        "cluster",
        "A connected component of the graph of coordinated pairs, as CooRTweet and the toolkit \
         report coordinated networks. Sorted by size, then edges.",
    ),
    (
        "instance",
        "One co-share instance: a share by one member and a share of the same object by another \
         member at most window_seconds apart, on a coordinated pair; seconds is the gap between them.",
    ),
    (
        "median_seconds",
        "The lower median of the seconds between the two shares of every instance in the cluster; \
         max_seconds their maximum.",
    ),
    (
        "cluster_objects",
        "Objects co-shared inside the cluster: accounts is the number of members with a share of it \
         in an instance, instances the instances on it.",
    ),
    (
        "communities",
        "Inside a cluster of at least min_community_split members: Louvain modularity classes \
         (Blondel et al. 2008) of its coordinated pairs weighted by weight, nodes visited in a fixed \
         order; listed when there are two or more, with the partition's modularity. A dense ring \
         chained to a crowd by a few co-shares shows as its own community.",
    ),
    (
        "guard",
        "Objects left out of pairing because the shares inside their windows would make more pairs \
         than max_pairs_per_object, or, largest first, because all objects together would pass \
         max_pairs_total. Such an object was shared by so many accounts at once that pairing them \
         says nothing about any two; peak is the most shares inside one window.",
    ),
    (
        "similarity",
        "Co-retweet similarity after Pacheco et al. 2021 (case study 4): each account with at least \
         min_retweets retweets (self-retweets excluded) is a TF-IDF vector over the posts it retweeted \
         (tf = 1 + ln(count), idf = ln((1 + N) / (1 + df)) + 1, as scikit-learn's smooth idf, N \
         accounts, df accounts that retweeted the post); posts retweeted by fewer than \
         min_accounts_per_post of them are dropped, as in the authors' code. similarity is the cosine \
         of two vectors; pairs at or above threshold are listed and grouped by connected components.",
    ),
];

/// The coordination found.
#[derive(Clone, Debug, Serialize)]
pub struct Coordination {
    /// Term → meaning, for every figure below.
    pub definitions: BTreeMap<&'static str, &'static str>,
    pub window_seconds: i64,
    pub min_co_shares: u32,
    /// Per kind of object: posts carrying one, and objects shared at least
    /// twice (the only ones that can be co-shared).
    pub objects: Vec<KindSummary>,
    pub guard: Guard,
    pub co_share_pairs: u64,
    pub coordinated_pairs: u64,
    /// Accounts in at least one coordinated pair.
    pub coordinated_accounts: u64,
    /// Coordinated pairs, highest weight first, at most `max_pairs_listed`.
    pub pairs: Vec<Pair>,
    pub pairs_truncated: bool,
    pub cluster_count: u64,
    /// Members of the largest cluster (0 without clusters).
    pub largest_cluster: u64,
    pub clusters: Vec<Cluster>,
    pub clusters_truncated: bool,
    pub similarity: CoRetweetSimilarity,
}

#[derive(Clone, Debug, Serialize)]
pub struct KindSummary {
    pub kind: ObjectKind,
    pub posts: u64,
    pub objects: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Guard {
    pub max_pairs_per_object: u64,
    pub max_pairs_total: u64,
    /// Window pairs walked.
    pub pairs_walked: u64,
    pub objects_left_out: u64,
    pub shares_left_out: u64,
    pub pairs_left_out: u64,
    /// The largest objects left out, at most `max_objects_listed`.
    pub left_out: Vec<LeftOut>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LeftOut {
    pub kind: ObjectKind,
    pub object: String,
    pub shares: u64,
    pub accounts: u64,
    pub pairs: u64,
    pub peak: u64,
}

/// An account as listed in the evidence.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct AccountRef {
    pub key: String,
    pub screen_name: Option<String>,
}

/// Distinct objects of each kind.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct KindCounts {
    pub shared_post: u64,
    pub url: u64,
    pub hashtag_sequence: u64,
    pub text: u64,
}

impl KindCounts {
    fn add(&mut self, kind: ObjectKind, n: u64) {
        match kind {
            ObjectKind::SharedPost => self.shared_post += n,
            ObjectKind::Url => self.url += n,
            ObjectKind::HashtagSequence => self.hashtag_sequence += n,
            ObjectKind::Text => self.text += n,
        }
    }
}

/// A coordinated pair; `a` is the account whose key sorts first.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: AccountRef,
    pub b: AccountRef,
    pub a_posts: u32,
    pub b_posts: u32,
    pub weight: u32,
    /// Distinct objects co-shared, per kind.
    pub objects: KindCounts,
    pub instances: u64,
    pub mean_seconds: f64,
    pub max_seconds: i64,
    /// The pair's earliest instance.
    pub first: Example,
    /// Rank of the pair's cluster in `clusters` (1 = largest).
    pub cluster: u64,
}

/// One instance: who shared what, when.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    pub kind: ObjectKind,
    pub object: String,
    pub a: String,
    pub a_time: i64,
    pub b: String,
    pub b_time: i64,
    pub seconds: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Cluster {
    pub rank: u64,
    pub size: u64,
    /// Coordinated pairs inside.
    pub edges: u64,
    /// edges / (size (size - 1) / 2).
    pub density: f64,
    /// Members, most partners first.
    pub members: Vec<Member>,
    /// Distinct objects co-shared inside, per kind.
    pub kinds: KindCounts,
    pub objects_total: u64,
    /// The objects co-shared by the most members.
    pub objects: Vec<ClusterObject>,
    pub instances: u64,
    pub median_seconds: i64,
    pub max_seconds: i64,
    /// Unix seconds of the first and last share in an instance.
    pub first_time: i64,
    pub last_time: i64,
    /// The earliest instances of distinct pairs.
    pub examples: Vec<Example>,
    /// The heaviest pairs as `[member index, member index, weight]`, for
    /// drawing; at most `max_links_listed`.
    pub links: Vec<[u64; 3]>,
    /// Modularity of `communities` (None when the cluster was not split).
    pub modularity: Option<f64>,
    /// Louvain communities, largest first (see `definitions.communities`).
    pub communities: Vec<Community>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Community {
    pub size: u64,
    /// Coordinated pairs inside the community.
    pub edges: u64,
    /// Indices into the cluster's `members`.
    pub members: Vec<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Member {
    pub key: String,
    pub screen_name: Option<String>,
    /// Coordinated partners.
    pub partners: u64,
    /// Posts co-shared with at least one partner.
    pub posts: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClusterObject {
    pub kind: ObjectKind,
    pub object: String,
    pub accounts: u64,
    pub instances: u64,
}

pub fn coordination(dataset: &Dataset, params: &Params) -> Coordination {
    let order = objects::time_order(dataset);
    let index = objects::Index::build(dataset, &order);
    let plan = pairs::plan(
        &index,
        params.window_seconds,
        params.max_pairs_per_object,
        params.max_pairs_total,
    );
    let (sides, co_share_pairs) = pairs::strong_sides(
        &index,
        dataset.accounts.len(),
        params.window_seconds,
        params.min_co_shares,
        &plan.skip,
    );
    let found = evidence::gather(dataset, &index, &plan, &sides, params);
    let similarity = similarity::co_retweet(dataset, &order, &params.similarity);

    let objects = objects::KINDS
        .iter()
        .map(|&kind| KindSummary {
            kind,
            posts: index.posts_by_kind[kind.slot()],
            objects: index.objects_by_kind[kind.slot()],
        })
        .collect();
    let guard = Guard {
        max_pairs_per_object: params.max_pairs_per_object,
        max_pairs_total: params.max_pairs_total,
        pairs_walked: plan.pairs_walked,
        objects_left_out: plan.skipped.len() as u64,
        shares_left_out: plan.skipped_shares,
        pairs_left_out: plan.skipped_pairs,
        left_out: plan
            .skipped
            .iter()
            .take(params.max_objects_listed)
            .map(|&(o, pairs, peak)| {
                let (lo, hi) = index.object_range(o);
                let mut accounts: Vec<u32> = index.occ[lo..hi].iter().map(|s| s.account).collect();
                accounts.sort_unstable();
                accounts.dedup();
                LeftOut {
                    kind: index.objects[o as usize].0,
                    object: index.label(dataset, o),
                    shares: (hi - lo) as u64,
                    accounts: accounts.len() as u64,
                    pairs,
                    peak,
                }
            })
            .collect(),
    };
    Coordination {
        definitions: DEFINITIONS.iter().copied().collect(),
        window_seconds: params.window_seconds,
        min_co_shares: params.min_co_shares,
        objects,
        guard,
        co_share_pairs,
        coordinated_pairs: found.pair_count,
        coordinated_accounts: found.account_count,
        pairs: found.pairs,
        pairs_truncated: found.pairs_truncated,
        cluster_count: found.cluster_count,
        largest_cluster: found.largest_cluster,
        clusters: found.clusters,
        clusters_truncated: found.clusters_truncated,
        similarity,
    }
}

fn account_ref(dataset: &Dataset, a: u32) -> AccountRef {
    let account = &dataset.accounts[a as usize];
    AccountRef {
        key: account.key.clone(),
        screen_name: account.screen_name.clone(),
    }
}
