//! The measurements of issue 6, each with its definition in the output.
//!
//! Every part carries a `definition` string so a reader of the JSON knows
//! exactly what was counted. Times are Unix seconds, UTC. "Accounts" means
//! accounts with at least one post in the collection: an original author
//! known only from a retweet is not counted as active.

mod accounts;
mod bots;
mod bursts;
mod creation;
mod seeds;
mod splits;
pub mod time;
mod volume;

pub use accounts::{Accounts, HighRate, RateEntry, TopAccount, WindowMax, WindowPeak};
pub use bots::{BotAccount, Bots, Driver, FeatureRule, Features};
pub use bursts::{kleinberg, Burst, BurstRun, Bursts};
pub use creation::{BurstDay, Creation, CreationBursts, DayCount, MonthCount};
pub use seeds::{Origin, Seed, SeedCurve, Seeds, Within};
pub use splits::{Dimension, Split, SplitValue, Splits};
pub use volume::{Milestone, Series, Volume};

use crate::Dataset;
use serde::Serialize;

/// How the output names the posts whose account is not in the account
/// table (none from the input readers; only from a malformed `Dataset`).
pub const UNKNOWN_ACCOUNT: &str = "(unknown account)";

/// Settings of the measurements; every default is documented where used
/// and restated in the output's definitions.
#[derive(Clone, Debug)]
pub struct Params {
    /// Accounts listed in the top-N tables.
    pub top_n: usize,
    /// The event time (Unix seconds) accounts' creation dates are compared
    /// with; `None`: the first post of the collection.
    pub event_time: Option<i64>,
    /// Post counts whose reaching time is reported (those reached).
    pub milestones: Vec<u64>,
    /// Most bins of the per-minute series: one week (the early spread is
    /// what is measured; a longer collection keeps its busiest week).
    pub max_minute_bins: usize,
    /// Most bins of the per-hour series: one leap year.
    pub max_hour_bins: usize,
    /// Kleinberg's rate ratio between successive states.
    pub burst_s: f64,
    /// Kleinberg's cost of moving up one state, in units of ln(bins).
    pub burst_gamma: f64,
    /// Most states of the burst automaton (state 0 included).
    pub burst_max_states: usize,
    /// Seeds (earliest retweeted objects) listed.
    pub seeds: usize,
    /// Posts per day above which an account counts as highly automated
    /// (Oxford Internet Institute, Howard & Kollanyi 2016: 50 a day).
    pub high_rate_per_day: f64,
    /// Values listed in each split before "other".
    pub split_top: usize,
    /// A creation day is a burst when it has at least this many times the
    /// median creations of the days on which any account was created...
    pub creation_burst_factor: f64,
    /// ...and at least this many creations.
    pub creation_burst_min: u64,
    /// Bot-likeness score from which an account is counted as bot-like.
    pub bot_threshold: f64,
    /// Posts in the collection an account needs for behaviour features.
    pub bot_min_posts: usize,
    /// Percent of the rule's weight that must be available to score.
    pub bot_min_coverage: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            top_n: 10,
            event_time: None,
            milestones: vec![1_000, 10_000, 100_000, 1_000_000],
            max_minute_bins: 7 * 24 * 60,
            max_hour_bins: 366 * 24,
            burst_s: 2.0,
            burst_gamma: 1.0,
            burst_max_states: 12,
            seeds: 10,
            high_rate_per_day: 50.0,
            split_top: 20,
            creation_burst_factor: 5.0,
            creation_burst_min: 10,
            bot_threshold: 0.5,
            bot_min_posts: 10,
            bot_min_coverage: 40,
        }
    }
}

/// Every measurement.
#[derive(Clone, Debug, Serialize)]
pub struct Measurements {
    pub definition: String,
    pub posts: u64,
    /// Accounts with at least one post in the collection.
    pub accounts: u64,
    pub volume: Volume,
    pub bursts: Bursts,
    pub seeds: Seeds,
    pub activity: Accounts,
    pub splits: Splits,
    pub creation: Creation,
    pub bots: Bots,
}

/// An account as the output names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountRef {
    /// The platform's id (or an archive's anonymised id).
    pub key: String,
    pub screen_name: Option<String>,
}

