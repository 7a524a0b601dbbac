//! The evidence for the coordinated pairs: a second walk, over their
//! accounts only, that keeps what a reader needs to check a pair or a
//! cluster (both sides' counts, the objects, the seconds between shares,
//! examples), then the clusters as connected components.

use super::community::louvain;
use super::graph;
use super::hash::{pack, IntMap};
use super::objects::Index;
use super::pairs::{walk, window_range, Plan, Scratch, Side};
use super::{
    account_ref, Cluster, ClusterObject, Community, Example, KindCounts, Member, Pair, Params,
};
use crate::Dataset;
use std::collections::BTreeMap;

pub(crate) struct Found {
    pub pair_count: u64,
    pub account_count: u64,
    pub pairs: Vec<Pair>,
    pub pairs_truncated: bool,
    pub cluster_count: u64,
    pub largest_cluster: u64,
    pub clusters: Vec<Cluster>,
    pub clusters_truncated: bool,
}

/// What the walk learns about one pair (`lo` < `hi` by account index).
#[derive(Default)]
struct PairEvidence {
    /// Posts of `lo` co-sharing with `hi`, and the other way.
    posts: [u32; 2],
    kinds: KindCounts,
    instances: u64,
    sum_seconds: u64,
    max_seconds: i64,
    /// Earliest instance: (earlier of the two times, lo's share, hi's share).
    first: Option<(i64, u32, u32)>,
}

#[derive(Default)]
struct GroupEvidence {
    seconds: BTreeMap<i64, u64>,
    instances: u64,
    first_time: i64,
    last_time: i64,
    /// Object → (members with a share of it in an instance, instances).
    objects: IntMap<u32, (u64, u64)>,
}

