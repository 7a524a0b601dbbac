//! Seed posts: the earliest shared objects that got retweeted, and how
//! fast their retweets came.

use super::time::MINUTE;
use super::{top_by, AccountRef, Ctx};
use crate::{PostKind, NONE};
use serde::Serialize;
use std::cmp::Reverse;

/// Minutes after the original within which retweets are counted.
const WITHIN_MINUTES: [u32; 4] = [1, 5, 15, 60];
/// Length of the retweet curve, in minutes.
const CURVE_MINUTES: usize = 60;

#[derive(Clone, Debug, Serialize)]
pub struct Seeds {
    pub definition: String,
    /// Distinct objects retweeted at least once in the collection.
    pub retweeted_objects: u64,
    /// Retweets of a known object in the collection.
    pub retweets: u64,
    /// The earliest retweeted objects, by origin time.
    pub seeds: Vec<Seed>,
    /// The retweet curve of the seed with the most retweets in its first
    /// hour (ties: the earliest).
    pub curve: Option<SeedCurve>,
}

/// Where a seed's origin time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The original's own time, as the collection carries it (embedded
    /// in a retweet, or the original itself).
    Collection,
    /// Unknown: the first retweet's time stands in for it, so every
    /// count below is a lower bound on speed.
    FirstRetweet,
}

