//! Twitter API v1.1 tweets, one JSON object per line (streaming API, REST
//! timelines and searches, and the tools that save them: twarc 1, tweepy,
//! Hydrator).
//!
//! A line without a `user` is not a tweet (the streaming API's `delete`,
//! `limit`, `warning` notices) and is counted apart from malformed lines.
//! A retweet's text, hashtags and URLs are its original's, taken from the
//! embedded `retweeted_status` (the retweet's own text is cut at 140
//! characters and would lose them); its shared object is the original,
//! whose time and author (a full profile) come along.

use super::json::{from_line, text, text_ref, Entities, Id, Str};
use super::sink::{present, AccountDraft, Draft, Parsed, PostId, SharedDraft, Want};
use super::text::text_hash;
use super::time::{parse_iso, parse_twitter};
use crate::PostKind;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Deserialize)]
struct Tweet<'a> {
    #[serde(borrow)]
    id_str: Option<Str<'a>>,
    #[serde(borrow)]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    created_at: Option<Str<'a>>,
    #[serde(borrow)]
    user: Option<User<'a>>,
    #[serde(borrow)]
    retweeted_status: Option<Box<Tweet<'a>>>,
    #[serde(borrow)]
    quoted_status: Option<Box<Tweet<'a>>>,
    #[serde(borrow)]
    quoted_status_id_str: Option<Str<'a>>,
    #[serde(borrow)]
    in_reply_to_status_id_str: Option<Str<'a>>,
    #[serde(borrow)]
    in_reply_to_status_id: Option<Id<'a>>,
    #[serde(borrow)]
    lang: Option<Str<'a>>,
    #[serde(borrow)]
    text: Option<Str<'a>>,
    #[serde(borrow)]
    full_text: Option<Str<'a>>,
    #[serde(borrow)]
    extended_tweet: Option<Extended<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
    #[serde(borrow)]
    place: Option<Place<'a>>,
}

#[derive(Deserialize)]
struct Extended<'a> {
    #[serde(borrow)]
    full_text: Option<Str<'a>>,
    #[serde(borrow)]
    entities: Option<Entities<'a>>,
}

#[derive(Deserialize)]
struct User<'a> {
    #[serde(borrow)]
    id_str: Option<Str<'a>>,
    #[serde(borrow)]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    screen_name: Option<Str<'a>>,
    #[serde(borrow)]
    created_at: Option<Str<'a>>,
    followers_count: Option<u64>,
    friends_count: Option<u64>,
    statuses_count: Option<u64>,
    default_profile: Option<bool>,
    default_profile_image: Option<bool>,
    verified: Option<bool>,
    #[serde(borrow)]
    location: Option<Str<'a>>,
    #[serde(borrow)]
    lang: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Place<'a> {
    #[serde(borrow)]
    country_code: Option<Str<'a>>,
}

fn id_of<'a>(id_str: Option<Str<'a>>, id: Option<Id<'a>>) -> Option<Cow<'a, str>> {
    text(id_str).or_else(|| present(id.map(Id::into_text)))
}

fn time_of(text: &str) -> Option<i64> {
    parse_twitter(text).or_else(|| parse_iso(text))
}

impl<'a> Tweet<'a> {
    fn text(&self) -> Option<&str> {
        self.extended_tweet
            .as_ref()
            .and_then(|e| e.full_text.as_deref())
            .or(self.full_text.as_deref())
            .or(self.text.as_deref())
    }

    /// The entities of the full text when the tweet was extended.
    fn entities(&self) -> Option<&Entities<'a>> {
        self.extended_tweet
            .as_ref()
            .and_then(|e| e.entities.as_ref())
            .or(self.entities.as_ref())
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        self.entities().into_iter().flat_map(Entities::tags)
    }
}

impl<'a> User<'a> {
    fn into_draft(self) -> Option<AccountDraft<'a>> {
        Some(AccountDraft {
            key: id_of(self.id_str, self.id)?,
            screen_name: text(self.screen_name),
            created_at: self.created_at.as_deref().and_then(time_of),
            followers: self.followers_count,
            friends: self.friends_count,
            statuses: self.statuses_count,
            default_profile: self.default_profile,
            default_image: self.default_profile_image,
            verified: self.verified,
            location: text(self.location),
            country: None,
            lang: text(self.lang),
        })
    }
}