pub(crate) fn gather(
    dataset: &Dataset,
    index: &Index,
    plan: &Plan,
    sides: &[Side],
    params: &Params,
) -> Found {
    let n = dataset.accounts.len();
    let window = params.window_seconds;
    let mut keys: Vec<(u32, u32)> = sides
        .iter()
        .map(|s| (s.from.min(s.to), s.from.max(s.to)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let (groups, edge_group) = graph::components(n, &keys);

    let mut adj_start = vec![0u32; n + 1];
    for &(a, b) in &keys {
        adj_start[a as usize + 1] += 1;
        adj_start[b as usize + 1] += 1;
    }
    for a in 0..n {
        adj_start[a + 1] += adj_start[a];
    }
    let mut adj = vec![(0u32, 0u32); adj_start[n] as usize];
    let mut cursor = adj_start.clone();
    for (e, &(a, b)) in keys.iter().enumerate() {
        adj[cursor[a as usize] as usize] = (b, e as u32);
        cursor[a as usize] += 1;
        adj[cursor[b as usize] as usize] = (a, e as u32);
        cursor[b as usize] += 1;
    }
    drop(cursor);

    let mut group_of = vec![u32::MAX; n];
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            group_of[m as usize] = g as u32;
        }
    }

    let mut evidence: Vec<PairEvidence> =
        (0..keys.len()).map(|_| PairEvidence::default()).collect();
    let mut group_evidence: Vec<GroupEvidence> = (0..groups.len())
        .map(|_| GroupEvidence {
            first_time: i64::MAX,
            last_time: i64::MIN,
            ..GroupEvidence::default()
        })
        .collect();
    let mut member_posts: IntMap<u32, u64> = IntMap::default();
    let mut mark = vec![0u32; n];
    let mut edge_of = vec![0u32; n];
    // (account + 1, object + 1) last counted for each partner: a pair's
    // distinct objects without a set of (pair, object).
    let mut last_object = vec![0u64; n];
    let mut scratch = Scratch::new(n);
    let mut by_object: Vec<u32> = Vec::new();
    // Seconds of the current account's instances, flushed per account
    // into the group's histogram (a tree update per instance costs more
    // than the walk).
    let dense = usize::try_from(window.clamp(0, 1 << 16)).unwrap_or(0) + 1;
    let mut seconds_seen = vec![0u64; dense];
    let mut seconds_touched: Vec<usize> = Vec::new();

    for members in &groups {
        for &a in members {
            let neighbours =
                &adj[adj_start[a as usize] as usize..adj_start[a as usize + 1] as usize];
            for &(b, e) in neighbours {
                mark[b as usize] = a + 1;
                edge_of[b as usize] = e;
            }
            let group = &mut group_evidence[group_of[a as usize] as usize];

            // Both sides' post counts, in post order as in the first walk.
            let mut last_post = u32::MAX;
            let mut posts = 0u64;
            walk(index, a, window, &plan.skip, |share, _, j| {
                let b = index.occ[j].account;
                if mark[b as usize] == a + 1 {
                    scratch.hit(share.post, b);
                    if share.post != last_post {
                        last_post = share.post;
                        posts += 1;
                    }
                }
            });
            for &b in &scratch.touched {
                let count = std::mem::take(&mut scratch.count[b as usize]);
                let side = usize::from(a > b);
                evidence[edge_of[b as usize] as usize].posts[side] = count;
            }
            scratch.touched.clear();
            member_posts.insert(a, posts);

            // Instances, in object order so that an object's shares by
            // this account are consecutive. Each instance is told once,
            // from the side of the account with the lower index.
            by_object.clear();
            by_object.extend(index.account_shares(a).iter().map(|s| s.pos));
            by_object.sort_unstable_by_key(|&q| (index.occ[q as usize].object, q));
            let mut previous_object = u32::MAX;
            for &q in &by_object {
                let q = q as usize;
                let me = index.occ[q];
                let object = me.object;
                if plan.skip[object as usize] {
                    continue;
                }
                let mut matched = false;
                let mut instances = 0u64;
                for j in window_range(index, q, window) {
                    let other = index.occ[j];
                    let b = other.account;
                    if j == q || mark[b as usize] != a + 1 {
                        continue;
                    }
                    matched = true;
                    if a > b {
                        continue;
                    }
                    instances += 1;
                    let e = edge_of[b as usize] as usize;
                    let seconds = (me.time - other.time).abs();
                    let earlier = me.time.min(other.time);
                    let pair = &mut evidence[e];
                    pair.instances += 1;
                    pair.sum_seconds += seconds as u64;
                    pair.max_seconds = pair.max_seconds.max(seconds);
                    if pair.first.is_none_or(|(t, _, _)| earlier < t) {
                        pair.first = Some((earlier, q as u32, j as u32));
                    }
                    let stamp = pack(a + 1, object + 1);
                    if last_object[b as usize] != stamp {
                        last_object[b as usize] = stamp;
                        pair.kinds.add(index.objects[object as usize].0, 1);
                    }
                    match usize::try_from(seconds) {
                        Ok(s) if s < dense => {
                            if seconds_seen[s] == 0 {
                                seconds_touched.push(s);
                            }
                            seconds_seen[s] += 1;
                        }
                        _ => *group.seconds.entry(seconds).or_default() += 1,
                    }
                    group.first_time = group.first_time.min(earlier);
                    group.last_time = group.last_time.max(me.time.max(other.time));
                }
                if matched {
                    let entry = group.objects.entry(object).or_default();
                    if object != previous_object {
                        previous_object = object;
                        entry.0 += 1;
                    }
                    entry.1 += instances;
                    group.instances += instances;
                }
            }
            for &s in &seconds_touched {
                *group.seconds.entry(s as i64).or_default() += std::mem::take(&mut seconds_seen[s]);
            }
            seconds_touched.clear();
        }
    }

    // Largest first; ties by edges, then by the smallest member key, so
    // the order does not depend on input order.
    let mut group_edges = vec![0u64; groups.len()];
    for &g in &edge_group {
        group_edges[g as usize] += 1;
    }
    let smallest_key = |g: usize| {
        groups[g]
            .iter()
            .map(|&m| dataset.accounts[m as usize].key.as_str())
            .min()
            .unwrap_or("")
    };
    let mut ranking: Vec<usize> = (0..groups.len()).collect();
    ranking.sort_by(|&x, &y| {
        groups[y]
            .len()
            .cmp(&groups[x].len())
            .then(group_edges[y].cmp(&group_edges[x]))
            .then_with(|| smallest_key(x).cmp(smallest_key(y)))
    });
    let mut rank_of = vec![0u64; groups.len()];
    for (r, &g) in ranking.iter().enumerate() {
        rank_of[g] = r as u64 + 1;
    }

    let display = |a: u32| {
        let account = &dataset.accounts[a as usize];
        account
            .screen_name
            .clone()
            .unwrap_or_else(|| account.key.clone())
    };
    // An instance told with `x`'s share first.
    let example = |x_share: u32, y_share: u32| {
        let x = index.occ[x_share as usize];
        let y = index.occ[y_share as usize];
        Example {
            kind: index.objects[x.object as usize].0,
            object: index.label(dataset, x.object),
            a: display(x.account),
            a_time: x.time,
            b: display(y.account),
            b_time: y.time,
            seconds: (x.time - y.time).abs(),
        }
    };
    // Pair `e` oriented so that `a` has the smaller key.
    let key = |a: u32| dataset.accounts[a as usize].key.as_str();
    let swapped = |e: usize| key(keys[e].0) > key(keys[e].1);

    let mut pair_order: Vec<usize> = (0..keys.len()).collect();
    let weight = |e: usize| evidence[e].posts[0].max(evidence[e].posts[1]);
    let oriented = |e: usize| {
        let (lo, hi) = keys[e];
        if swapped(e) {
            (key(hi), key(lo))
        } else {
            (key(lo), key(hi))
        }
    };
    pair_order.sort_by(|&x, &y| {
        weight(y)
            .cmp(&weight(x))
            .then_with(|| oriented(x).cmp(&oriented(y)))
    });
    let pairs_truncated = pair_order.len() > params.max_pairs_listed;
    let pairs = pair_order
        .iter()
        .take(params.max_pairs_listed)
        .map(|&e| {
            let (lo, hi) = keys[e];
            let ev = &evidence[e];
            debug_assert!(weight(e) >= params.min_co_shares);
            let (_, lo_share, hi_share) = ev.first.expect("a coordinated pair has an instance");
            let (a, b, a_posts, b_posts, first) = if swapped(e) {
                (
                    hi,
                    lo,
                    ev.posts[1],
                    ev.posts[0],
                    example(hi_share, lo_share),
                )
            } else {
                (
                    lo,
                    hi,
                    ev.posts[0],
                    ev.posts[1],
                    example(lo_share, hi_share),
                )
            };
            Pair {
                a: account_ref(dataset, a),
                b: account_ref(dataset, b),
                a_posts,
                b_posts,
                weight: a_posts.max(b_posts),
                objects: ev.kinds,
                instances: ev.instances,
                mean_seconds: ev.sum_seconds as f64 / ev.instances.max(1) as f64,
                max_seconds: ev.max_seconds,
                first,
                cluster: rank_of[edge_group[e] as usize],
            }
        })
        .collect();

    let mut group_pairs: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (e, &g) in edge_group.iter().enumerate() {
        group_pairs[g as usize].push(e);
    }
    let mut member_index = vec![u32::MAX; n];
    let clusters_truncated = ranking.len() > params.max_clusters_listed;
    let clusters = ranking
        .iter()
        .take(params.max_clusters_listed)
        .map(|&g| {
            let group = &group_evidence[g];
            let mut members: Vec<(u32, u64)> = groups[g]
                .iter()
                .map(|&m| {
                    (
                        m,
                        u64::from(adj_start[m as usize + 1] - adj_start[m as usize]),
                    )
                })
                .collect();
            members.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| key(x.0).cmp(key(y.0))));
            for (i, &(m, _)) in members.iter().enumerate() {
                member_index[m as usize] = i as u32;
            }
            let mut links: Vec<[u64; 3]> = group_pairs[g]
                .iter()
                .map(|&e| {
                    let (lo, hi) = keys[e];
                    let (x, y) = (member_index[lo as usize], member_index[hi as usize]);
                    [
                        u64::from(x.min(y)),
                        u64::from(x.max(y)),
                        u64::from(weight(e)),
                    ]
                })
                .collect();
            links.sort_by(|x, y| y[2].cmp(&x[2]).then(x.cmp(y)));
            links.truncate(params.max_links_listed);

            let mut kinds = KindCounts::default();
            let mut objects: Vec<(u32, u64, u64)> = group
                .objects
                .iter()
                .map(|(&o, &(accounts, instances))| (o, accounts, instances))
                .collect();
            for &(o, _, _) in &objects {
                kinds.add(index.objects[o as usize].0, 1);
            }
            objects.sort_by(|x, y| y.1.cmp(&x.1).then(y.2.cmp(&x.2)).then(x.0.cmp(&y.0)));
            let objects_total = objects.len() as u64;

            let mut firsts: Vec<(i64, u32, u32, usize)> = group_pairs[g]
                .iter()
                .filter_map(|&e| evidence[e].first.map(|(t, q, j)| (t, q, j, e)))
                .collect();
            firsts.sort_unstable();
            let examples = firsts
                .iter()
                .take(params.max_examples_listed)
                .map(|&(_, q, j, e)| {
                    if swapped(e) {
                        example(j, q)
                    } else {
                        example(q, j)
                    }
                })
                .collect();

            let (modularity, communities) = if members.len() >= params.min_community_split {
                split(
                    &group_pairs[g],
                    &keys,
                    &member_index,
                    members.len(),
                    &weight,
                )
            } else {
                (None, Vec::new())
            };
            let size = members.len() as u64;
            let edges = group_edges[g];
            Cluster {
                rank: rank_of[g],
                size,
                edges,
                density: edges as f64 / (size * (size - 1) / 2) as f64,
                members: members
                    .iter()
                    .map(|&(m, partners)| {
                        let account = account_ref(dataset, m);
                        Member {
                            key: account.key,
                            screen_name: account.screen_name,
                            partners,
                            posts: member_posts.get(&m).copied().unwrap_or(0),
                        }
                    })
                    .collect(),
                kinds,
                objects_total,
                objects: objects
                    .iter()
                    .take(params.max_objects_listed)
                    .map(|&(o, accounts, instances)| ClusterObject {
                        kind: index.objects[o as usize].0,
                        object: index.label(dataset, o),
                        accounts,
                        instances,
                    })
                    .collect(),
                instances: group.instances,
                median_seconds: lower_median(&group.seconds, group.instances),
                max_seconds: group.seconds.keys().next_back().copied().unwrap_or(0),
                first_time: group.first_time,
                last_time: group.last_time,
                examples,
                links,
                modularity,
                communities,
            }
        })
        .collect();

    Found {
        pair_count: keys.len() as u64,
        account_count: groups.iter().map(|g| g.len() as u64).sum(),
        pairs,
        pairs_truncated,
        cluster_count: groups.len() as u64,
        largest_cluster: groups.iter().map(|g| g.len() as u64).max().unwrap_or(0),
        clusters,
        clusters_truncated,
    }
}

