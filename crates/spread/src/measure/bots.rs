//! Bot-likeness from profile and behaviour alone: a transparent additive
//! rule, not a trained model, so every score can be explained from the
//! features listed beside it.
//!
//! The features are those the bot-detection literature relies on:
//! Botometer's user-metadata and temporal classes (Varol et al. 2017,
//! "Online Human-Bot Interactions: Detection, Estimation, and
//! Characterization", the tool Ferrara 2017 applied to #MacronLeaks in
//! "Disinformation and social bot operations in the run up to the 2017
//! French presidential election"), the profile-only set of Yang et al.
//! 2020 ("Scalable and Generalizable Social Bot Detection through Data
//! Selection": tweet frequency over account age, screen-name length and
//! digits, default profile, followers/friends), posting regularity (Chu et
//! al. 2012, "Detecting Automation of Twitter Accounts: Are You a Human,
//! Bot, or Cyborg?"), and the activity thresholds of the Oxford Internet
//! Institute (50 a day) and the DFRLab's #BotSpot (72 and 144 a day). The
//! weights are ours, set by hand and documented in the output.

use super::accounts::rate_per_day;
use super::time::DAY;
use super::{top_by, AccountRef, Ctx, Params};
use crate::{Account, PostKind};
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Reverse;

#[derive(Clone, Debug, Serialize)]
pub struct Bots {
    pub definition: String,
    /// The rule: each feature's weight and how its sub-score is computed.
    pub rules: Vec<FeatureRule>,
    pub threshold: f64,
    pub min_posts: usize,
    /// Percent of the total weight an account needs available to be
    /// scored.
    pub min_coverage: u32,
    /// Posting accounts scored (enough features available).
    pub scored: u64,
    /// Posting accounts not scored (too few features available).
    pub unscored: u64,
    /// Scored accounts with behaviour features (at least `min_posts`).
    pub with_behaviour: u64,
    /// Scored accounts at or above the threshold.
    pub above_threshold: u64,
    /// The most bot-like scored accounts, most first.
    pub top: Vec<BotAccount>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FeatureRule {
    pub feature: &'static str,
    /// "profile" or "behaviour".
    pub kind: &'static str,
    /// Percent of the score.
    pub weight: u32,
    pub rule: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BotAccount {
    pub account: AccountRef,
    pub score: f64,
    /// Percent of the rule's weight available for this account.
    pub coverage: u32,
    /// "profile-and-behaviour", "profile-only" (too few posts for
    /// behaviour features) or "behaviour-only" (no profile fields).
    pub basis: &'static str,
    pub features: Features,
    /// The features that raised the score, largest contribution first.
    pub drivers: Vec<Driver>,
}

/// The raw feature values (`None`: not available for this account).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Features {
    pub posts: u64,
    /// Profile statuses over account age, at the account's last post.
    pub statuses_per_day: Option<f64>,
    pub collection_per_day: Option<f64>,
    pub retweet_ratio: Option<f64>,
    /// Coefficient of variation of the intervals between posts.
    pub interval_cv: Option<f64>,
    pub default_profile: Option<bool>,
    pub default_image: Option<bool>,
    pub screen_name_length: Option<u32>,
    pub screen_name_digits: Option<u32>,
    pub screen_name_trailing_digits: Option<u32>,
    pub followers: Option<u64>,
    pub friends: Option<u64>,
    pub age_days_at_event: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Driver {
    pub feature: &'static str,
    /// The feature's sub-score, 0–1.
    pub value: f64,
    /// Its part of the final score (weight × value / coverage).
    pub contribution: f64,
}

/// The rule's features, in output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Feature {
    LifetimeRate,
    CollectionRate,
    RetweetRatio,
    Regularity,
    DefaultProfile,
    DefaultImage,
    ScreenName,
    FollowersFriends,
    Age,
}

const FEATURES: [Feature; 9] = [
    Feature::LifetimeRate,
    Feature::CollectionRate,
    Feature::RetweetRatio,
    Feature::Regularity,
    Feature::DefaultProfile,
    Feature::DefaultImage,
    Feature::ScreenName,
    Feature::FollowersFriends,
    Feature::Age,
];

impl Feature {
    fn name(self) -> &'static str {
        match self {
            Feature::LifetimeRate => "statuses_per_day",
            Feature::CollectionRate => "collection_per_day",
            Feature::RetweetRatio => "retweet_ratio",
            Feature::Regularity => "interval_regularity",
            Feature::DefaultProfile => "default_profile",
            Feature::DefaultImage => "default_image",
            Feature::ScreenName => "screen_name",
            Feature::FollowersFriends => "followers_friends",
            Feature::Age => "account_age",
        }
    }

