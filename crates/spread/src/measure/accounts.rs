//! Who posted most: top accounts by volume, the most any account posted
//! in a sliding 1-, 2- and 3-hour window, and accounts posting above a
//! documented automation rate.

use super::time::{DAY, HOUR};
use super::{share, top_by, AccountRef, Ctx};
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Reverse;

const WINDOW_HOURS: [u32; 3] = [1, 2, 3];

#[derive(Clone, Debug, Serialize)]
pub struct Accounts {
    pub definition: String,
    /// Accounts with at least one post.
    pub posting_accounts: u64,
    /// The top-N accounts by posts, most first.
    pub top: Vec<TopAccount>,
    /// Posts of the top-N together, and their share of all posts.
    pub top_posts: u64,
    pub top_share: f64,
    pub windows: Vec<WindowMax>,
    pub high_rate: HighRate,
}

#[derive(Clone, Debug, Serialize)]
pub struct TopAccount {
    pub account: AccountRef,
    pub posts: u64,
    /// Of all posts in the collection.
    pub share: f64,
}

/// The accounts that posted most within one sliding window length.
#[derive(Clone, Debug, Serialize)]
pub struct WindowMax {
    pub definition: String,
    pub hours: u32,
    /// The top-N accounts by their busiest window, most first: `top[0]` is
    /// the maximum any account posted.
    pub top: Vec<WindowPeak>,
}