/// Louvain communities of one cluster, when there are two or more.
fn split(
    pairs: &[usize],
    keys: &[(u32, u32)],
    member_index: &[u32],
    size: usize,
    weight: &dyn Fn(usize) -> u32,
) -> (Option<f64>, Vec<Community>) {
    let edges: Vec<(u32, u32, f64)> = pairs
        .iter()
        .map(|&e| {
            let (lo, hi) = keys[e];
            (
                member_index[lo as usize],
                member_index[hi as usize],
                f64::from(weight(e)),
            )
        })
        .collect();
    let (community, modularity) = louvain(size, &edges);
    let count = community.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    if count < 2 {
        return (None, Vec::new());
    }
    let mut communities: Vec<Community> = (0..count)
        .map(|_| Community {
            size: 0,
            edges: 0,
            members: Vec::new(),
        })
        .collect();
    for (m, &c) in community.iter().enumerate() {
        communities[c as usize].members.push(m as u64);
        communities[c as usize].size += 1;
    }
    for &(a, b, _) in &edges {
        if community[a as usize] == community[b as usize] {
            communities[community[a as usize] as usize].edges += 1;
        }
    }
    // Stable: equal sizes keep the order of their first member.
    communities.sort_by_key(|c| std::cmp::Reverse(c.size));
    (Some(modularity), communities)
}

/// The lower median of a histogram of `total` values: an observed value.
fn lower_median(histogram: &BTreeMap<i64, u64>, total: u64) -> i64 {
    if total == 0 {
        return 0;
    }
    let target = (total - 1) / 2;
    let mut seen = 0;
    for (&value, &count) in histogram {
        seen += count;
        if seen > target {
            return value;
        }
    }
    unreachable!("the histogram holds `total` values")
}
