//! Language of the posts and country or declared location of the
//! accounts, kept apart: in 2017 #MacronLeaks was posted more by accounts
//! declaring the US while its posts were more often in French.

use super::{share, Ctx};
use crate::Account;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize)]
pub struct Splits {
    pub definition: String,
    /// `Post::lang`: the language the platform detected in each post.
    pub language: Dimension,
    /// `Account::country`: a country the format states for the account.
    pub country: Dimension,
    /// `Account::location`: the free text the user declared.
    pub location: Dimension,
    /// `Account::lang`: the account's own language setting.
    pub account_language: Dimension,
}

/// One attribute counted over posts and over distinct accounts.
#[derive(Clone, Debug, Serialize)]
pub struct Dimension {
    pub definition: String,
    pub posts: Split,
    pub accounts: Split,
}

#[derive(Clone, Debug, Serialize)]
pub struct Split {
    /// Posts (or accounts) counted: the denominator of every share.
    pub total: u64,
    /// Without a value.
    pub unknown: u64,
    pub unknown_share: f64,
    /// Distinct values seen.
    pub distinct: u64,
    /// The most frequent values, most first (ties by value).
    pub values: Vec<SplitValue>,
    /// Counted under values not listed.
    pub other: u64,
    pub other_share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SplitValue {
    pub value: String,
    pub count: u64,
    pub share: f64,
}

/// Counts per value, for posts and for accounts, and the unknowns.
#[derive(Default)]
struct Tally {
    values: HashMap<String, (u64, u64)>,
    unknown: (u64, u64),
}

impl Tally {
    fn add(&mut self, value: Option<String>, accounts: u64, posts: u64) {
        let slot = match value {
            Some(v) => self.values.entry(v).or_default(),
            None => &mut self.unknown,
        };
        slot.0 += accounts;
        slot.1 += posts;
    }

    fn merge(mut self, other: Tally) -> Tally {
        for (v, (a, p)) in other.values {
            let slot = self.values.entry(v).or_default();
            slot.0 += a;
            slot.1 += p;
        }
        self.unknown.0 += other.unknown.0;
        self.unknown.1 += other.unknown.1;
        self
    }
}

pub(crate) fn splits(ctx: &Ctx) -> Splits {
    let by = &ctx.by_account;
    let ds = ctx.ds;
    let top = ctx.params.split_top;
    let total_posts = ctx.times.len() as u64;
    let total_accounts = by.posting as u64;

    // Language ids are grouped by normalised name once, so "EN" and "en"
    // count together and the per-post loop only indexes arrays.
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let group: Vec<Option<usize>> = (0..ds.langs.len() as u32)
        .map(|id| {
            normalise(ds.langs.name(id)).map(|name| {
                *index.entry(name.clone()).or_insert_with(|| {
                    names.push(name);
                    names.len() - 1
                })
            })
        })
        .collect();
    let unknown = names.len();
    let group_of = |lang: u32| {
        group
            .get(lang as usize)
            .copied()
            .flatten()
            .unwrap_or(unknown)
    };
    let (lang_accounts, lang_posts) = (0..by.len())
        .into_par_iter()
        .filter(|&a| by.count(a) > 0)
        .fold(
            || (vec![0u64; unknown + 1], vec![0u64; unknown + 1]),
            |(mut accounts, mut posts), a| {
                let mut seen: Vec<usize> = Vec::new();
                for &i in by.posts(a) {
                    let g = group_of(ds.posts[i as usize].lang);
                    posts[g] += 1;
                    if !seen.contains(&g) {
                        seen.push(g);
                    }
                }
                // An account posting in several languages counts once in each.
                for g in seen {
                    accounts[g] += 1;
                }
                (accounts, posts)
            },
        )
        .reduce(
            || (vec![0u64; unknown + 1], vec![0u64; unknown + 1]),
            |(mut a1, mut p1), (a2, p2)| {
                a1.iter_mut().zip(a2).for_each(|(x, y)| *x += y);
                p1.iter_mut().zip(p2).for_each(|(x, y)| *x += y);
                (a1, p1)
            },
        );
    let language = Tally {
        values: names
            .into_iter()
            .enumerate()
            .map(|(g, name)| (name, (lang_accounts[g], lang_posts[g])))
            .collect(),
        unknown: (lang_accounts[unknown], lang_posts[unknown]),
    };

    let profile = |field: fn(&Account) -> Option<&str>| {
        (0..by.len())
            .into_par_iter()
            .filter(|&a| by.count(a) > 0)
            .fold(Tally::default, |mut tally, a| {
                let value = ds.accounts.get(a).and_then(field).and_then(normalise);
                tally.add(value, 1, by.count(a) as u64);
                tally
            })
            .reduce(Tally::default, Tally::merge)
    };
    let country = profile(|a| a.country.as_deref());
    let location = profile(|a| a.location.as_deref());
    let account_language = profile(|a| a.lang.as_deref());

    let dimension = |tally: Tally, what: &str| Dimension {
        definition: format!(
            "{what} Values are trimmed, inner whitespace collapsed to one space, and \
             lower-cased; empty or absent values are unknown. posts: posts counted under \
             their value; accounts: distinct posting accounts counted under their value. \
             Shares are of all posts (or all posting accounts), unknown included. The {top} \
             most frequent values are listed, the rest summed in other."
        ),
        posts: split(&tally, total_posts, top, |c| c.1),
        accounts: split(&tally, total_accounts, top, |c| c.0),
    };
    Splits {
        definition: "Language of the posts and country, declared location and language \
                     setting of the accounts, each counted apart: they need not agree."
            .to_owned(),
        language: dimension(
            language,
            "The post's language as the platform detected it (Post::lang; Twitter's \"und\", \
             undetermined, is kept as a value). An account posting in several languages \
             counts once under each, so account shares may sum past 1; a post counts under \
             its own language.",
        ),
        country: dimension(
            country,
            "The country the format states for the account (a place's country code, an \
             archive's field), never guessed from the free-text location; a post counts \
             under its account's country.",
        ),
        location: dimension(
            location,
            "The free-text location the account declared, as typed; a post counts under its \
             account's location.",
        ),
        account_language: dimension(
            account_language,
            "The account's own language setting; a post counts under its account's setting.",
        ),
    }
}

/// Trimmed, whitespace runs collapsed, lower-cased; `None` when empty.
pub(crate) fn normalise(text: &str) -> Option<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then(|| joined.to_lowercase())
}

