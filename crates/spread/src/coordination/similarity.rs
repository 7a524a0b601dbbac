//! Slower coordination: accounts retweeting the same posts over the whole
//! collection, whatever the delay (Pacheco et al. 2021, case study 4).
//!
//! Cosines are computed from an inverted index, one account at a time
//! against the accounts after it, in an array as long as the account list
//! (no pair table). The work is the sum over posts of df²/2, where df is
//! how many accounts retweeted the post: a post retweeted by most accounts
//! costs the square of the account count. So the posts with the largest df
//! are left out of the index, largest first, until the work fits
//! `max_work`; they stay in the vectors, and a pair found through the
//! other posts gets them back exactly (a sorted merge) whenever the
//! Cauchy–Schwarz bound says they could lift it over the threshold. What
//! this misses: pairs with no retweeted post in common except those left
//! out, reported as `posts_left_out`.

use super::graph;
use super::{account_ref, AccountRef};
use crate::{Dataset, PostKind, NONE};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct SimilarityParams {
    /// Accounts with fewer retweets are left out (Pacheco et al.: 10).
    pub min_retweets: u32,
    /// Posts retweeted by fewer eligible accounts are dropped from the
    /// vectors (the authors' code: scikit-learn's `min_df=3`).
    pub min_accounts_per_post: u32,
    /// Pairs at or above this cosine are similar. Pacheco et al. kept the
    /// top 0.5% of edges of their data; a fixed cosine reads the same on
    /// any collection, and the output says what share of the compared
    /// pairs passed it.
    pub threshold: f64,
    /// Multiply-adds allowed in the inverted index (see the module doc).
    pub max_work: u64,
    pub max_pairs_listed: usize,
    pub max_groups_listed: usize,
    pub max_posts_listed: usize,
}