#[derive(Clone, Debug, Serialize)]
pub struct Seed {
    /// The shared object's id (the retweeted tweet's id).
    pub object: String,
    pub author: Option<AccountRef>,
    pub origin_time: i64,
    pub origin: Origin,
    /// Retweets of it in the collection.
    pub retweets: u64,
    /// Retweets timed before the origin (clock or data errors), left out
    /// of `within`.
    pub before_origin: u64,
    pub within: Vec<Within>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Within {
    pub minutes: u32,
    pub retweets: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SeedCurve {
    pub definition: String,
    pub object: String,
    pub origin_time: i64,
    /// `cumulative[m]`: retweets within m + 1 minutes of the origin.
    pub cumulative: Vec<u64>,
}

pub(crate) fn seeds(ctx: &Ctx) -> Seeds {
    let ds = ctx.ds;
    let objects = ds.objects.len();
    let shared = |kind: PostKind, shared: u32| {
        (kind == PostKind::Retweet && shared != NONE && (shared as usize) < objects)
            .then_some(shared as usize)
    };
    let mut count = vec![0u64; objects];
    let mut first = vec![i64::MAX; objects];
    for p in &ds.posts {
        if let Some(o) = shared(p.kind, p.shared) {
            count[o] += 1;
            first[o] = first[o].min(p.time);
        }
    }
    let candidates: Vec<(i64, usize, Origin)> = (0..objects)
        .filter(|&o| count[o] > 0)
        .map(|o| match ds.object_times.get(&(o as u32)) {
            Some(&t) => (t, o, Origin::Collection),
            None => (first[o], o, Origin::FirstRetweet),
        })
        .collect();
    let retweeted_objects = candidates.len() as u64;
    let chosen = top_by(candidates, ctx.params.seeds, |&(t, o, _)| Reverse((t, o)));

    let mut slot = vec![u32::MAX; objects];
    for (i, &(_, o, _)) in chosen.iter().enumerate() {
        slot[o] = i as u32;
    }
    let mut times: Vec<Vec<i64>> = vec![Vec::new(); chosen.len()];
    for p in &ds.posts {
        if let Some(o) = shared(p.kind, p.shared) {
            if let Some(list) = times.get_mut(slot[o] as usize) {
                list.push(p.time);
            }
        }
    }

    let seeds: Vec<Seed> = chosen
        .iter()
        .zip(&times)
        .map(|(&(origin_time, o, origin), times)| {
            let after = |minutes: u32| {
                let limit = i64::from(minutes) * MINUTE;
                times
                    .iter()
                    .filter(|&&t| (0..limit).contains(&delta(origin_time, t)))
                    .count() as u64
            };
            Seed {
                object: ds.objects.name(o as u32).to_owned(),
                author: ds
                    .object_authors
                    .get(&(o as u32))
                    .map(|&a| ctx.account_ref(a)),
                origin_time,
                origin,
                retweets: count[o],
                before_origin: times.iter().filter(|&&t| t < origin_time).count() as u64,
                within: WITHIN_MINUTES
                    .iter()
                    .map(|&minutes| Within {
                        minutes,
                        retweets: after(minutes),
                    })
                    .collect(),
            }
        })
        .collect();

    let busiest =
        (0..seeds.len()).max_by_key(|&i| (seeds[i].within.last().map(|w| w.retweets), Reverse(i)));
    let curve = busiest.map(|i| {
        let seed = &seeds[i];
        let mut per_minute = [0u64; CURVE_MINUTES];
        for &t in &times[i] {
            let d = delta(seed.origin_time, t);
            if (0..CURVE_MINUTES as i64 * MINUTE).contains(&d) {
                per_minute[(d / MINUTE) as usize] += 1;
            }
        }
        let cumulative = per_minute
            .iter()
            .scan(0, |sum, &n| {
                *sum += n;
                Some(*sum)
            })
            .collect();
        SeedCurve {
            definition: format!(
                "Cumulative retweets of the seed with the most retweets in its first hour: \
                 cumulative[m] counts retweets in [origin, origin + (m + 1) minutes), for \
                 m = 0..{}.",
                CURVE_MINUTES - 1
            ),
            object: seed.object.clone(),
            origin_time: seed.origin_time,
            cumulative,
        }
    });

    Seeds {
        definition: format!(
            "Seeds: the {} earliest objects retweeted in the collection (kind retweet), by \
             origin time: the original's own time when the collection carries it (origin \
             \"collection\"), else the time of its first retweet in the collection (origin \
             \"first-retweet\", so counts are measured from the first retweet). within: \
             retweets in the collection timed in [origin, origin + N minutes) for N in {:?}; \
             retweets timed before the origin are counted apart in before_origin.",
            ctx.params.seeds, WITHIN_MINUTES
        ),
        retweeted_objects,
        retweets: count.iter().sum(),
        seeds,
        curve,
    }
}

/// Seconds from `origin` to `t`, saturating on absurd times.
fn delta(origin: i64, t: i64) -> i64 {
    t.saturating_sub(origin)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{dataset, post};
    use super::super::{Ctx, Params};
    use super::*;
    use crate::{Dataset, PostKind};

    fn retweet(ds: &mut Dataset, account: u32, object: &str, time: i64) {
        let mut p = post(account, time, PostKind::Retweet);
        p.shared = ds.objects.intern(object);
        ds.push(p);
    }

    fn counts(seed: &Seed) -> Vec<u64> {
        seed.within.iter().map(|w| w.retweets).collect()
    }

    #[test]
    fn retweets_within_1_5_15_60_minutes() {
        let mut ds = dataset(3, &[]);
        let t0 = 1_494_010_140;
        // The seed, posted at t0 (known), retweeted at these offsets.
        let offsets = [
            5, 30, 59, 60, 120, 299, 300, 600, 899, 900, 1_800, 3_599, 3_600, 7_200, -10,
        ];
        for (i, &d) in offsets.iter().enumerate() {
            retweet(&mut ds, (i % 3) as u32, "seed", t0 + d);
        }
        let seed = ds.objects.get("seed").unwrap();
        ds.object_times.insert(seed, t0);
        ds.object_authors.insert(seed, 2);
        // A later object with no known origin: first retweet stands in.
        retweet(&mut ds, 0, "later", t0 + 100);
        retweet(&mut ds, 1, "later", t0 + 130);
        ds.finish();

        let s = seeds(&Ctx::new(&ds, &Params::default()));
        assert_eq!(s.retweeted_objects, 2);
        assert_eq!(s.retweets, offsets.len() as u64 + 2);
        let first = &s.seeds[0];
        assert_eq!(first.object, "seed");
        assert_eq!(first.origin, Origin::Collection);
        assert_eq!(first.author.as_ref().unwrap().key, "a2");
        assert_eq!(first.before_origin, 1);
        // [t0, t0+60): 5, 30, 59 · +5 min: 60, 120, 299 · +15: 300, 600,
        // 899 · +60: 900, 1800, 3599.
        assert_eq!(counts(first), vec![3, 6, 9, 12]);
        let later = &s.seeds[1];
        assert_eq!(
            (later.origin, later.origin_time),
            (Origin::FirstRetweet, t0 + 100)
        );
        assert_eq!(counts(later), vec![2, 2, 2, 2]);

        let curve = s.curve.unwrap();
        assert_eq!(curve.object, "seed");
        assert_eq!(curve.cumulative.len(), 60);
        assert_eq!(curve.cumulative[0], 3);
        assert_eq!(curve.cumulative[4], 6);
        assert_eq!(curve.cumulative[59], 12);
    }

    #[test]
    fn seeds_are_the_earliest_n() {
        let mut ds = dataset(1, &[]);
        for k in (0..30).rev() {
            retweet(&mut ds, 0, &format!("o{k}"), 1_000 + k * 10);
        }
        ds.finish();
        let params = Params {
            seeds: 5,
            ..Params::default()
        };
        let s = seeds(&Ctx::new(&ds, &params));
        let names: Vec<&str> = s.seeds.iter().map(|s| s.object.as_str()).collect();
        assert_eq!(names, vec!["o0", "o1", "o2", "o3", "o4"]);
    }

    #[test]
    fn no_retweets_no_seeds() {
        let ds = dataset(1, &[(0, 5), (0, 9)]);
        let s = seeds(&Ctx::new(&ds, &Params::default()));
        assert!(s.seeds.is_empty());
        assert!(s.curve.is_none());
    }
}
