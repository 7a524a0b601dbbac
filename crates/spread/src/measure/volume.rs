//! How much was posted and when: first use, per-minute and per-hour
//! series, and how long the collection took to reach round numbers.

use super::time::{HOUR, MINUTE};
use super::{AccountRef, Ctx};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Volume {
    pub definition: String,
    pub total: u64,
    /// The earliest post: the first use of the hashtag when the collection
    /// was filtered by it.
    pub first_post: Option<i64>,
    pub first_post_account: Option<AccountRef>,
    pub last_post: Option<i64>,
    pub per_minute: Series,
    pub per_hour: Series,
    pub milestones: Vec<Milestone>,
}

/// Posts per fixed-length bin.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    pub definition: String,
    pub bin_seconds: i64,
    /// Start of the first bin; `None` for an empty collection.
    pub start: Option<i64>,
    pub counts: Vec<u64>,
    /// Whether the collection spans more bins than the series holds.
    pub truncated: bool,
    /// Posts before the series' first bin (only when truncated).
    pub posts_before: u64,
    /// Posts after the series' last bin (only when truncated).
    pub posts_after: u64,
}

/// When the collection reached a number of posts.
#[derive(Clone, Debug, Serialize)]
pub struct Milestone {
    pub posts: u64,
    /// Time of the post that made the count.
    pub time: i64,
    pub seconds_after_first: i64,
}

pub(crate) fn volume(ctx: &Ctx) -> Volume {
    let times = &ctx.times;
    let params = ctx.params;
    let first = times.first().copied();
    let mut milestones: Vec<Milestone> = params
        .milestones
        .iter()
        .filter(|&&n| n >= 1 && n <= times.len() as u64)
        .map(|&n| {
            let time = times[n as usize - 1];
            Milestone {
                posts: n,
                time,
                seconds_after_first: time.saturating_sub(first.unwrap_or(time)),
            }
        })
        .collect();
    milestones.sort_by_key(|m| m.posts);
    milestones.dedup_by_key(|m| m.posts);
    Volume {
        definition: format!(
            "total: posts in the collection. first_post: time of the earliest post (the first \
             use of the hashtag when the collection was filtered by one; earlier uses outside \
             the collection are unknown). milestones: for each of {:?} posts reached, the time \
             of the post that made the count and the seconds since the first post.",
            params.milestones
        ),
        total: times.len() as u64,
        first_post: first,
        first_post_account: ctx
            .first_post
            .map(|i| ctx.account_ref(ctx.ds.posts[i as usize].account)),
        last_post: times.last().copied(),
        per_minute: series(times, MINUTE, params.max_minute_bins, "minute"),
        per_hour: series(times, HOUR, params.max_hour_bins, "hour"),
        milestones,
    }
}

/// Counts of sorted `times` in bins of `bin` seconds aligned on UTC
/// boundaries, at most `max_bins` of them: when the collection spans
/// more, the window of `max_bins` bins holding the most posts.
pub(crate) fn series(times: &[i64], bin: i64, max_bins: usize, unit: &str) -> Series {
    let definition = format!(
        "Posts per {unit} ({bin}-second bins aligned on UTC {unit}s), the first bin starting \
         at `start`, empty bins included. At most {max_bins} bins: when the collection spans \
         more, the series covers the {max_bins} consecutive bins holding the most posts (the \
         earliest such window), and the posts outside it are counted in posts_before and \
         posts_after."
    );
    let (Some(&lo), Some(&hi)) = (times.first(), times.last()) else {
        return Series {
            definition,
            bin_seconds: bin,
            start: None,
            counts: Vec::new(),
            truncated: false,
            posts_before: 0,
            posts_after: 0,
        };
    };
    let max_bins = max_bins.max(1);
    let bin_of = |t: i64| t.div_euclid(bin);
    let span = (i128::from(bin_of(hi)) - i128::from(bin_of(lo))) as u128 + 1;
    let (first_bin, len, truncated) = if span <= max_bins as u128 {
        (bin_of(lo), span as usize, false)
    } else {
        (densest(times, bin, max_bins as i64), max_bins, true)
    };
    let mut counts = vec![0u64; len];
    let mut before = 0;
    let mut after = 0;
    for &t in times {
        let k = bin_of(t).saturating_sub(first_bin);
        if k < 0 {
            before += 1;
        } else if k >= len as i64 {
            after += 1;
        } else {
            counts[k as usize] += 1;
        }
    }
    Series {
        definition,
        bin_seconds: bin,
        start: Some(first_bin.saturating_mul(bin)),
        counts,
        truncated,
        posts_before: before,
        posts_after: after,
    }
}

/// The first bin of the earliest window of `width` bins holding the most
/// of the sorted `times` (two pointers: linear).
fn densest(times: &[i64], bin: i64, width: i64) -> i64 {
    let bin_of = |t: i64| t.div_euclid(bin);
    let mut best = (0usize, bin_of(times[0]));
    let mut j = 0;
    for (i, &t) in times.iter().enumerate() {
        if i > 0 && bin_of(times[i - 1]) == bin_of(t) {
            continue;
        }
        let end = bin_of(t).saturating_add(width);
        j = j.max(i);
        while j < times.len() && bin_of(times[j]) < end {
            j += 1;
        }
        if j - i > best.0 {
            best = (j - i, bin_of(t));
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::super::testkit::dataset;
    use super::super::{Ctx, Params};
    use super::*;

    #[test]
    fn milestones_are_the_nth_posts() {
        // Post k (1-based) at 100 + 10·k seconds.
        let posts: Vec<(u32, i64)> = (1..=2_500).map(|k| (0, 100 + 10 * k)).collect();
        let ds = dataset(1, &posts);
        let params = Params {
            milestones: vec![1_000, 10_000, 2_500],
            ..Params::default()
        };
        let v = volume(&Ctx::new(&ds, &params));
        assert_eq!(v.total, 2_500);
        assert_eq!(v.first_post, Some(110));
        assert_eq!(v.first_post_account.unwrap().key, "a0");
        let got: Vec<(u64, i64, i64)> = v
            .milestones
            .iter()
            .map(|m| (m.posts, m.time, m.seconds_after_first))
            .collect();
        assert_eq!(got, vec![(1_000, 10_100, 9_990), (2_500, 25_100, 24_990)]);
    }

    #[test]
    fn series_includes_empty_bins() {
        let s = series(&[60, 61, 200, 359], MINUTE, 100, "minute");
        assert_eq!(s.start, Some(60));
        assert_eq!(s.counts, vec![2, 0, 1, 0, 1]);
        assert!(!s.truncated);
        let s = series(&[-1, 0], MINUTE, 100, "minute");
        assert_eq!(s.start, Some(-60));
        assert_eq!(s.counts, vec![1, 1]);
    }

    #[test]
    fn long_collections_keep_their_busiest_window() {
        // A stray post years early, then the event.
        let mut times = vec![0];
        times.extend((0..50).map(|k| 1_000_000_000 + 30 * k));
        times.push(2_000_000_000);
        let s = series(&times, MINUTE, 60, "minute");
        assert!(s.truncated);
        assert_eq!(s.start, Some(1_000_000_000 / 60 * 60));
        assert_eq!(s.counts.len(), 60);
        assert_eq!(s.counts.iter().sum::<u64>(), 50);
        assert_eq!((s.posts_before, s.posts_after), (1, 1));
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        let s = series(&[i64::MIN, 0, i64::MAX], MINUTE, 10, "minute");
        assert_eq!(
            s.counts.iter().sum::<u64>() + s.posts_before + s.posts_after,
            3
        );
    }
}
