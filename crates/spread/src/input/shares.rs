//! A plain shares table: who shared what, when, one share per row (the
//! layout of coordination toolkits such as CooRTweet's
//! `russian_coord_tweets`: `object_id,account_id,content_id,timestamp_share`).
//!
//! Columns, by the first name found (case-insensitive):
//! - account: `account_id`, `account`, `user_id`, `userid`, `user`,
//!   `author_id`, `author`, `screen_name`, `username`;
//! - shared object: `object_id`, `object`, `shared_object`, `shared`,
//!   `url`, `expanded_url`, `link`, `retweet_id`, `retweeted_id`;
//! - time: `timestamp_share`, `timestamp`, `time`, `created_at`,
//!   `datetime`, `date`; Unix seconds (a fraction allowed; 10^11 and more
//!   read as milliseconds), ISO 8601, or v1.1's `created_at` format;
//! - optionally the post's own id: `content_id`, `post_id`, `message_id`,
//!   `tweet_id`, `id`.
//!
//! Each row is a post of kind [`PostKind::Retweet`] sharing its object:
//! a share is what a retweet is to the analysis (the same object passed on
//! by another account), and the object may be anything (a tweet id, a URL,
//! a hash). Rows are never deduplicated, even on the same post id: one post
//! may share several objects. Rows carry no text, language or hashtags (so
//! a hashtag filter leaves none of them).

use super::sink::{AccountDraft, Draft, PostId, SharedDraft, Want};
use super::tabular::{field, Columns, Layout};
use super::time::parse_any;
use crate::PostKind;
use csv::ByteRecord;

pub(crate) const ACCOUNT: &[&str] = &[
    "account_id",
    "account",
    "user_id",
    "userid",
    "user",
    "author_id",
    "author",
    "screen_name",
    "username",
];
pub(crate) const OBJECT: &[&str] = &[
    "object_id",
    "object",
    "shared_object",
    "shared",
    "url",
    "expanded_url",
    "link",
    "retweet_id",
    "retweeted_id",
];
pub(crate) const TIME: &[&str] = &[
    "timestamp_share",
    "timestamp",
    "time",
    "created_at",
    "datetime",
    "date",
];
const POST: &[&str] = &["content_id", "post_id", "message_id", "tweet_id", "id"];

pub(crate) struct Shares {
    account: usize,
    object: usize,
    time: usize,
    post: Option<usize>,
}

impl Shares {
    pub fn detect(columns: &Columns) -> Option<Self> {
        Some(Shares {
            account: columns.find(ACCOUNT)?,
            object: columns.find(OBJECT)?,
            time: columns.find(TIME)?,
            post: columns.find(POST),
        })
    }
}

impl Layout for Shares {
    fn draft<'r>(&self, record: &'r ByteRecord, want: &Want) -> Result<Draft<'r>, String> {
        let key = field(record, Some(self.account)).ok_or("no account")?;
        let object = field(record, Some(self.object)).ok_or("no shared object")?;
        let written = field(record, Some(self.time)).ok_or("no time")?;
        let time =
            parse_any(&written).ok_or_else(|| format!("time not understood: {written:?}"))?;
        Ok(Draft {
            id: field(record, self.post).map_or(PostId::None, PostId::Text),
            time,
            kind: PostKind::Retweet,
            author: AccountDraft::bare(key),
            shared: Some(SharedDraft {
                id: object,
                time: None,
                author: None,
            }),
            lang: None,
            text_hash: 0,
            hashtags: Vec::new(),
            urls: Vec::new(),
            tagged: want.tag.is_none(),
        })
    }
}