pub fn measure(dataset: &Dataset, params: &Params) -> Measurements {
    let ctx = Ctx::new(dataset, params);
    let ((volume, bursts), ((seeds, activity), ((splits, creation), bots))) = rayon::join(
        || {
            let volume = volume::volume(&ctx);
            let bursts = bursts::bursts(&volume, params);
            (volume, bursts)
        },
        || {
            rayon::join(
                || rayon::join(|| seeds::seeds(&ctx), || accounts::accounts(&ctx)),
                || {
                    rayon::join(
                        || rayon::join(|| splits::splits(&ctx), || creation::creation(&ctx)),
                        || bots::bots(&ctx),
                    )
                },
            )
        },
    );
    Measurements {
        definition: "Measurements of the collection as given (already filtered by hashtag, \
                     time or both when asked). Times are Unix seconds, UTC. `accounts` are \
                     accounts with at least one post in the collection."
            .to_owned(),
        posts: dataset.posts.len() as u64,
        accounts: ctx.by_account.posting as u64,
        volume,
        bursts,
        seeds,
        activity,
        splits,
        creation,
        bots,
    }
}

/// What every measurement reads: the dataset, the parameters, and the
/// posts indexed by time and by account once for all of them.
pub(crate) struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub params: &'a Params,
    /// Every post's time, ascending.
    pub times: Vec<i64>,
    /// The earliest post (first in input order among equal times).
    pub first_post: Option<u32>,
    pub by_account: ByAccount,
    /// `params.event_time`, else the first post's time.
    pub event: Option<i64>,
}

impl<'a> Ctx<'a> {
    pub fn new(ds: &'a Dataset, params: &'a Params) -> Self {
        // `Dataset::finish` sorts; a caller that skipped it still gets
        // right answers, at the cost of one sort.
        let sorted = ds.posts.is_sorted_by_key(|p| p.time);
        let order: Option<Vec<u32>> = (!sorted).then(|| {
            let mut order: Vec<u32> = (0..ds.posts.len() as u32).collect();
            order.sort_by_key(|&i| ds.posts[i as usize].time);
            order
        });
        let times: Vec<i64> = match &order {
            None => ds.posts.iter().map(|p| p.time).collect(),
            Some(order) => order.iter().map(|&i| ds.posts[i as usize].time).collect(),
        };
        let first_post = match &order {
            None => (!ds.posts.is_empty()).then_some(0),
            Some(order) => order.first().copied(),
        };
        let by_account = ByAccount::new(ds, order.as_deref());
        let event = params.event_time.or_else(|| times.first().copied());
        Ctx {
            ds,
            params,
            times,
            first_post,
            by_account,
            event,
        }
    }

    pub fn account_ref(&self, account: u32) -> AccountRef {
        match self.ds.accounts.get(account as usize) {
            Some(a) => AccountRef {
                key: a.key.clone(),
                screen_name: a.screen_name.clone(),
            },
            // The bucket of posts pointing past the account table (odd
            // input): named for what it is rather than dropped.
            None => AccountRef {
                key: UNKNOWN_ACCOUNT.to_owned(),
                screen_name: None,
            },
        }
    }
}

/// Posts grouped by account, each group in time order: the sliding
/// windows, rates and regularity all walk one account's posts.
pub(crate) struct ByAccount {
    start: Vec<usize>,
    times: Vec<i64>,
    posts: Vec<u32>,
    /// Accounts with at least one post.
    pub posting: usize,
}

impl ByAccount {
    fn new(ds: &Dataset, order: Option<&[u32]>) -> Self {
        // Posts pointing past the account table (odd input; an index of
        // u32::MAX must not size a table) share one extra bucket.
        let known = ds.accounts.len();
        let slot_of = |account: u32| (account as usize).min(known);
        let accounts = if ds.posts.iter().any(|p| p.account as usize >= known) {
            known + 1
        } else {
            known
        };
        let mut start = vec![0usize; accounts + 1];
        for p in &ds.posts {
            start[slot_of(p.account) + 1] += 1;
        }
        let posting = start.iter().filter(|&&n| n > 0).count();
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut times = vec![0i64; ds.posts.len()];
        let mut posts = vec![0u32; ds.posts.len()];
        let mut place = |i: u32| {
            let p = &ds.posts[i as usize];
            let slot = &mut next[slot_of(p.account)];
            times[*slot] = p.time;
            posts[*slot] = i;
            *slot += 1;
        };
        match order {
            None => (0..ds.posts.len() as u32).for_each(&mut place),
            Some(order) => order.iter().copied().for_each(&mut place),
        }
        ByAccount {
            start,
            times,
            posts,
            posting,
        }
    }

    /// Accounts indexed (posting or not).
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    pub fn count(&self, account: usize) -> usize {
        self.start[account + 1] - self.start[account]
    }

    /// The account's post times, ascending.
    pub fn times(&self, account: usize) -> &[i64] {
        &self.times[self.start[account]..self.start[account + 1]]
    }

