//! The information-operations archives the platforms published (Twitter's
//! "elections integrity" releases, 2018–2021), one tweet per row.
//!
//! Columns read: `tweetid`, `userid`, `user_screen_name`,
//! `user_reported_location`, `follower_count`, `following_count`,
//! `account_creation_date`, `account_language`, `tweet_language`,
//! `tweet_text`, `tweet_time` (`2017-05-05 18:45`, UTC), `is_retweet`,
//! `retweet_tweetid`, `retweet_userid`, `quoted_tweet_tweetid`,
//! `in_reply_to_tweetid`, `hashtags` and `urls` (`[a, b]`). Accounts with
//! few followers are anonymised in these archives (`userid` and
//! `user_screen_name` are the same hash): they are kept as such. The
//! archives state no country: `user_reported_location` is the declared
//! location.

use super::sink::{AccountDraft, Draft, PostId, SharedDraft, Want};
use super::tabular::{boolean, count, field, list, normalised, Columns, Layout};
use super::text::{normalise_tag, normalise_url, text_hash};
use super::time::parse_iso;
use crate::PostKind;
use csv::ByteRecord;

pub(crate) struct Archive {
    tweet_id: Option<usize>,
    user_id: Option<usize>,
    screen_name: Option<usize>,
    location: Option<usize>,
    followers: Option<usize>,
    following: Option<usize>,
    created: Option<usize>,
    account_lang: Option<usize>,
    lang: Option<usize>,
    text: Option<usize>,
    time: Option<usize>,
    is_retweet: Option<usize>,
    retweet_id: Option<usize>,
    retweet_user: Option<usize>,
    quoted: Option<usize>,
    reply_to: Option<usize>,
    hashtags: Option<usize>,
    urls: Option<usize>,
}

impl Archive {
    /// The archives' header: `tweetid`, `userid` and `tweet_time`.
    pub fn detect(columns: &Columns) -> Option<Self> {
        if !(columns.has("tweetid") && columns.has("userid") && columns.has("tweet_time")) {
            return None;
        }
        Some(Archive {
            tweet_id: columns.find(&["tweetid"]),
            user_id: columns.find(&["userid"]),
            screen_name: columns.find(&["user_screen_name"]),
            location: columns.find(&["user_reported_location"]),
            followers: columns.find(&["follower_count"]),
            following: columns.find(&["following_count"]),
            created: columns.find(&["account_creation_date"]),
            account_lang: columns.find(&["account_language"]),
            lang: columns.find(&["tweet_language"]),
            text: columns.find(&["tweet_text"]),
            time: columns.find(&["tweet_time"]),
            is_retweet: columns.find(&["is_retweet"]),
            retweet_id: columns.find(&["retweet_tweetid"]),
            retweet_user: columns.find(&["retweet_userid"]),
            quoted: columns.find(&["quoted_tweet_tweetid"]),
            reply_to: columns.find(&["in_reply_to_tweetid"]),
            hashtags: columns.find(&["hashtags"]),
            urls: columns.find(&["urls"]),
        })
    }
}

impl Layout for Archive {
    fn draft<'r>(&self, record: &'r ByteRecord, want: &Want) -> Result<Draft<'r>, String> {
        let key = field(record, self.user_id).ok_or("no userid")?;
        let written = field(record, self.time).ok_or("no tweet_time")?;
        let time =
            parse_iso(&written).ok_or_else(|| format!("tweet_time not understood: {written:?}"))?;
        let author = AccountDraft {
            screen_name: field(record, self.screen_name),
            created_at: field(record, self.created).and_then(|t| parse_iso(&t)),
            followers: count(record, self.followers),
            friends: count(record, self.following),
            location: field(record, self.location),
            lang: field(record, self.account_lang),
            ..AccountDraft::bare(key)
        };
        let retweet = boolean(record, self.is_retweet).unwrap_or(false)
            || field(record, self.retweet_id).is_some();
        let (kind, shared) = if retweet {
            let shared = field(record, self.retweet_id).map(|id| SharedDraft {
                id,
                time: None,
                author: field(record, self.retweet_user).map(AccountDraft::bare),
            });
            (PostKind::Retweet, shared)
        } else if let Some(id) = field(record, self.quoted) {
            let shared = SharedDraft {
                id,
                time: None,
                author: None,
            };
            (PostKind::Quote, Some(shared))
        } else if field(record, self.reply_to).is_some() {
            (PostKind::Reply, None)
        } else {
            (PostKind::Original, None)
        };
        let tags = list(record, self.hashtags);
        Ok(Draft {
            id: field(record, self.tweet_id).map_or(PostId::None, PostId::from_text),
            time,
            kind,
            author,
            shared,
            lang: field(record, self.lang),
            text_hash: field(record, self.text).map_or(0, |t| text_hash(&t)),
            tagged: want.tagged(tags.iter().map(|t| &**t)),
            hashtags: normalised(&tags, normalise_tag),
            urls: normalised(&list(record, self.urls), normalise_url),
        })
    }
}