#[derive(Clone, Debug, Serialize)]
pub struct WindowPeak {
    pub account: AccountRef,
    pub posts: u64,
    /// Times of the window's first and last post (the earliest busiest
    /// window of the account).
    pub first: i64,
    pub last: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct HighRate {
    pub definition: String,
    pub threshold_per_day: f64,
    pub accounts: u64,
    /// Their posts, and the share of all posts.
    pub posts: u64,
    pub share: f64,
    /// The top-N of them by rate.
    pub top: Vec<RateEntry>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RateEntry {
    pub account: AccountRef,
    pub posts: u64,
    /// The days the rate is taken over (at least 1).
    pub days: f64,
    pub per_day: f64,
}

pub(crate) fn accounts(ctx: &Ctx) -> Accounts {
    let by = &ctx.by_account;
    let n = ctx.params.top_n;
    let total = ctx.times.len() as u64;
    let posting: Vec<u32> = (0..by.len() as u32)
        .filter(|&a| by.count(a as usize) > 0)
        .collect();

    let top = top_by(posting.clone(), n, |&a| (by.count(a as usize), Reverse(a)));
    let top: Vec<TopAccount> = top
        .into_iter()
        .map(|a| {
            let posts = by.count(a as usize) as u64;
            TopAccount {
                account: ctx.account_ref(a),
                posts,
                share: share(posts, total),
            }
        })
        .collect();
    let top_posts: u64 = top.iter().map(|t| t.posts).sum();

    let windows = WINDOW_HOURS
        .iter()
        .map(|&hours| {
            let width = i64::from(hours) * HOUR;
            let peaks: Vec<(u32, usize, i64, i64)> = posting
                .par_iter()
                .map(|&a| {
                    let (count, first, last) = busiest_window(by.times(a as usize), width);
                    (a, count, first, last)
                })
                .collect();
            let top = top_by(peaks, n, |&(a, count, first, _)| {
                (count, Reverse(first), Reverse(a))
            });
            WindowMax {
                definition: format!(
                    "For each account, the most posts it made in any {hours}-hour window \
                     [t, t + {hours} h), computed exactly over its sorted post times; the \
                     top-{n} accounts by that number."
                ),
                hours,
                top: top
                    .into_iter()
                    .map(|(a, count, first, last)| WindowPeak {
                        account: ctx.account_ref(a),
                        posts: count as u64,
                        first,
                        last,
                    })
                    .collect(),
            }
        })
        .collect();

    let threshold = ctx.params.high_rate_per_day;
    let mut high: Vec<(u32, u64, f64, f64)> = posting
        .iter()
        .map(|&a| {
            let (posts, days, rate) = rate_per_day(by.times(a as usize));
            (a, posts, days, rate)
        })
        .filter(|&(_, _, _, rate)| rate >= threshold)
        .collect();
    let high_accounts = high.len() as u64;
    let high_posts: u64 = high.iter().map(|h| h.1).sum();
    high.sort_by(|x, y| y.3.total_cmp(&x.3).then(x.0.cmp(&y.0)));
    high.truncate(n);

    Accounts {
        definition: format!(
            "Accounts with at least one post. top: the {n} accounts with the most posts in the \
             collection and each one's share of all posts; top_posts and top_share: the same \
             accounts together."
        ),
        posting_accounts: posting.len() as u64,
        top,
        top_posts,
        top_share: share(top_posts, total),
        windows,
        high_rate: HighRate {
            definition: format!(
                "Accounts posting at least {threshold} times a day: the account's posts in \
                 the collection divided by the days from its first to its last post there, \
                 counted as at least one day (a short collection is not extrapolated to a \
                 daily rate). The threshold is the Oxford Internet Institute's \"high \
                 automation\" level (Howard & Kollanyi 2016, \"Bots, #StrongerIn, and \
                 #Brexit\": 50 tweets a day on the studied hashtags); the DFRLab's #BotSpot \
                 (Nimmo 2017) uses 72 a day as suspicious, 144 as highly suspicious. top: the \
                 {n} highest rates."
            ),
            threshold_per_day: threshold,
            accounts: high_accounts,
            posts: high_posts,
            share: share(high_posts, total),
            top: high
                .into_iter()
                .map(|(a, posts, days, per_day)| RateEntry {
                    account: ctx.account_ref(a),
                    posts,
                    days,
                    per_day,
                })
                .collect(),
        },
    }
}

/// The most of the sorted `times` in any window [t, t + width), with the
/// first and last time of the earliest such window (two pointers).
pub(crate) fn busiest_window(times: &[i64], width: i64) -> (usize, i64, i64) {
    let mut best = (0, 0, 0);
    let mut j = 0;
    for (i, &t) in times.iter().enumerate() {
        j = j.max(i);
        // A difference, not t + width: a time near i64::MAX must still
        // count itself.
        while j < times.len() && times[j].saturating_sub(t) < width {
            j += 1;
        }
        if j - i > best.0 {
            best = (j - i, t, times[j - 1]);
        }
    }
    best
}

/// (posts, days, posts per day) over the account's own span in the
/// collection, counted as at least one day.
pub(crate) fn rate_per_day(times: &[i64]) -> (u64, f64, f64) {
    let posts = times.len() as u64;
    let span = match (times.first(), times.last()) {
        (Some(&a), Some(&b)) => b.saturating_sub(a),
        _ => 0,
    };
    let days = (span as f64 / DAY as f64).max(1.0);
    (posts, days, posts as f64 / days)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::dataset;
    use super::super::{Ctx, Params};
    use super::*;

    #[test]
    fn sliding_window_is_exact() {
        // Half-open windows: 0 and 3600 are not within one hour.
        assert_eq!(busiest_window(&[0, 3_600], HOUR), (1, 0, 0));
        assert_eq!(busiest_window(&[0, 3_599], HOUR), (2, 0, 3_599));
        let times = [0, 100, 4_000, 4_100, 4_200, 7_500, 7_599, 9_000];
        // [4000, 7600) holds 4000, 4100, 4200, 7500, 7599.
        assert_eq!(busiest_window(&times, HOUR), (5, 4_000, 7_599));
        // [4000, 11200) holds the last six.
        assert_eq!(busiest_window(&times, 2 * HOUR), (6, 4_000, 9_000));
        assert_eq!(busiest_window(&times, 3 * HOUR), (8, 0, 9_000));
        assert_eq!(busiest_window(&[], HOUR), (0, 0, 0));
        assert_eq!(busiest_window(&[i64::MAX, i64::MAX], HOUR).0, 2);
    }

    #[test]
    fn top_accounts_windows_and_rates() {
        let mut posts = Vec::new();
        // a0: 120 posts a minute apart (2 hours): 60 in any hour, 120 in 2.
        posts.extend((0..120).map(|k| (0, 1_000 + 60 * k)));
        // a1: 100 posts spread over 10 days: 10 a day.
        posts.extend((0..100).map(|k| (1, 1_000 + 8_640 * k)));
        // a2: 3 posts.
        posts.extend([(2, 1_000), (2, 2_000), (2, 3_000)]);
        let ds = dataset(4, &posts);
        let params = Params {
            top_n: 2,
            ..Params::default()
        };
        let a = accounts(&Ctx::new(&ds, &params));
        assert_eq!(a.posting_accounts, 3);
        let top: Vec<(&str, u64)> = a
            .top
            .iter()
            .map(|t| (t.account.key.as_str(), t.posts))
            .collect();
        assert_eq!(top, vec![("a0", 120), ("a1", 100)]);
        assert_eq!(a.top_posts, 220);
        assert!((a.top_share - 220.0 / 223.0).abs() < 1e-12);

        let peak = |hours: u32| {
            let w = a.windows.iter().find(|w| w.hours == hours).unwrap();
            (w.top[0].account.key.clone(), w.top[0].posts)
        };
        assert_eq!(peak(1), ("a0".to_owned(), 60));
        assert_eq!(peak(2), ("a0".to_owned(), 120));
        assert_eq!(peak(3), ("a0".to_owned(), 120));

        // a0: 120 posts in under 2 hours, counted over one day: 120/day.
        assert_eq!(a.high_rate.accounts, 1);
        assert_eq!(a.high_rate.top[0].account.key, "a0");
        assert_eq!(a.high_rate.top[0].per_day, 120.0);
        assert_eq!(a.high_rate.posts, 120);
    }

    #[test]
    fn rate_over_own_span() {
        let times: Vec<i64> = (0..200).map(|k| k * DAY / 50).collect();
        let (posts, days, rate) = rate_per_day(&times);
        assert_eq!(posts, 200);
        assert!((days - 199.0 / 50.0).abs() < 1e-9);
        assert!((rate - 200.0 / days).abs() < 1e-9);
    }
}
