//! Which pairs of accounts co-shared often enough: the sliding window over
//! each object's shares, walked from each account's side so that counting
//! needs no pair table, only two arrays as long as the account list.
//!
//! The work is the number of share pairs inside windows, which is
//! quadratic in an object's burst: a tweet retweeted by 50,000 accounts
//! within ten seconds makes over a billion. [`plan`] counts each object's
//! window pairs first (linear) and leaves out, all or nothing, the objects
//! past the per-object bound and then, largest first, those past the total
//! budget, naming them in the output.

use super::objects::{AccOcc, Index};
use rayon::prelude::*;
use std::ops::Range;

/// Which objects are walked, and what was left out.
pub(crate) struct Plan {
    pub skip: Vec<bool>,
    /// Window pairs (unordered, any accounts) of the objects walked.
    pub pairs_walked: u64,
    /// Left out objects with their window pairs and their peak (the most
    /// shares inside one window), largest first.
    pub skipped: Vec<(u32, u64, u64)>,
    pub skipped_pairs: u64,
    pub skipped_shares: u64,
}

pub(crate) fn plan(index: &Index, window: i64, max_per_object: u64, max_total: u64) -> Plan {
    let n = index.objects.len();
    let per_object: Vec<(u64, u64)> = (0..n as u32)
        .into_par_iter()
        .with_min_len(4096)
        .map(|o| window_pairs(index, o, window))
        .collect();
    let mut skip = vec![false; n];
    let mut heavy: Vec<(u32, u64, u64)> = Vec::new();
    let mut total = 0u64;
    for (o, &(pairs, peak)) in per_object.iter().enumerate() {
        if pairs > max_per_object {
            skip[o] = true;
        }
        if pairs > 0 {
            heavy.push((o as u32, pairs, peak));
        }
        if !skip[o] {
            total += pairs;
        }
    }
    // Largest first, then by id so that ties leave out the same objects
    // on every run.
    heavy.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    for &(o, pairs, _) in &heavy {
        if total <= max_total {
            break;
        }
        if !skip[o as usize] {
            skip[o as usize] = true;
            total -= pairs;
        }
    }
    let skipped: Vec<(u32, u64, u64)> = heavy
        .into_iter()
        .filter(|&(o, _, _)| skip[o as usize])
        .collect();
    let skipped_pairs = skipped.iter().map(|s| s.1).sum();
    let skipped_shares = skipped
        .iter()
        .map(|&(o, _, _)| {
            let (lo, hi) = index.object_range(o);
            (hi - lo) as u64
        })
        .sum();
    Plan {
        skip,
        pairs_walked: total,
        skipped,
        skipped_pairs,
        skipped_shares,
    }
}

/// Unordered share pairs of object `o` at most `window` seconds apart
/// (self pairs included: they cost the walk as much), and the most shares
/// inside one window.
fn window_pairs(index: &Index, o: u32, window: i64) -> (u64, u64) {
    let (lo, hi) = index.object_range(o);
    let occ = &index.occ[lo..hi];
    let mut first = 0;
    let mut pairs = 0u64;
    let mut peak = 0u64;
    for i in 0..occ.len() {
        while occ[i].time - occ[first].time > window {
            first += 1;
        }
        pairs += (i - first) as u64;
        peak = peak.max((i - first + 1) as u64);
    }
    (pairs, peak)
}

/// The shares of `q`'s object at most `window` seconds from share `q`
/// (`q` included): shares are in time order inside an object's run.
#[inline]
pub(crate) fn window_range(index: &Index, q: usize, window: i64) -> Range<usize> {
    let me = index.occ[q];
    let (lo, hi) = index.object_range(me.object);
    let mut first = q;
    while first > lo && me.time - index.occ[first - 1].time <= window {
        first -= 1;
    }
    let mut last = q + 1;
    while last < hi && index.occ[last].time - me.time <= window {
        last += 1;
    }
    first..last
}

/// Calls `f(share, q, j)` for every share `j` by another account of the
/// same object at most `window` seconds from account `a`'s share `q`.
#[inline]
pub(crate) fn walk<F: FnMut(AccOcc, usize, usize)>(
    index: &Index,
    a: u32,
    window: i64,
    skip: &[bool],
    mut f: F,
) {
    for &share in index.account_shares(a) {
        let q = share.pos as usize;
        if skip[index.occ[q].object as usize] {
            continue;
        }
        for j in window_range(index, q, window) {
            if index.occ[j].account != a {
                f(share, q, j);
            }
        }
    }
}

/// Per-account counters, reused from one account to the next.
pub(crate) struct Scratch {
    /// Posts of the current account co-shared with each other account.
    pub count: Vec<u32>,
    /// The last post (plus one) counted for each other account: a post
    /// co-shared with the same partner twice (two URLs, two kinds, two of
    /// the partner's shares in the window) counts once.
    pub stamp: Vec<u32>,
    pub touched: Vec<u32>,
}

impl Scratch {
    pub fn new(accounts: usize) -> Scratch {
        Scratch {
            count: vec![0; accounts],
            stamp: vec![0; accounts],
            touched: Vec::new(),
        }
    }

    /// Counts `post` as co-shared with `partner`.
    #[inline]
    pub fn hit(&mut self, post: u32, partner: u32) {
        let b = partner as usize;
        if self.stamp[b] != post + 1 {
            self.stamp[b] = post + 1;
            if self.count[b] == 0 {
                self.touched.push(partner);
            }
            self.count[b] += 1;
        }
    }
}

/// A side of a pair: `posts` of `from` have a share of the same object by
/// `to` within the window (the peer's directed edge weight).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Side {
    pub from: u32,
    pub to: u32,
    pub posts: u32,
}

/// The sides reaching `min_co_shares`, and how many unordered pairs
/// co-shared at least once.
pub(crate) fn strong_sides(
    index: &Index,
    accounts: usize,
    window: i64,
    min_co_shares: u32,
    skip: &[bool],
) -> (Vec<Side>, u64) {
    const CHUNK: usize = 2048;
    let chunks: Vec<(Vec<Side>, u64)> = (0..accounts.div_ceil(CHUNK))
        .into_par_iter()
        .map_init(
            || Scratch::new(accounts),
            |scratch, chunk| {
                let mut sides = Vec::new();
                let mut partners = 0u64;
                for a in chunk * CHUNK..((chunk + 1) * CHUNK).min(accounts) {
                    let a = a as u32;
                    walk(index, a, window, skip, |share, _, j| {
                        scratch.hit(share.post, index.occ[j].account)
                    });
                    partners += scratch.touched.len() as u64;
                    for &b in &scratch.touched {
                        let posts = std::mem::take(&mut scratch.count[b as usize]);
                        if posts >= min_co_shares {
                            sides.push(Side {
                                from: a,
                                to: b,
                                posts,
                            });
                        }
                    }
                    scratch.touched.clear();
                }
                (sides, partners)
            },
        )
        .collect();
    let mut sides = Vec::new();
    let mut partners = 0;
    for (chunk, count) in chunks {
        sides.extend(chunk);
        partners += count;
    }
    // Every pair that co-shared was seen from both of its accounts.
    (sides, partners / 2)
}