impl Default for SimilarityParams {
    fn default() -> Self {
        SimilarityParams {
            min_retweets: 10,
            min_accounts_per_post: 3,
            threshold: 0.9,
            max_work: 1_000_000_000,
            max_pairs_listed: 10_000,
            max_groups_listed: 1_000,
            max_posts_listed: 20,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CoRetweetSimilarity {
    pub min_retweets: u32,
    pub min_accounts_per_post: u32,
    pub threshold: f64,
    /// Accounts with at least `min_retweets` retweets and a non-empty vector.
    pub accounts: u64,
    /// Retweeted posts in the vectors.
    pub posts: u64,
    /// Posts kept in the vectors but left out of the index (see
    /// `definitions.similarity`), and the largest df still indexed.
    pub posts_left_out: u64,
    pub max_indexed_accounts_per_post: u64,
    /// Pairs with at least one indexed post in common.
    pub pairs_compared: u64,
    /// Pairs at or above the threshold.
    pub similar_pairs: u64,
    /// `similar_pairs / pairs_compared`: compare with the 0.5% Pacheco
    /// et al. kept.
    pub similar_share: f64,
    /// Most similar first.
    pub pairs: Vec<SimilarPair>,
    pub pairs_truncated: bool,
    pub group_count: u64,
    pub largest_group: u64,
    /// Connected components of the similar pairs, largest first.
    pub groups: Vec<SimilarityGroup>,
    pub groups_truncated: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct SimilarPair {
    pub a: AccountRef,
    pub b: AccountRef,
    pub similarity: f64,
    /// Retweeted posts (in the vectors) both retweeted.
    pub common_posts: u64,
    /// Rank of the pair's group in `groups`.
    pub group: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SimilarityGroup {
    pub rank: u64,
    pub size: u64,
    pub edges: u64,
    pub mean_similarity: f64,
    pub min_similarity: f64,
    pub members: Vec<AccountRef>,
    /// The posts retweeted by the most members.
    pub posts: Vec<RetweetedPost>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RetweetedPost {
    pub post: String,
    pub accounts: u64,
}

/// A similar pair found: both accounts (vector numbering), the cosine, and
/// the posts both retweeted.
type Similar = (u32, u32, f64, u64);

/// Per account (dense numbering), its vector: (post, weight / norm),
/// ascending by post.
struct Vectors {
    accounts: Vec<u32>,
    start: Vec<u32>,
    entries: Vec<(u32, f64)>,
}

impl Vectors {
    fn of(&self, a: u32) -> &[(u32, f64)] {
        &self.entries[self.start[a as usize] as usize..self.start[a as usize + 1] as usize]
    }
}

pub(crate) fn co_retweet(
    dataset: &Dataset,
    order: &[u32],
    params: &SimilarityParams,
) -> CoRetweetSimilarity {
    let is_retweet = |p: u32| {
        let post = &dataset.posts[p as usize];
        post.kind == PostKind::Retweet
            && post.shared != NONE
            && dataset.object_authors.get(&post.shared) != Some(&post.account)
    };
    let mut retweets = vec![0u32; dataset.accounts.len()];
    for &p in order {
        if is_retweet(p) {
            retweets[dataset.posts[p as usize].account as usize] += 1;
        }
    }
    let mut dense = vec![u32::MAX; dataset.accounts.len()];
    let mut eligible: Vec<u32> = Vec::new();
    for (a, &count) in retweets.iter().enumerate() {
        if count >= params.min_retweets.max(1) {
            dense[a] = eligible.len() as u32;
            eligible.push(a as u32);
        }
    }
    drop(retweets);
    // (account, post) for each retweet, sorted: runs are term counts.
    let mut entries: Vec<u64> = order
        .iter()
        .filter(|&&p| is_retweet(p))
        .filter_map(|&p| {
            let post = &dataset.posts[p as usize];
            let d = dense[post.account as usize];
            (d != u32::MAX).then(|| (u64::from(d) << 32) | u64::from(post.shared))
        })
        .collect();
    entries.par_sort_unstable();
    let mut terms: Vec<(u32, u32, u32)> = Vec::new();
    for run in entries.chunk_by(|x, y| x == y) {
        terms.push(((run[0] >> 32) as u32, run[0] as u32, run.len() as u32));
    }
    drop(entries);
    let mut df = vec![0u32; dataset.objects.len()];
    for &(_, post, _) in &terms {
        df[post as usize] += 1;
    }
    let kept = |post: u32| df[post as usize] >= params.min_accounts_per_post.max(1);
    let n_docs = eligible.len() as f64;
    let idf = |post: u32| ((1.0 + n_docs) / (1.0 + f64::from(df[post as usize]))).ln() + 1.0;

    // Vectors of the accounts with at least one kept post, renumbered.
    let mut vectors = Vectors {
        accounts: Vec::new(),
        start: vec![0],
        entries: Vec::new(),
    };
    for run in terms.chunk_by(|x, y| x.0 == y.0) {
        let from = vectors.entries.len();
        for &(_, post, count) in run {
            if kept(post) {
                let weight = (1.0 + f64::from(count).ln()) * idf(post);
                vectors.entries.push((post, weight));
            }
        }
        if vectors.entries.len() == from {
            continue;
        }
        let norm = vectors.entries[from..]
            .iter()
            .map(|e| e.1 * e.1)
            .sum::<f64>()
            .sqrt();
        for entry in &mut vectors.entries[from..] {
            entry.1 /= norm;
        }
        vectors.accounts.push(eligible[run[0].0 as usize]);
        vectors.start.push(vectors.entries.len() as u32);
    }
    drop(terms);
    let n = vectors.accounts.len();

    // Index the posts by df, leaving the largest out past the budget.
    let mut by_df: Vec<u32> = (0..df.len() as u32).filter(|&p| kept(p)).collect();
    let vocabulary = by_df.len() as u64;
    by_df.sort_unstable_by(|&x, &y| df[y as usize].cmp(&df[x as usize]).then(x.cmp(&y)));
    let cost = |p: u32| {
        let d = u64::from(df[p as usize]);
        d * d.saturating_sub(1) / 2
    };
    let mut work: u64 = by_df.iter().map(|&p| cost(p)).sum();
    let mut heavy = vec![false; df.len()];
    let mut left_out = 0u64;
    for &p in &by_df {
        if work <= params.max_work {
            break;
        }
        heavy[p as usize] = true;
        work -= cost(p);
        left_out += 1;
    }
    let max_indexed = by_df
        .iter()
        .find(|&&p| !heavy[p as usize])
        .map_or(0, |&p| u64::from(df[p as usize]));
    drop(by_df);

    let mut post_start = vec![0u32; df.len() + 1];
    let mut heavy_norm = vec![0f64; n];
    for a in 0..n as u32 {
        for &(post, weight) in vectors.of(a) {
            if heavy[post as usize] {
                heavy_norm[a as usize] += weight * weight;
            } else {
                post_start[post as usize + 1] += 1;
            }
        }
    }
    for h in &mut heavy_norm {
        *h = h.sqrt();
    }
    for p in 0..df.len() {
        post_start[p + 1] += post_start[p];
    }
    let mut postings = vec![(0u32, 0f64); post_start[df.len()] as usize];
    let mut cursor = post_start.clone();
    for a in 0..n as u32 {
        for &(post, weight) in vectors.of(a) {
            if !heavy[post as usize] {
                postings[cursor[post as usize] as usize] = (a, weight);
                cursor[post as usize] += 1;
            }
        }
    }
    drop(cursor);

    const CHUNK: usize = 1024;
    let threshold = params.threshold;
    let found: Vec<(Vec<Similar>, u64)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map_init(
            || (vec![0f64; n], vec![0u32; n], Vec::<u32>::new()),
            |(dot, common, touched), chunk| {
                let mut similar = Vec::new();
                let mut compared = 0u64;
                for a in (chunk * CHUNK) as u32..((chunk + 1) * CHUNK).min(n) as u32 {
                    for &(post, weight) in vectors.of(a) {
                        if heavy[post as usize] {
                            continue;
                        }
                        let list = &postings[post_start[post as usize] as usize
                            ..post_start[post as usize + 1] as usize];
                        let after = list.partition_point(|&(b, _)| b <= a);
                        for &(b, other) in &list[after..] {
                            if common[b as usize] == 0 {
                                touched.push(b);
                            }
                            dot[b as usize] += weight * other;
                            common[b as usize] += 1;
                        }
                    }
                    compared += touched.len() as u64;
                    for &b in touched.iter() {
                        let mut s = std::mem::take(&mut dot[b as usize]);
                        let mut shared = u64::from(std::mem::take(&mut common[b as usize]));
                        let bound = heavy_norm[a as usize] * heavy_norm[b as usize];
                        if bound > 0.0 && s + bound >= threshold {
                            let (extra, extra_common) =
                                heavy_dot(vectors.of(a), vectors.of(b), &heavy);
                            s += extra;
                            shared += extra_common;
                        }
                        if s >= threshold {
                            similar.push((a, b, s.min(1.0), shared));
                        }
                    }
                    touched.clear();
                }
                (similar, compared)
            },
        )
        .collect();
    let mut similar = Vec::new();
    let mut compared = 0u64;
    for (chunk, count) in found {
        similar.extend(chunk);
        compared += count;
    }

    let edges: Vec<(u32, u32)> = similar.iter().map(|&(a, b, _, _)| (a, b)).collect();
    let (groups, edge_group) = graph::components(n, &edges);
    let key = |d: u32| {
        dataset.accounts[vectors.accounts[d as usize] as usize]
            .key
            .as_str()
    };
    let mut group_edges = vec![(0u64, 0f64, f64::MAX); groups.len()];
    for (i, &g) in edge_group.iter().enumerate() {
        let s = similar[i].2;
        let entry = &mut group_edges[g as usize];
        entry.0 += 1;
        entry.1 += s;
        entry.2 = entry.2.min(s);
    }
    let smallest_key = |g: usize| groups[g].iter().map(|&m| key(m)).min().unwrap_or("");
    let mut ranking: Vec<usize> = (0..groups.len()).collect();
    ranking.sort_by(|&x, &y| {
        groups[y]
            .len()
            .cmp(&groups[x].len())
            .then(group_edges[y].0.cmp(&group_edges[x].0))
            .then_with(|| smallest_key(x).cmp(smallest_key(y)))
    });
    let mut rank_of = vec![0u64; groups.len()];
    for (r, &g) in ranking.iter().enumerate() {
        rank_of[g] = r as u64 + 1;
    }

    let mut pair_order: Vec<usize> = (0..similar.len()).collect();
    let oriented = |i: usize| {
        let (a, b) = (key(similar[i].0), key(similar[i].1));
        if a <= b {
            (a, b)
        } else {
            (b, a)
        }
    };
    pair_order.sort_by(|&x, &y| {
        similar[y]
            .2
            .total_cmp(&similar[x].2)
            .then_with(|| oriented(x).cmp(&oriented(y)))
    });
    let pairs = pair_order
        .iter()
        .take(params.max_pairs_listed)
        .map(|&i| {
            let (a, b, s, common) = similar[i];
            let (a, b) = if key(a) <= key(b) { (a, b) } else { (b, a) };
            SimilarPair {
                a: account_ref(dataset, vectors.accounts[a as usize]),
                b: account_ref(dataset, vectors.accounts[b as usize]),
                similarity: s,
                common_posts: common,
                group: rank_of[edge_group[i] as usize],
            }
        })
        .collect();

    let mut tally = vec![0u64; df.len()];
    let listed = ranking
        .iter()
        .take(params.max_groups_listed)
        .map(|&g| {
            let mut members: Vec<AccountRef> = groups[g]
                .iter()
                .map(|&m| account_ref(dataset, vectors.accounts[m as usize]))
                .collect();
            members.sort();
            let mut touched: Vec<u32> = Vec::new();
            for &m in &groups[g] {
                for &(post, _) in vectors.of(m) {
                    if tally[post as usize] == 0 {
                        touched.push(post);
                    }
                    tally[post as usize] += 1;
                }
            }
            let mut posts: Vec<(u64, u32)> = touched
                .iter()
                .map(|&p| (std::mem::take(&mut tally[p as usize]), p))
                .collect();
            posts.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            let (edges, sum, min) = group_edges[g];
            SimilarityGroup {
                rank: rank_of[g],
                size: groups[g].len() as u64,
                edges,
                mean_similarity: sum / edges as f64,
                min_similarity: min,
                members,
                posts: posts
                    .iter()
                    .take(params.max_posts_listed)
                    .map(|&(accounts, p)| RetweetedPost {
                        post: dataset.objects.name(p).to_owned(),
                        accounts,
                    })
                    .collect(),
            }
        })
        .collect();

    CoRetweetSimilarity {
        min_retweets: params.min_retweets,
        min_accounts_per_post: params.min_accounts_per_post,
        threshold,
        accounts: n as u64,
        posts: vocabulary,
        posts_left_out: left_out,
        max_indexed_accounts_per_post: max_indexed,
        pairs_compared: compared,
        similar_pairs: similar.len() as u64,
        similar_share: if compared == 0 {
            0.0
        } else {
            similar.len() as f64 / compared as f64
        },
        pairs,
        pairs_truncated: similar.len() > params.max_pairs_listed,
        group_count: groups.len() as u64,
        largest_group: groups.iter().map(|g| g.len() as u64).max().unwrap_or(0),
        groups: listed,
        groups_truncated: groups.len() > params.max_groups_listed,
    }
}

/// The dot product of two vectors over the posts left out of the index,
/// and how many such posts they share.
fn heavy_dot(x: &[(u32, f64)], y: &[(u32, f64)], heavy: &[bool]) -> (f64, u64) {
    let (mut i, mut j) = (0, 0);
    let mut dot = 0.0;
    let mut common = 0;
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if heavy[x[i].0 as usize] {
                    dot += x[i].1 * y[j].1;
                    common += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    (dot, common)
}