    /// Percent of the score; the nine sum to 100.
    fn weight(self) -> u32 {
        match self {
            Feature::LifetimeRate => 15,
            Feature::CollectionRate => 15,
            Feature::RetweetRatio => 10,
            Feature::Regularity => 15,
            Feature::DefaultProfile => 5,
            Feature::DefaultImage => 10,
            Feature::ScreenName => 10,
            Feature::FollowersFriends => 10,
            Feature::Age => 10,
        }
    }

    fn behaviour(self) -> bool {
        matches!(
            self,
            Feature::CollectionRate | Feature::RetweetRatio | Feature::Regularity
        )
    }

    fn rule(self, params: &Params) -> String {
        let high = params.high_rate_per_day;
        match self {
            Feature::LifetimeRate => "statuses (profile) / account age in days at the account's \
                 last post in the collection (at least 1 day); 0 at 24 a day or less (one an \
                 hour), 1 at 144 or more (DFRLab #BotSpot: highly suspicious), linear between"
                .to_owned(),
            Feature::CollectionRate => format!(
                "posts in the collection / days from the account's first to last post there \
                 (at least 1 day); 0 at {} a day or less, 1 at {high} or more (Oxford Internet \
                 Institute high automation), linear between",
                high / 5.0
            ),
            Feature::RetweetRatio => "retweets / posts in the collection; 0 at 0.5 or less, \
                 1 at 0.95 or more (DFRLab #BotSpot: amplification), linear between"
                .to_owned(),
            Feature::Regularity => "coefficient of variation (standard deviation / mean) of \
                 the intervals between the account's consecutive posts; 1 at 0.3 or less \
                 (scheduled), 0 at 1.0 or more (a Poisson process gives 1, human activity is \
                 burstier), linear between; not available when all posts share one second \
                 (Chu et al. 2012)"
                .to_owned(),
            Feature::DefaultProfile => {
                "1 when the profile keeps the platform's default theme".to_owned()
            }
            Feature::DefaultImage => {
                "1 when the profile keeps the default image (the \"egg\")".to_owned()
            }
            Feature::ScreenName => "1 when the screen name ends in 8 or more digits \
                 (\"name12345678\", the sign-up form's suggestion) or is 15 characters (the \
                 maximum, where suggestions are cut) ending in 4 or more; 0.5 when it ends in \
                 4 or more digits or holds 5 or more; else 0 (Yang et al. 2020: \
                 screen-name length and digits)"
                .to_owned(),
            Feature::FollowersFriends => "followers / friends, only for accounts following 50 \
                 or more (below, 0); 1 at 0.05 or less (following many, followed by few), 0 \
                 at 0.5 or more, linear between"
                .to_owned(),
            Feature::Age => "days from the account's creation to the event time; 1 at 30 \
                 days or less (including accounts created after the event), 0 at 180 or \
                 more, linear between"
                .to_owned(),
        }
    }
}

/// 0 at `lo` or below, 1 at `hi` or above, linear between; 0 for NaN.
fn ramp(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() || x <= lo {
        0.0
    } else if x >= hi {
        1.0
    } else {
        (x - lo) / (hi - lo)
    }
}

/// One account's features and sub-scores.
struct Assessment {
    features: Features,
    subs: [Option<f64>; 9],
}

impl Assessment {
    fn coverage(&self) -> u32 {
        FEATURES
            .iter()
            .zip(&self.subs)
            .filter(|(_, s)| s.is_some())
            .map(|(f, _)| f.weight())
            .sum()
    }

    fn score(&self) -> f64 {
        let coverage = self.coverage();
        if coverage == 0 {
            return 0.0;
        }
        let sum: f64 = FEATURES
            .iter()
            .zip(&self.subs)
            .filter_map(|(f, s)| s.map(|s| f64::from(f.weight()) * s))
            .sum();
        sum / f64::from(coverage)
    }

    fn basis(&self) -> &'static str {
        let has = |behaviour: bool| {
            FEATURES
                .iter()
                .zip(&self.subs)
                .any(|(f, s)| f.behaviour() == behaviour && s.is_some())
        };
        match (has(false), has(true)) {
            (true, true) => "profile-and-behaviour",
            (true, false) => "profile-only",
            (false, true) => "behaviour-only",
            (false, false) => "none",
        }
    }
}

