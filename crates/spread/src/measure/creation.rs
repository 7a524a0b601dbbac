//! When the posting accounts were created: a histogram, the days on which
//! unusually many were created, and how many were created just before the
//! event (accounts made for the operation).

use super::time::{day, day_label, month_index, month_label, DAY};
use super::{AccountRef, Ctx};
use serde::Serialize;
use std::collections::HashMap;

/// Months listed at most (a century): a creation date in 1970 or 3000
/// from a broken export must not make the histogram unbounded.
const MAX_MONTHS: i64 = 1_200;
/// Days of the daily histogram, ending with the event's day.
const RECENT_DAYS: i64 = 90;
const MAX_BURST_DAYS: usize = 100;
const BURST_SAMPLE: usize = 10;

#[derive(Clone, Debug, Serialize)]
pub struct Creation {
    pub definition: String,
    /// The reference time: `event_time` if given, else the first post.
    pub event_time: Option<i64>,
    /// "parameter" or "first-post".
    pub event_source: String,
    /// Posting accounts, and those whose creation date is known.
    pub accounts: u64,
    pub with_creation_date: u64,
    /// Accounts per creation month, empty months included.
    pub by_month: Vec<MonthCount>,
    /// Accounts created before the first listed month.
    pub earlier_than_listed: u64,
    /// Accounts per creation day over the 90 days ending with the event's
    /// day.
    pub by_day: Vec<DayCount>,
    pub within_7_days: u64,
    pub within_30_days: u64,
    /// Created after the event time.
    pub after_event: u64,
    pub bursts: CreationBursts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// "YYYY-MM".
    pub month: String,
    pub accounts: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// "YYYY-MM-DD".
    pub date: String,
    pub accounts: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreationBursts {
    pub definition: String,
    /// Median creations over the days with at least one.
    pub median: f64,
    pub threshold: f64,
    /// Burst days in date order.
    pub days: Vec<BurstDay>,
    /// Burst days not listed (the smallest beyond the first 100).
    pub omitted: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct BurstDay {
    pub date: String,
    pub accounts: u64,
    /// The first accounts created that day (at most 10, by creation time).
    pub sample: Vec<AccountRef>,
}

pub(crate) fn creation(ctx: &Ctx) -> Creation {
    let by = &ctx.by_account;
    let params = ctx.params;
    let created: Vec<(u32, i64)> = (0..by.len())
        .filter(|&a| by.count(a) > 0)
        .filter_map(|a| {
            let t = ctx.ds.accounts.get(a)?.created_at?;
            Some((a as u32, t))
        })
        .collect();

    let mut by_month = Vec::new();
    let mut earlier = 0;
    if let Some(last) = created.iter().map(|&(_, t)| month_index(t)).max() {
        let first = created
            .iter()
            .map(|&(_, t)| month_index(t))
            .min()
            .unwrap_or(last);
        let first = first.max(last - (MAX_MONTHS - 1));
        let mut counts = vec![0u64; (last - first + 1) as usize];
        for &(_, t) in &created {
            match month_index(t) - first {
                k if k < 0 => earlier += 1,
                k => counts[k as usize] += 1,
            }
        }
        by_month = counts
            .into_iter()
            .enumerate()
            .map(|(k, accounts)| MonthCount {
                month: month_label(first + k as i64),
                accounts,
            })
            .collect();
    }

    let event = ctx.event;
    let (mut within_7, mut within_30, mut after) = (0, 0, 0);
    let mut by_day = Vec::new();
    if let Some(event) = event {
        let last_day = day(event);
        let mut counts = vec![0u64; RECENT_DAYS as usize];
        for &(_, t) in &created {
            let before = event.saturating_sub(t);
            if before < 0 {
                after += 1;
            } else {
                within_7 += u64::from(before <= 7 * DAY);
                within_30 += u64::from(before <= 30 * DAY);
            }
            let k = day(t) - (last_day - (RECENT_DAYS - 1));
            if (0..RECENT_DAYS).contains(&k) {
                counts[k as usize] += 1;
            }
        }
        by_day = counts
            .into_iter()
            .enumerate()
            .map(|(k, accounts)| DayCount {
                date: day_label(last_day - (RECENT_DAYS - 1) + k as i64),
                accounts,
            })
            .collect();
    }

    let bursts = burst_days(ctx, &created);
    Creation {
        definition: format!(
            "Creation dates (Account::created_at, UTC) of the posting accounts whose profile \
             carries one. by_month: accounts per calendar month from the earliest to the \
             latest, empty months included, at most {MAX_MONTHS} months ending with the \
             latest (older ones summed in earlier_than_listed). by_day: accounts per day over \
             the {RECENT_DAYS} days ending with the event's day. within_7_days / \
             within_30_days: accounts created at most 7 / 30 days before the event time; \
             after_event: created after it. The event time is {}.",
            match params.event_time {
                Some(_) => "the one given as a parameter",
                None => "the first post of the collection",
            }
        ),
        event_time: event,
        event_source: match params.event_time {
            Some(_) => "parameter",
            None => "first-post",
        }
        .to_owned(),
        accounts: by.posting as u64,
        with_creation_date: created.len() as u64,
        by_month,
        earlier_than_listed: earlier,
        by_day,
        within_7_days: within_7,
        within_30_days: within_30,
        after_event: after,
        bursts,
    }
}

fn burst_days(ctx: &Ctx, created: &[(u32, i64)]) -> CreationBursts {
    let params = ctx.params;
    let mut per_day: HashMap<i64, Vec<(i64, u32)>> = HashMap::new();
    for &(a, t) in created {
        per_day.entry(day(t)).or_default().push((t, a));
    }
    let mut sizes: Vec<u64> = per_day.values().map(|v| v.len() as u64).collect();
    sizes.sort_unstable();
    let median = match sizes.len() {
        0 => 0.0,
        n if n % 2 == 1 => sizes[n / 2] as f64,
        n => (sizes[n / 2 - 1] + sizes[n / 2]) as f64 / 2.0,
    };
    let threshold = (params.creation_burst_factor * median).max(params.creation_burst_min as f64);
    let mut days: Vec<(i64, Vec<(i64, u32)>)> = per_day
        .into_iter()
        .filter(|(_, v)| v.len() as f64 >= threshold)
        .collect();
    let omitted = days.len().saturating_sub(MAX_BURST_DAYS);
    days.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    days.truncate(MAX_BURST_DAYS);
    days.sort_by_key(|d| d.0);
    CreationBursts {
        definition: format!(
            "A creation burst is a day (UTC) on which at least threshold posting accounts were \
             created, threshold being {} times the median of the daily creations over the days \
             on which at least one posting account was created, and at least {}. At most \
             {MAX_BURST_DAYS} days are listed (the largest), with up to {BURST_SAMPLE} of \
             their accounts each.",
            params.creation_burst_factor, params.creation_burst_min
        ),
        median,
        threshold,
        days: days
            .into_iter()
            .map(|(d, mut accounts)| {
                accounts.sort_unstable();
                BurstDay {
                    date: day_label(d),
                    accounts: accounts.len() as u64,
                    sample: accounts
                        .iter()
                        .take(BURST_SAMPLE)
                        .map(|&(_, a)| ctx.account_ref(a))
                        .collect(),
                }
            })
            .collect(),
        omitted,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::post;
    use super::super::{Ctx, Params};
    use super::*;
    use crate::{Dataset, PostKind};

    const EVENT: i64 = 1_494_010_140; // 2017-05-05T18:49:00Z

    fn with_created(created: &[i64]) -> Dataset {
        let mut ds = Dataset::default();
        for (i, &t) in created.iter().enumerate() {
            let a = ds.account(&format!("a{i}"));
            ds.accounts[a as usize].created_at = Some(t);
            ds.push(post(a, EVENT + i as i64, PostKind::Original));
        }
        // An account without a profile date.
        let a = ds.account("nodate");
        ds.push(post(a, EVENT + 10_000, PostKind::Original));
        ds.finish();
        ds
    }

    #[test]
    fn recent_creations_and_histograms() {
        let created = [
            EVENT - 3 * DAY,
            EVENT - 7 * DAY,
            EVENT - 7 * DAY - 1,
            EVENT - 20 * DAY,
            EVENT - 400 * DAY,
            EVENT + 60,
        ];
        let ds = with_created(&created);
        let c = creation(&Ctx::new(&ds, &Params::default()));
        assert_eq!(c.event_source, "first-post");
        assert_eq!(c.event_time, Some(EVENT));
        assert_eq!((c.accounts, c.with_creation_date), (7, 6));
        assert_eq!(
            (c.within_7_days, c.within_30_days, c.after_event),
            (2, 4, 1)
        );
        assert_eq!(c.by_day.len(), 90);
        assert_eq!(c.by_day.last().unwrap().date, "2017-05-05");
        assert_eq!(c.by_day[89].accounts, 1); // created a minute after
        assert_eq!(c.by_day[89 - 3].accounts, 1);
        // 7 days and 7 days and a second before fall on the same UTC day.
        assert_eq!(c.by_day[89 - 7].accounts, 2);
        assert_eq!(c.by_day[89 - 20].accounts, 1);
        assert_eq!(c.by_day.iter().map(|d| d.accounts).sum::<u64>(), 5);
        // 2016-03 (400 days before) to 2017-05, empty months included.
        assert_eq!(c.by_month.first().unwrap().month, "2016-03");
        assert_eq!(c.by_month.len(), 15);
        assert_eq!(c.by_month.iter().map(|m| m.accounts).sum::<u64>(), 6);
    }

    #[test]
    fn a_day_with_many_creations_is_a_burst() {
        // One account a day for 60 days, then 30 on one day.
        let mut created: Vec<i64> = (0..60).map(|k| EVENT - (100 - k) * DAY).collect();
        let burst_day = EVENT - 10 * DAY;
        created.extend((0..30).map(|k| burst_day + k));
        let ds = with_created(&created);
        let c = creation(&Ctx::new(&ds, &Params::default()));
        assert_eq!(c.bursts.median, 1.0);
        assert_eq!(c.bursts.threshold, 10.0);
        assert_eq!(c.bursts.days.len(), 1);
        let d = &c.bursts.days[0];
        assert_eq!(d.date, day_label(day(burst_day)));
        assert_eq!(d.accounts, 30);
        assert_eq!(d.sample.len(), 10);
        assert_eq!(d.sample[0].key, "a60");
    }

    #[test]
    fn absurd_dates_stay_bounded() {
        let ds = with_created(&[i64::MIN, 0, i64::MAX]);
        let c = creation(&Ctx::new(&ds, &Params::default()));
        assert!(c.by_month.len() as i64 <= MAX_MONTHS);
        assert_eq!(c.earlier_than_listed, 2);
        assert_eq!(c.after_event, 1);
    }
}