    /// The account's posts (indices into `Dataset::posts`), in time order.
    pub fn posts(&self, account: usize) -> &[u32] {
        &self.posts[self.start[account]..self.start[account + 1]]
    }
}

/// `part / whole`, 0 for an empty whole.
pub(crate) fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The `n` items with the greatest keys, greatest first, ties broken by
/// the smaller index: a selection, not a full sort, for million-account
/// tables.
pub(crate) fn top_by<T, K: Ord>(mut items: Vec<T>, n: usize, key: impl Fn(&T) -> K) -> Vec<T> {
    if n == 0 {
        return Vec::new();
    }
    let cmp = |a: &T, b: &T| key(b).cmp(&key(a));
    if items.len() > n {
        items.select_nth_unstable_by(n - 1, cmp);
        items.truncate(n);
    }
    items.sort_by(cmp);
    items
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Small hand-made datasets for the unit tests.

    use crate::{Dataset, Post, PostKind, NONE};

    pub fn post(account: u32, time: i64, kind: PostKind) -> Post {
        Post {
            account,
            time,
            kind,
            shared: NONE,
            object: NONE,
            lang: NONE,
            text_hash: 0,
            hashtags: Box::new([]),
            urls: Box::new([]),
        }
    }

    /// Accounts "a0", "a1", … and posts given as (account, time).
    pub fn dataset(accounts: usize, posts: &[(u32, i64)]) -> Dataset {
        let mut ds = Dataset::default();
        for i in 0..accounts {
            ds.account(&format!("a{i}"));
        }
        for &(account, time) in posts {
            ds.push(post(account, time, PostKind::Original));
        }
        ds.finish();
        ds
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;
    use crate::{PostKind, NONE};

    #[test]
    fn empty_dataset_measures_without_panic() {
        let ds = Dataset::default();
        let m = measure(&ds, &Params::default());
        assert_eq!(m.posts, 0);
        assert_eq!(m.accounts, 0);
        assert!(m.volume.first_post.is_none());
        serde_json::to_string(&m).unwrap();
    }

    #[test]
    fn odd_data_measures_without_panic() {
        let mut ds = Dataset::default();
        ds.account("a");
        // A post pointing past the account table, times at both ends of
        // the representable range, an unsorted dataset.
        ds.push(post(NONE, i64::MAX, PostKind::Retweet));
        ds.push(post(7, 5, PostKind::Retweet));
        ds.push(post(0, i64::MIN, PostKind::Original));
        ds.push(post(0, 0, PostKind::Original));
        let mut p = post(0, 10, PostKind::Retweet);
        p.shared = ds.objects.intern("x");
        ds.push(p);
        ds.object_times.insert(0, i64::MAX);
        ds.accounts[0].created_at = Some(i64::MIN);
        ds.accounts[0].statuses = Some(u64::MAX);
        ds.accounts[0].screen_name = Some(String::new());
        let params = Params {
            event_time: Some(i64::MAX),
            ..Params::default()
        };
        let m = measure(&ds, &params);
        assert_eq!(m.posts, 5);
        assert_eq!(m.accounts, 2);
        assert_eq!(m.activity.top[1].account.key, UNKNOWN_ACCOUNT);
        assert_eq!(m.activity.top[1].posts, 2);
        assert_eq!(m.bots.scored + m.bots.unscored, 1);
        assert!(m.volume.per_minute.counts.len() <= params.max_minute_bins);
        serde_json::to_string(&m).unwrap();
    }

    #[test]
    fn by_account_groups_in_time_order() {
        let mut ds = dataset(2, &[]);
        for (a, t) in [(1, 30), (0, 20), (1, 10), (0, 5)] {
            ds.push(post(a, t, PostKind::Original));
        }
        let params = Params::default();
        let ctx = Ctx::new(&ds, &params);
        assert_eq!(ctx.times, vec![5, 10, 20, 30]);
        assert_eq!(ctx.by_account.times(0), &[5, 20]);
        assert_eq!(ctx.by_account.times(1), &[10, 30]);
        assert_eq!(ctx.by_account.posts(0), &[3, 1]);
        assert_eq!(ctx.first_post, Some(3));
    }

    #[test]
    fn top_by_keeps_greatest_first() {
        let v = vec![(0, 3), (1, 9), (2, 3), (3, 7)];
        let top = top_by(v, 3, |&(i, n)| (n, std::cmp::Reverse(i)));
        assert_eq!(top, vec![(1, 9), (3, 7), (0, 3)]);
    }
}