fn assess(ctx: &Ctx, account: usize) -> Assessment {
    let params = ctx.params;
    let times = ctx.by_account.times(account);
    let none = Account::default();
    let profile = ctx.ds.accounts.get(account).unwrap_or(&none);
    let mut f = Features {
        posts: times.len() as u64,
        ..Features::default()
    };
    let mut subs = [None; 9];
    let mut set = |feature: Feature, value: Option<f64>| {
        let i = FEATURES.iter().position(|&x| x == feature).unwrap_or(0);
        subs[i] = value;
    };

    let last = times.last().copied();
    if let (Some(statuses), Some(created), Some(last)) =
        (profile.statuses, profile.created_at, last)
    {
        let age = (last.saturating_sub(created) as f64 / DAY as f64).max(1.0);
        let rate = statuses as f64 / age;
        f.statuses_per_day = Some(rate);
        set(Feature::LifetimeRate, Some(ramp(rate, 24.0, 144.0)));
    }

    if times.len() >= params.bot_min_posts.max(2) {
        let (_, _, rate) = rate_per_day(times);
        f.collection_per_day = Some(rate);
        let high = params.high_rate_per_day;
        set(Feature::CollectionRate, Some(ramp(rate, high / 5.0, high)));

        let retweets = ctx
            .by_account
            .posts(account)
            .iter()
            .filter(|&&i| ctx.ds.posts[i as usize].kind == PostKind::Retweet)
            .count();
        let ratio = retweets as f64 / times.len() as f64;
        f.retweet_ratio = Some(ratio);
        set(Feature::RetweetRatio, Some(ramp(ratio, 0.5, 0.95)));

        if let Some(cv) = interval_cv(times) {
            f.interval_cv = Some(cv);
            set(Feature::Regularity, Some(1.0 - ramp(cv, 0.3, 1.0)));
        }
    }

    f.default_profile = profile.default_profile;
    set(
        Feature::DefaultProfile,
        profile.default_profile.map(|d| f64::from(u8::from(d))),
    );
    f.default_image = profile.default_image;
    set(
        Feature::DefaultImage,
        profile.default_image.map(|d| f64::from(u8::from(d))),
    );

    if let Some(name) = profile.screen_name.as_deref().filter(|n| !n.is_empty()) {
        let (length, digits, trailing) = screen_name_shape(name);
        f.screen_name_length = Some(length);
        f.screen_name_digits = Some(digits);
        f.screen_name_trailing_digits = Some(trailing);
        let sub = if trailing >= 8 || (length == 15 && trailing >= 4) {
            1.0
        } else if trailing >= 4 || digits >= 5 {
            0.5
        } else {
            0.0
        };
        set(Feature::ScreenName, Some(sub));
    }

    if let (Some(followers), Some(friends)) = (profile.followers, profile.friends) {
        f.followers = Some(followers);
        f.friends = Some(friends);
        let sub = if friends < 50 {
            0.0
        } else {
            1.0 - ramp(followers as f64 / friends as f64, 0.05, 0.5)
        };
        set(Feature::FollowersFriends, Some(sub));
    }

    if let (Some(created), Some(event)) = (profile.created_at, ctx.event) {
        let age = event.saturating_sub(created) as f64 / DAY as f64;
        f.age_days_at_event = Some(age);
        set(Feature::Age, Some(1.0 - ramp(age, 30.0, 180.0)));
    }

    Assessment { features: f, subs }
}

/// (length, digits, trailing digits) of a screen name, in characters.
fn screen_name_shape(name: &str) -> (u32, u32, u32) {
    let length = name.chars().count() as u32;
    let digits = name.chars().filter(char::is_ascii_digit).count() as u32;
    let trailing = name.chars().rev().take_while(char::is_ascii_digit).count() as u32;
    (length, digits, trailing)
}

/// Coefficient of variation of the intervals between sorted times; `None`
/// with fewer than two intervals or a zero mean.
fn interval_cv(times: &[i64]) -> Option<f64> {
    if times.len() < 3 {
        return None;
    }
    let gaps: Vec<f64> = times
        .windows(2)
        .map(|w| w[1].saturating_sub(w[0]) as f64)
        .collect();
    let n = gaps.len() as f64;
    let mean = gaps.iter().sum::<f64>() / n;
    if !(mean > 0.0 && mean.is_finite()) {
        return None;
    }
    let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / n;
    Some(var.sqrt() / mean)
}

