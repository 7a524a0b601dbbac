//! twarc-csv's flattened CSV (`twarc2 csv`), one tweet per row.
//!
//! Columns read (by name, in any order; the others are ignored): `id`,
//! `created_at`, `author_id` (or `author.id`), `author.username`,
//! `author.created_at`, `author.public_metrics.followers_count`,
//! `author.public_metrics.following_count`,
//! `author.public_metrics.tweet_count`, `author.verified`,
//! `author.location`, `author.profile_image_url`,
//! `referenced_tweets.retweeted.id`, `retweeted_user_id`,
//! `retweeted_username`, `referenced_tweets.quoted.id`, `quoted_user_id`,
//! `quoted_username`, `referenced_tweets.replied_to.id`, `text`, `lang`,
//! `entities.hashtags`, `entities.urls` (JSON lists), `geo.country_code`.
//!
//! Every row is a post. twarc-csv can write the tweets a collected tweet
//! refers to as rows of their own (`--inline-referenced-tweets`), and
//! nothing in a row tells them from collected ones, so with that option
//! they count as posts too. It gives a retweet its original's text and
//! entities (`merge_retweets`, its default), and writes a newline in text
//! as a literal `\n`, read back as one here.

use super::sink::{AccountDraft, Draft, PostId, SharedDraft, Want};
use super::tabular::{boolean, count, field, list, normalised, Columns, Layout};
use super::text::{normalise_tag, normalise_url, text_hash};
use super::time::parse_iso;
use crate::PostKind;
use csv::ByteRecord;

pub(crate) struct TwarcCsv {
    id: Option<usize>,
    created_at: Option<usize>,
    author_id: Option<usize>,
    username: Option<usize>,
    author_created_at: Option<usize>,
    followers: Option<usize>,
    following: Option<usize>,
    tweets: Option<usize>,
    verified: Option<usize>,
    location: Option<usize>,
    image: Option<usize>,
    retweeted: Option<usize>,
    retweeted_user: Option<usize>,
    retweeted_username: Option<usize>,
    quoted: Option<usize>,
    quoted_user: Option<usize>,
    quoted_username: Option<usize>,
    replied_to: Option<usize>,
    text: Option<usize>,
    lang: Option<usize>,
    hashtags: Option<usize>,
    urls: Option<usize>,
    country: Option<usize>,
}

impl TwarcCsv {
    /// twarc-csv's header: `id`, `created_at`, an author id, and some
    /// dotted twarc column (`author.…` or `referenced_tweets.…`).
    pub fn detect(columns: &Columns) -> Option<Self> {
        let dotted = columns.has("author.username")
            || columns.has("referenced_tweets.retweeted.id")
            || columns.has("author.id");
        if !(columns.has("id") && columns.has("created_at") && dotted) {
            return None;
        }
        let layout = TwarcCsv {
            id: columns.find(&["id"]),
            created_at: columns.find(&["created_at"]),
            author_id: columns.find(&["author_id", "author.id"]),
            username: columns.find(&["author.username"]),
            author_created_at: columns.find(&["author.created_at"]),
            followers: columns.find(&["author.public_metrics.followers_count"]),
            following: columns.find(&["author.public_metrics.following_count"]),
            tweets: columns.find(&["author.public_metrics.tweet_count"]),
            verified: columns.find(&["author.verified"]),
            location: columns.find(&["author.location"]),
            image: columns.find(&["author.profile_image_url"]),
            retweeted: columns.find(&["referenced_tweets.retweeted.id"]),
            retweeted_user: columns.find(&["retweeted_user_id"]),
            retweeted_username: columns.find(&["retweeted_username"]),
            quoted: columns.find(&["referenced_tweets.quoted.id"]),
            quoted_user: columns.find(&["quoted_user_id"]),
            quoted_username: columns.find(&["quoted_username"]),
            replied_to: columns.find(&["referenced_tweets.replied_to.id"]),
            text: columns.find(&["text"]),
            lang: columns.find(&["lang"]),
            hashtags: columns.find(&["entities.hashtags"]),
            urls: columns.find(&["entities.urls"]),
            country: columns.find(&["geo.country_code"]),
        };
        layout.author_id.is_some().then_some(layout)
    }

    fn shared<'r>(
        &self,
        record: &'r ByteRecord,
        id: Option<usize>,
        user: Option<usize>,
        username: Option<usize>,
    ) -> Option<SharedDraft<'r>> {
        Some(SharedDraft {
            id: field(record, id)?,
            time: None,
            author: field(record, user).map(|key| AccountDraft {
                screen_name: field(record, username),
                ..AccountDraft::bare(key)
            }),
        })
    }
}

impl Layout for TwarcCsv {
    fn draft<'r>(&self, record: &'r ByteRecord, want: &Want) -> Result<Draft<'r>, String> {
        let key = field(record, self.author_id).ok_or("no author_id")?;
        let created_at = field(record, self.created_at).ok_or("no created_at")?;
        let time = parse_iso(&created_at)
            .ok_or_else(|| format!("created_at not understood: {created_at:?}"))?;
        let author = AccountDraft {
            screen_name: field(record, self.username),
            created_at: field(record, self.author_created_at).and_then(|t| parse_iso(&t)),
            followers: count(record, self.followers),
            friends: count(record, self.following),
            statuses: count(record, self.tweets),
            verified: boolean(record, self.verified),
            location: field(record, self.location),
            default_image: field(record, self.image)
                .map(|u| u.contains("/default_profile_images/")),
            country: field(record, self.country),
            ..AccountDraft::bare(key)
        };
        let (kind, shared) = if let Some(s) = self.shared(
            record,
            self.retweeted,
            self.retweeted_user,
            self.retweeted_username,
        ) {
            (PostKind::Retweet, Some(s))
        } else if let Some(s) =
            self.shared(record, self.quoted, self.quoted_user, self.quoted_username)
        {
            (PostKind::Quote, Some(s))
        } else if field(record, self.replied_to).is_some() {
            (PostKind::Reply, None)
        } else {
            (PostKind::Original, None)
        };
        let tags = list(record, self.hashtags);
        let text = field(record, self.text);
        let text_hash = match text.as_deref() {
            Some(t) if t.contains("\\n") => text_hash(&t.replace("\\n", "\n")),
            Some(t) => text_hash(t),
            None => 0,
        };
        Ok(Draft {
            id: field(record, self.id).map_or(PostId::None, PostId::from_text),
            time,
            kind,
            author,
            shared,
            lang: field(record, self.lang),
            text_hash,
            tagged: want.tagged(tags.iter().map(|t| &**t)),
            hashtags: normalised(&tags, normalise_tag),
            urls: normalised(&list(record, self.urls), normalise_url),
        })
    }
}