/// The post a retweet or quote shares, from its embedded copy.
fn shared_from(tweet: Tweet<'_>) -> Option<SharedDraft<'_>> {
    Some(SharedDraft {
        id: id_of(tweet.id_str, tweet.id)?,
        time: tweet.created_at.as_deref().and_then(time_of),
        author: tweet.user.and_then(User::into_draft),
    })
}

pub(crate) fn parse<'a>(line: &'a [u8], want: &Want) -> Parsed<'a> {
    let tweet: Tweet<'a> = match from_line(line) {
        Ok(tweet) => tweet,
        Err(e) => return Parsed::Bad(format!("not JSON: {e}")),
    };
    match draft(tweet, want) {
        Ok(Some(draft)) => Parsed::One(draft),
        Ok(None) => Parsed::NotPost,
        Err(reason) => Parsed::Bad(reason),
    }
}

fn draft<'a>(mut tweet: Tweet<'a>, want: &Want) -> Result<Option<Draft<'a>>, String> {
    let Some(user) = tweet.user.take() else {
        return Ok(None);
    };
    let Some(created_at) = tweet.created_at.as_deref() else {
        return Err("tweet without created_at".into());
    };
    let time =
        time_of(created_at).ok_or_else(|| format!("created_at not understood: {created_at:?}"))?;
    let mut author = user
        .into_draft()
        .ok_or_else(|| "tweet whose user has no id".to_string())?;
    author.country = tweet.place.take().and_then(|p| text(p.country_code));
    let id = id_of(tweet.id_str.take(), tweet.id.take()).map_or(PostId::None, PostId::from_text);

    let tagged;
    let (kind, content, shared);
    if let Some(original) = tweet.retweeted_status.take() {
        kind = PostKind::Retweet;
        tagged = want.tagged(original.tags().chain(tweet.tags()));
        content = Content::of(&original);
        shared = shared_from(*original);
    } else if tweet.quoted_status.is_some() || tweet.quoted_status_id_str.is_some() {
        kind = PostKind::Quote;
        let quoted = tweet.quoted_status.take();
        tagged = want.tagged(quoted.iter().flat_map(|q| q.tags()).chain(tweet.tags()));
        content = Content::of(&tweet);
        shared = match quoted {
            Some(quoted) => shared_from(*quoted),
            None => None,
        }
        .or_else(|| {
            text(tweet.quoted_status_id_str.take()).map(|id| SharedDraft {
                id,
                time: None,
                author: None,
            })
        });
    } else {
        let reply = text_ref(&tweet.in_reply_to_status_id_str).is_some()
            || tweet.in_reply_to_status_id.is_some();
        kind = if reply {
            PostKind::Reply
        } else {
            PostKind::Original
        };
        tagged = want.tagged(tweet.tags());
        content = Content::of(&tweet);
        shared = None;
    }
    Ok(Some(Draft {
        id,
        time,
        kind,
        author,
        shared,
        lang: text(tweet.lang.take()),
        text_hash: content.text_hash,
        hashtags: content.hashtags,
        urls: content.urls,
        tagged,
    }))
}

/// What a post says, from the tweet that wrote it.
struct Content<'a> {
    text_hash: u64,
    hashtags: Vec<Cow<'a, str>>,
    urls: Vec<Cow<'a, str>>,
}

impl<'a> Content<'a> {
    fn of(tweet: &Tweet<'a>) -> Self {
        let entities = tweet.entities();
        Content {
            text_hash: tweet.text().map_or(0, text_hash),
            hashtags: entities.map(Entities::normalised_tags).unwrap_or_default(),
            urls: entities.map(Entities::normalised_urls).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one<'a>(line: &'a str, want: &Want) -> Draft<'a> {
        match parse(line.as_bytes(), want) {
            Parsed::One(d) => d,
            Parsed::Bad(r) => panic!("bad: {r}"),
            _ => panic!("not one post"),
        }
    }

    const RETWEET: &str = r##"{"created_at":"Fri May 05 19:01:02 +0000 2017","id":860564046000000001,"id_str":"860564046000000001","text":"RT @Seed: #MacronLeaks here https://t.co/x","user":{"id":11,"id_str":"11","screen_name":"amp1","created_at":"Mon Apr 03 10:00:00 +0000 2017","followers_count":3,"friends_count":900,"statuses_count":5000,"default_profile":true,"default_profile_image":true,"verified":false,"location":"USA","lang":null},"retweeted_status":{"created_at":"Fri May 05 18:49:00 +0000 2017","id":860561000000000000,"id_str":"860561000000000000","text":"x","extended_tweet":{"full_text":"#MacronLeaks here, all of it: https://t.co/y","entities":{"hashtags":[{"text":"MacronLeaks","indices":[0,12]}],"urls":[{"url":"https://t.co/y","expanded_url":"https://Pastebin.com/abc/?utm_source=tw"}]}},"entities":{"hashtags":[],"urls":[]},"user":{"id":22,"id_str":"22","screen_name":"Seed","followers_count":10000}},"entities":{"hashtags":[{"text":"MacronLeaks"}],"urls":[]},"lang":"en","place":{"country_code":"US"}}"##;

