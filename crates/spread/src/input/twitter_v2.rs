//! Twitter API v2 as twarc2 writes it: one response page per line (`data`,
//! `includes.users`, `includes.tweets`, `includes.places`, `meta`), or
//! one flattened tweet per line (`twarc2 flatten`: `author` and the
//! referenced tweets embedded).
//!
//! Every tweet of `data` is a post; `includes.tweets` are not (they are the
//! tweets the collected ones refer to), but give the time and author of
//! what a retweet or quote shares, and a retweet's full text and entities
//! (its own are cut after `RT @x: `). v2 has no `default_profile`;
//! `default_image` is read from the profile image URL (Twitter's default
//! images live under `default_profile_images/`).

use super::json::{from_line, text_ref, Entities, Str};
use super::sink::{AccountDraft, Draft, Parsed, PostId, SharedDraft, Want};
use super::text::text_hash;
use super::time::parse_iso;
use crate::PostKind;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    data: Option<OneOrMany<Tweet<'a>>>,
    #[serde(borrow)]
    includes: Option<Includes<'a>>,
}

#[derive(Deserialize)]
struct Includes<'a> {
    #[serde(borrow)]
    users: Option<Vec<User<'a>>>,
    #[serde(borrow)]
    tweets: Option<Vec<Tweet<'a>>>,
    #[serde(borrow)]
    places: Option<Vec<Place<'a>>>,
}

/// A tweet, or a `referenced_tweets` entry (`type` and `id`, and in
/// flattened files the whole referenced tweet).
#[derive(Deserialize)]
struct Tweet<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow, rename = "type")]
    reference: Option<Str<'a>>,
    #[serde(borrow)]
    author_id: Option<Str<'a>>,
    #[serde(borrow)]
    author: Option<User<'a>>,
    #[serde(borrow)]
    created_at: Option<Str<'a>>,
    #[serde(borrow)]
    text: Option<Str<'a>>,
    /// Tweets over 280 characters: the full text and its entities.
    #[serde(borrow)]
    note_tweet: Option<Note<'a>>,
    #[serde(borrow)]
    lang: Option<Str<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
    #[serde(borrow)]
    referenced_tweets: Option<Vec<Tweet<'a>>>,
    #[serde(borrow)]
    geo: Option<Geo<'a>>,
}

#[derive(Deserialize)]
struct Note<'a> {
    #[serde(borrow)]
    text: Option<Str<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
}

/// `place_id` in pages; flattened files merge the place in.
#[derive(Deserialize)]
struct Geo<'a> {
    #[serde(borrow)]
    place_id: Option<Str<'a>>,
    #[serde(borrow)]
    country_code: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Place<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    country_code: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct User<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    username: Option<Str<'a>>,
    #[serde(borrow)]
    created_at: Option<Str<'a>>,
    public_metrics: Option<UserMetrics>,
    verified: Option<bool>,
    #[serde(borrow)]
    location: Option<Str<'a>>,
    #[serde(borrow)]
    profile_image_url: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct UserMetrics {
    followers_count: Option<u64>,
    following_count: Option<u64>,
    tweet_count: Option<u64>,
}

/// `data` is an array in searches and timelines, one object in a single
/// tweet lookup.
struct OneOrMany<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tweet or an array of tweets")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// What a page's `includes` offer, by id.
#[derive(Default)]
struct Lookup<'p, 'a> {
    users: HashMap<&'p str, &'p User<'a>>,
    tweets: HashMap<&'p str, &'p Tweet<'a>>,
    places: HashMap<&'p str, &'p str>,
}

impl<'p, 'a> Lookup<'p, 'a> {
    fn new(includes: Option<&'p Includes<'a>>) -> Self {
        let Some(includes) = includes else {
            return Lookup::default();
        };
        let users = includes
            .users
            .iter()
            .flatten()
            .filter_map(|u| Some((&**u.id.as_ref()?, u)))
            .collect();
        let tweets = includes
            .tweets
            .iter()
            .flatten()
            .filter_map(|t| Some((&**t.id.as_ref()?, t)))
            .collect();
        let places = includes
            .places
            .iter()
            .flatten()
            .filter_map(|p| Some((&**p.id.as_ref()?, &**p.country_code.as_ref()?)))
            .collect();
        Lookup {
            users,
            tweets,
            places,
        }
    }

    /// The author of `tweet`, with the profile `includes` (or the flattened
    /// tweet) give.
    fn author(&self, tweet: &'p Tweet<'a>) -> Option<AccountDraft<'a>> {
        let key = text_ref(&tweet.author_id)
            .or_else(|| tweet.author.as_ref().and_then(|a| text_ref(&a.id)))?;
        Some(
            match self.users.get(&*key).copied().or(tweet.author.as_ref()) {
                Some(user) => user_draft(user, key),
                None => AccountDraft::bare(key),
            },
        )
    }

    /// The full referenced tweet: from `includes`, or the entry itself when
    /// it is more than `type` and `id` (flattened files).
    fn referenced(&self, reference: &'p Tweet<'a>) -> Option<&'p Tweet<'a>> {
        let id = reference.id.as_deref()?;
        self.tweets.get(id).copied().or_else(|| {
            (reference.created_at.is_some() || reference.author_id.is_some()).then_some(reference)
        })
    }
}