fn split(tally: &Tally, total: u64, top: usize, pick: fn(&(u64, u64)) -> u64) -> Split {
    let mut values: Vec<(&String, u64)> = tally
        .values
        .iter()
        .map(|(v, c)| (v, pick(c)))
        .filter(|&(_, c)| c > 0)
        .collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let distinct = values.len() as u64;
    let other: u64 = values.iter().skip(top).map(|v| v.1).sum();
    let unknown = pick(&tally.unknown);
    Split {
        total,
        unknown,
        unknown_share: share(unknown, total),
        distinct,
        values: values
            .into_iter()
            .take(top)
            .map(|(value, count)| SplitValue {
                value: value.clone(),
                count,
                share: share(count, total),
            })
            .collect(),
        other,
        other_share: share(other, total),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::post;
    use super::super::{Ctx, Params};
    use super::*;
    use crate::{Dataset, PostKind, NONE};

    fn values(split: &Split) -> Vec<(&str, u64)> {
        split
            .values
            .iter()
            .map(|v| (v.value.as_str(), v.count))
            .collect()
    }

    #[test]
    fn languages_of_posts_and_places_of_accounts_apart() {
        let mut ds = Dataset::default();
        // Two US accounts posting in French, one French account posting in
        // English and French, one account with no profile.
        for (key, country, location) in [
            ("us1", Some("US"), Some("  New   York ")),
            ("us2", Some("us"), Some("new york")),
            ("fr", Some("FR"), Some("Paris")),
            ("none", None, Some("   ")),
        ] {
            let a = ds.account(key);
            ds.accounts[a as usize].country = country.map(str::to_owned);
            ds.accounts[a as usize].location = location.map(str::to_owned);
        }
        let fr = ds.langs.intern("fr");
        let en = ds.langs.intern("EN");
        for (account, lang, n) in [(0, fr, 3), (1, fr, 2), (2, en, 1), (2, fr, 1), (3, NONE, 1)] {
            for _ in 0..n {
                let mut p = post(account, 100, PostKind::Original);
                p.lang = lang;
                ds.push(p);
            }
        }
        ds.finish();
        let params = Params::default();
        let s = splits(&Ctx::new(&ds, &params));

        assert_eq!(values(&s.language.posts), vec![("fr", 6), ("en", 1)]);
        assert_eq!(s.language.posts.unknown, 1);
        assert_eq!(s.language.posts.total, 8);
        assert_eq!(s.language.posts.values[0].share, 0.75);
        assert_eq!(values(&s.language.accounts), vec![("fr", 3), ("en", 1)]);
        assert_eq!(s.language.accounts.unknown, 1);

        assert_eq!(values(&s.country.accounts), vec![("us", 2), ("fr", 1)]);
        assert_eq!(values(&s.country.posts), vec![("us", 5), ("fr", 2)]);
        assert_eq!(s.country.accounts.unknown, 1);
        assert_eq!(s.country.accounts.values[0].share, 0.5);
        assert_eq!(
            values(&s.location.accounts),
            vec![("new york", 2), ("paris", 1)]
        );
        assert_eq!(s.location.accounts.unknown, 1);
        assert_eq!(s.account_language.accounts.unknown, 4);
    }

    #[test]
    fn top_values_and_other() {
        let tally = Tally {
            values: [("a", 5), ("b", 3), ("c", 3), ("d", 1)]
                .into_iter()
                .map(|(v, n)| (v.to_owned(), (n, 0)))
                .collect(),
            unknown: (2, 0),
        };
        let s = split(&tally, 14, 2, |c| c.0);
        assert_eq!(values(&s), vec![("a", 5), ("b", 3)]);
        assert_eq!((s.other, s.distinct, s.unknown), (4, 4, 2));
    }

    #[test]
    fn normalising() {
        assert_eq!(
            normalise("  Paris,\tFrance  "),
            Some("paris, france".to_owned())
        );
        assert_eq!(normalise(" \n "), None);
    }
}