    #[test]
    fn retweet_takes_the_original() {
        let want = Want::default();
        let d = one(RETWEET, &want);
        assert_eq!(d.kind, PostKind::Retweet);
        assert!(matches!(d.id, PostId::Numeric(860_564_046_000_000_001)));
        assert_eq!(d.time, 1_494_010_862);
        assert_eq!(d.author.key, "11");
        assert_eq!(d.author.screen_name.as_deref(), Some("amp1"));
        assert_eq!(d.author.created_at, Some(1_491_213_600));
        assert_eq!(d.author.friends, Some(900));
        assert_eq!(d.author.default_image, Some(true));
        assert_eq!(d.author.country.as_deref(), Some("US"));
        assert_eq!(d.author.lang, None);
        let shared = d.shared.expect("shared");
        assert_eq!(shared.id, "860561000000000000");
        assert_eq!(shared.time, Some(1_494_010_140));
        let original_author = shared.author.expect("author");
        assert_eq!(original_author.key, "22");
        assert_eq!(original_author.screen_name.as_deref(), Some("Seed"));
        assert_eq!(d.hashtags, vec!["macronleaks"]);
        assert_eq!(d.urls, vec!["https://pastebin.com/abc"]);
        assert_eq!(d.text_hash, text_hash("macronleaks here all of it"));
        assert_eq!(d.lang.as_deref(), Some("en"));
    }

    #[test]
    fn hashtag_filter_sees_the_original() {
        let want = Want {
            tag: Some("macronleaks".into()),
            ..Want::default()
        };
        assert!(one(RETWEET, &want).tagged);
        let other = Want {
            tag: Some("other".into()),
            ..Want::default()
        };
        assert!(!one(RETWEET, &other).tagged);
    }

    #[test]
    fn kinds() {
        let want = Want::default();
        let quote = r#"{"created_at":"Fri May 05 19:01:02 +0000 2017","id_str":"5","full_text":"look","user":{"id_str":"1"},"quoted_status_id_str":"4","is_quote_status":true}"#;
        let d = one(quote, &want);
        assert_eq!(d.kind, PostKind::Quote);
        assert_eq!(d.shared.expect("shared").id, "4");
        let reply = r#"{"created_at":"Fri May 05 19:01:02 +0000 2017","id":6,"text":"yes","user":{"id":1},"in_reply_to_status_id_str":"5","in_reply_to_status_id":5}"#;
        let d = one(reply, &want);
        assert_eq!(d.kind, PostKind::Reply);
        assert!(matches!(d.id, PostId::Numeric(6)));
        assert_eq!(d.author.key, "1");
        assert!(d.shared.is_none());
        let original = r#"{"created_at":"Fri May 05 19:01:02 +0000 2017","id_str":"7","text":"hi","user":{"id_str":"1"},"in_reply_to_status_id_str":null}"#;
        assert_eq!(one(original, &want).kind, PostKind::Original);
    }

    #[test]
    fn notices_and_bad_lines() {
        let want = Want::default();
        assert!(matches!(
            parse(br#"{"delete":{"status":{"id":1,"id_str":"1"}}}"#, &want),
            Parsed::NotPost
        ));
        assert!(matches!(
            parse(br#"{"limit":{"track":3}}"#, &want),
            Parsed::NotPost
        ));
        assert!(matches!(
            parse(
                br#"{"created_at":"Fri May 05 19:01:02 +0000 2017","user":{"id":1},"tex"#,
                &want
            ),
            Parsed::Bad(_)
        ));
        assert!(
            matches!(parse(br#"{"created_at":"yesterday","user":{"id":1}}"#, &want), Parsed::Bad(r) if r.contains("yesterday"))
        );
        assert!(matches!(
            parse(
                br#"{"created_at":"Fri May 05 19:01:02 +0000 2017","user":{"name":"x"}}"#,
                &want
            ),
            Parsed::Bad(_)
        ));
    }

    #[test]
    fn escaped_strings_are_read() {
        let want = Want::default();
        let line = r#"{"created_at":"Fri May 05 19:01:02 +0000 2017","id_str":"8","text":"caf\u00e9 \"quoted\"","user":{"id_str":"1","screen_name":"a\u00e9"},"entities":{"hashtags":[{"text":"Caf\u00e9"}]}}"#;
        let d = one(line, &want);
        assert_eq!(d.author.screen_name.as_deref(), Some("aé"));
        assert_eq!(d.hashtags, vec!["café"]);
        assert_eq!(d.text_hash, text_hash("café quoted"));
    }
}