fn user_draft<'a>(user: &User<'a>, key: Cow<'a, str>) -> AccountDraft<'a> {
    let metrics = user.public_metrics.as_ref();
    AccountDraft {
        key,
        screen_name: text_ref(&user.username),
        created_at: user.created_at.as_deref().and_then(parse_iso),
        followers: metrics.and_then(|m| m.followers_count),
        friends: metrics.and_then(|m| m.following_count),
        statuses: metrics.and_then(|m| m.tweet_count),
        default_profile: None,
        default_image: user
            .profile_image_url
            .as_deref()
            .map(|u| u.contains("/default_profile_images/")),
        verified: user.verified,
        location: text_ref(&user.location),
        country: None,
        lang: None,
    }
}

impl<'a> Tweet<'a> {
    fn full_text(&self) -> Option<&str> {
        self.note_tweet
            .as_ref()
            .and_then(|n| n.text.as_deref())
            .or(self.text.as_deref())
    }

    fn entities(&self) -> Option<&Entities<'a>> {
        self.note_tweet
            .as_ref()
            .and_then(|n| n.entities.as_ref())
            .or(self.entities.as_ref())
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        self.entities().into_iter().flat_map(Entities::tags)
    }

    fn reference(&self, kind: &str) -> Option<&Tweet<'a>> {
        self.referenced_tweets
            .iter()
            .flatten()
            .find(|r| r.reference.as_deref() == Some(kind))
    }
}

pub(crate) fn parse_page<'a>(line: &'a [u8], want: &Want) -> Parsed<'a> {
    let page: Page<'a> = match from_line(line) {
        Ok(page) => page,
        Err(e) => return Parsed::Bad(format!("not a v2 page: {e}")),
    };
    let tweets = page.data.map(|d| d.0).unwrap_or_default();
    if tweets.is_empty() {
        return Parsed::NotPost;
    }
    let lookup = Lookup::new(page.includes.as_ref());
    let mut drafts = Vec::with_capacity(tweets.len());
    let mut bad = Vec::new();
    for tweet in &tweets {
        match draft(tweet, &lookup, want) {
            Ok(d) => drafts.push(d),
            Err(reason) => bad.push(reason),
        }
    }
    Parsed::Many(drafts, bad)
}

pub(crate) fn parse_flat<'a>(line: &'a [u8], want: &Want) -> Parsed<'a> {
    let tweet: Tweet<'a> = match from_line(line) {
        Ok(tweet) => tweet,
        Err(e) => return Parsed::Bad(format!("not a v2 tweet: {e}")),
    };
    if tweet.author_id.is_none() && tweet.author.is_none() {
        return Parsed::NotPost;
    }
    match draft(&tweet, &Lookup::default(), want) {
        Ok(d) => Parsed::One(d),
        Err(reason) => Parsed::Bad(reason),
    }
}

fn draft<'p, 'a>(
    tweet: &'p Tweet<'a>,
    lookup: &Lookup<'p, 'a>,
    want: &Want,
) -> Result<Draft<'a>, String> {
    let id = text_ref(&tweet.id);
    let name = id.as_deref().unwrap_or("without id");
    let author = lookup
        .author(tweet)
        .ok_or_else(|| format!("tweet {name}: no author_id"))?;
    let created_at = tweet
        .created_at
        .as_deref()
        .ok_or_else(|| format!("tweet {name}: no created_at"))?;
    let time = parse_iso(created_at)
        .ok_or_else(|| format!("tweet {name}: created_at not understood: {created_at:?}"))?;
    let mut author = author;
    author.country = tweet.geo.as_ref().and_then(|geo| {
        text_ref(&geo.country_code).or_else(|| {
            let place = geo.place_id.as_deref()?;
            lookup
                .places
                .get(place)
                .map(|c| Cow::Owned((*c).to_owned()))
        })
    });

    let retweeted = tweet.reference("retweeted");
    let quoted = tweet.reference("quoted");
    let (kind, reference) = match (retweeted, quoted) {
        (Some(r), _) => (PostKind::Retweet, Some(r)),
        (None, Some(q)) => (PostKind::Quote, Some(q)),
        _ if tweet.reference("replied_to").is_some() => (PostKind::Reply, None),
        _ => (PostKind::Original, None),
    };
    let original = reference.and_then(|r| lookup.referenced(r));
    let shared = reference
        .and_then(|r| text_ref(&r.id))
        .map(|shared_id| SharedDraft {
            id: shared_id,
            time: original
                .and_then(|o| o.created_at.as_deref())
                .and_then(parse_iso),
            author: original.and_then(|o| lookup.author(o)),
        });
    // A retweet says what its original says; a quote says its own words.
    let content = match (kind, original) {
        (PostKind::Retweet, Some(original)) => original,
        _ => tweet,
    };
    let tagged = want.tagged(
        content
            .tags()
            .chain(tweet.tags())
            .chain(original.into_iter().flat_map(Tweet::tags)),
    );
    let entities = content.entities();
    let hashtags: Vec<Cow<'a, str>> = entities.map(Entities::normalised_tags).unwrap_or_default();
    Ok(Draft {
        id: id.map_or(PostId::None, PostId::from_text),
        time,
        kind,
        author,
        shared,
        lang: text_ref(&tweet.lang),
        text_hash: content.full_text().map_or(0, text_hash),
        hashtags,
        urls: entities.map(Entities::normalised_urls).unwrap_or_default(),
        tagged,
    })
}