pub(crate) fn bots(ctx: &Ctx) -> Bots {
    let params = ctx.params;
    let by = &ctx.by_account;
    let min_coverage = params.bot_min_coverage;
    let threshold = params.bot_threshold;
    // Light results for every account; full features only for the top-N.
    // The unknown-account bucket has no profile and mixes accounts: its
    // "behaviour" would describe no one.
    let light: Vec<(u32, f64, u32, bool)> = (0..by.len().min(ctx.ds.accounts.len()))
        .into_par_iter()
        .filter(|&a| by.count(a) > 0)
        .map(|a| {
            let x = assess(ctx, a);
            let behaviour = x.features.collection_per_day.is_some();
            (a as u32, x.score(), x.coverage(), behaviour)
        })
        .collect();
    let (scored, unscored): (Vec<_>, Vec<_>) = light
        .into_iter()
        .partition(|&(_, _, c, _)| c >= min_coverage);
    let above = scored
        .iter()
        .filter(|&&(_, s, _, _)| s >= threshold)
        .count() as u64;
    let with_behaviour = scored.iter().filter(|x| x.3).count() as u64;
    let scored_count = scored.len() as u64;
    // Scores are in 0..=1, so their bit patterns order like the values.
    let top = top_by(scored, params.top_n, |&(a, s, c, _)| {
        (s.to_bits(), c, by.count(a as usize), Reverse(a))
    });
    let top = top
        .into_iter()
        .map(|(a, score, coverage, _)| {
            let x = assess(ctx, a as usize);
            let mut drivers: Vec<Driver> = FEATURES
                .iter()
                .zip(&x.subs)
                .filter_map(|(f, s)| {
                    let value = (*s)?;
                    (value > 0.0).then(|| Driver {
                        feature: f.name(),
                        value,
                        contribution: f64::from(f.weight()) * value / f64::from(coverage),
                    })
                })
                .collect();
            drivers.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
            BotAccount {
                account: ctx.account_ref(a),
                score,
                coverage,
                basis: x.basis(),
                features: x.features,
                drivers,
            }
        })
        .collect();

    Bots {
        definition: format!(
            "Bot-likeness of each posting account from its profile and its posts in the \
             collection, by a transparent additive rule (not a trained model): each feature \
             gives a sub-score in 0..1 (see rules), the score is the weighted mean of the \
             sub-scores available for the account (weights in percent, summing to 100 when \
             all are available), and coverage is the percent of weight available. Behaviour \
             features (collection_per_day, retweet_ratio, interval_regularity) need at least \
             {} posts in the collection; an account with fewer is scored on its profile only \
             (basis \"profile-only\"). Accounts with coverage below {}% are not scored. An \
             account is counted as bot-like at a score of {} or more. Features follow \
             Botometer's user-metadata and temporal classes (Varol et al. 2017, as used by \
             Ferrara 2017 on #MacronLeaks), the profile features of Yang et al. 2020, posting \
             regularity after Chu et al. 2012, and the activity thresholds of the Oxford \
             Internet Institute (50 a day) and the DFRLab's #BotSpot (72 and 144 a day); the \
             weights are set by hand. A high score says an account looks automated, not that \
             it is.",
            params.bot_min_posts.max(2),
            min_coverage,
            threshold
        ),
        rules: FEATURES
            .iter()
            .map(|&f| FeatureRule {
                feature: f.name(),
                kind: if f.behaviour() {
                    "behaviour"
                } else {
                    "profile"
                },
                weight: f.weight(),
                rule: f.rule(params),
            })
            .collect(),
        threshold,
        min_posts: params.bot_min_posts.max(2),
        min_coverage,
        scored: scored_count,
        unscored: unscored.len() as u64,
        with_behaviour,
        above_threshold: above,
        top,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::post;
    use super::super::{Ctx, Params};
    use super::*;
    use crate::Dataset;

    const EVENT: i64 = 1_494_010_140;

    fn profile(a: &mut Account, name: &str, default: bool, followers: u64, friends: u64) {
        a.screen_name = Some(name.to_owned());
        a.default_profile = Some(default);
        a.default_image = Some(default);
        a.followers = Some(followers);
        a.friends = Some(friends);
    }

    fn campaign() -> Dataset {
        let mut ds = Dataset::default();
        // A scheduled bot: default profile, "name" + 8 digits, created 5
        // days before, following 800 with 3 followers, retweeting every 5
        // minutes for 4 hours.
        let bot = ds.account("bot");
        profile(
            &mut ds.accounts[bot as usize],
            "marie12345678",
            true,
            3,
            800,
        );
        ds.accounts[bot as usize].created_at = Some(EVENT - 5 * DAY);
        ds.accounts[bot as usize].statuses = Some(3_000);
        for k in 0..48 {
            ds.push(post(bot, EVENT + k * 300, PostKind::Retweet));
        }
        // An organic account: customised, old, balanced, posting
        // irregularly and mostly original posts.
        let human = ds.account("human");
        profile(&mut ds.accounts[human as usize], "jdupont", false, 400, 350);
        ds.accounts[human as usize].created_at = Some(EVENT - 2_000 * DAY);
        ds.accounts[human as usize].statuses = Some(8_000);
        let gaps = [5, 900, 40, 3_000, 20, 60, 7_000, 10, 400, 30, 12_000, 90];
        let mut t = EVENT;
        for (k, g) in gaps.iter().enumerate() {
            t += g;
            let kind = if k % 4 == 0 {
                PostKind::Retweet
            } else {
                PostKind::Original
            };
            ds.push(post(human, t, kind));
        }
        // A bare account with 2 posts and no profile fields.
        let bare = ds.account("bare");
        ds.push(post(bare, EVENT + 50, PostKind::Original));
        ds.push(post(bare, EVENT + 60, PostKind::Original));
        ds.finish();
        ds
    }

    #[test]
    fn scheduled_default_digits_account_scores_above_organic() {
        let ds = campaign();
        let params = Params::default();
        let ctx = Ctx::new(&ds, &params);
        let bot = assess(&ctx, 0);
        let human = assess(&ctx, 1);
        assert!(bot.score() > 0.8, "bot {}", bot.score());
        assert!(human.score() < 0.2, "human {}", human.score());
        assert_eq!(bot.coverage(), 100);
        assert_eq!(bot.basis(), "profile-and-behaviour");
        assert_eq!(bot.features.interval_cv, Some(0.0));
        assert_eq!(bot.features.retweet_ratio, Some(1.0));
        assert_eq!(bot.features.screen_name_trailing_digits, Some(8));

        let b = bots(&ctx);
        assert_eq!(b.scored, 2);
        assert_eq!(b.unscored, 1);
        assert_eq!(b.above_threshold, 1);
        assert_eq!(b.with_behaviour, 2);
        assert_eq!(b.top[0].account.key, "bot");
        assert_eq!(b.top[1].account.key, "human");
        let drivers: Vec<&str> = b.top[0].drivers.iter().map(|d| d.feature).collect();
        assert!(drivers.contains(&"interval_regularity"));
        assert!(drivers.contains(&"screen_name"));
        let total: f64 = b.top[0].drivers.iter().map(|d| d.contribution).sum();
        assert!((total - b.top[0].score).abs() < 1e-9);
        assert_eq!(b.rules.iter().map(|r| r.weight).sum::<u32>(), 100);
    }

    #[test]
    fn few_posts_means_profile_only() {
        let mut ds = campaign();
        let a = ds.account_by_key("bare").unwrap();
        profile(&mut ds.accounts[a as usize], "x", false, 10, 10);
        let params = Params::default();
        let ctx = Ctx::new(&ds, &params);
        let x = assess(&ctx, a as usize);
        assert_eq!(x.basis(), "profile-only");
        assert!(x.features.retweet_ratio.is_none());
        assert_eq!(x.coverage(), 5 + 10 + 10 + 10);
    }

    #[test]
    fn screen_names() {
        assert_eq!(screen_name_shape("name12345678"), (12, 8, 8));
        assert_eq!(screen_name_shape("j0hn_smith"), (10, 1, 0));
        assert_eq!(screen_name_shape("élise2017"), (9, 4, 4));
    }

    #[test]
    fn regularity() {
        assert_eq!(interval_cv(&[0, 10, 20, 30]), Some(0.0));
        assert_eq!(interval_cv(&[5, 5, 5]), None);
        assert_eq!(interval_cv(&[0, 1]), None);
        let cv = interval_cv(&[0, 1, 100, 101, 200]).unwrap();
        assert!(cv > 0.9);
        assert!(interval_cv(&[i64::MIN, 0, i64::MAX]).is_some());
    }
}
