//! The collection as tamis holds it: accounts and posts, with every
//! repeated string interned, so five million posts fit in memory as
//! integers.

use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// "No value" in the interned `u32` fields of [`Post`].
pub const NONE: u32 = u32::MAX;

/// Strings stored once, referred to by index.
#[derive(Default, Debug)]
pub struct Interner {
    index: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.index.get(text) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct strings");
        self.names.push(text.into());
        self.index.insert(text.into(), id);
        id
    }

    pub fn get(&self, text: &str) -> Option<u32> {
        self.index.get(text).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One account as the collection describes it. Profile fields are as the
/// platform reported them when the post was collected (the latest seen
/// wins); `None` when the format does not carry them.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Account {
    /// The platform's user id (or an archive's anonymised id).
    pub key: String,
    pub screen_name: Option<String>,
    /// Unix seconds.
    pub created_at: Option<i64>,
    pub followers: Option<u64>,
    pub friends: Option<u64>,
    /// Posts the profile claims in all (`statuses_count`, `tweet_count`).
    pub statuses: Option<u64>,
    pub default_profile: Option<bool>,
    pub default_image: Option<bool>,
    pub verified: Option<bool>,
    /// The free-text location the user declared.
    pub location: Option<String>,
    /// A country the format states (a place's country code, an archive's
    /// field), never guessed from `location`.
    pub country: Option<String>,
    /// The account's own language setting, when the format has one.
    pub lang: Option<String>,
}

/// What a post is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PostKind {
    Original,
    Retweet,
    Quote,
    Reply,
}

/// One post, compact: 5 million of them must fit in memory.
#[derive(Clone, Debug)]
pub struct Post {
    /// Index into [`Dataset::accounts`].
    pub account: u32,
    /// Unix seconds.
    pub time: i64,
    pub kind: PostKind,
    /// For a retweet or a quote, the post it shares; for a shares table
    /// row, the shared object: an index into [`Dataset::objects`], or
    /// [`NONE`].
    pub shared: u32,
    /// The post's own id, interned in [`Dataset::objects`] only when some
    /// other post shares it (else [`NONE`]): how seed tweets are found.
    pub object: u32,
    /// Language code, index into [`Dataset::langs`], or [`NONE`].
    pub lang: u32,
    /// Hash of the normalised text (see `input::text`), 0 without text:
    /// posts with the same value are near-identical.
    pub text_hash: u64,
    /// Lower-case hashtags in order of appearance, indices into
    /// [`Dataset::tags`].
    pub hashtags: Box<[u32]>,
    /// Expanded URLs, normalised, indices into [`Dataset::urls`].
    pub urls: Box<[u32]>,
}

/// A whole collection, posts in time order once [`Dataset::finish`] ran.
#[derive(Default, Debug)]
pub struct Dataset {
    pub accounts: Vec<Account>,
    account_index: HashMap<String, u32>,
    pub posts: Vec<Post>,
    /// Shared posts and objects (retweeted tweet ids, shares-table objects).
    pub objects: Interner,
    pub urls: Interner,
    pub tags: Interner,
    pub langs: Interner,
    /// When a shared object was first posted, if the collection says
    /// (the original tweet embedded in a retweet, or present itself).
    pub object_times: HashMap<u32, i64>,
    /// Who posted a shared object, if known (index into `accounts`).
    pub object_authors: HashMap<u32, u32>,
    /// Numeric post ids already taken in: a tweet seen twice (in a page
    /// and in another page's `includes`, or in two files) counts once.
    seen: HashSet<u64>,
    /// Posts skipped as already seen.
    pub duplicates: u64,
}

impl Dataset {
    /// The index of the account with platform id `key`, created empty if new.
    pub fn account(&mut self, key: &str) -> u32 {
        if let Some(&index) = self.account_index.get(key) {
            return index;
        }
        let index = u32::try_from(self.accounts.len()).expect("fewer than 2^32 accounts");
        self.accounts.push(Account {
            key: key.to_owned(),
            ..Account::default()
        });
        self.account_index.insert(key.to_owned(), index);
        index
    }

    pub fn account_by_key(&self, key: &str) -> Option<u32> {
        self.account_index.get(key).copied()
    }

    /// Whether the post with numeric id `id` is new (and remembers it).
    /// Posts without a numeric id (shares tables) are always new.
    pub fn first_sighting(&mut self, id: Option<u64>) -> bool {
        match id {
            Some(id) if !self.seen.insert(id) => {
                self.duplicates += 1;
                false
            }
            _ => true,
        }
    }

    pub fn push(&mut self, post: Post) {
        self.posts.push(post);
    }

    /// Sorts posts by time (stable: input order breaks ties) and frees the
    /// lookup tables only input needs.
    pub fn finish(&mut self) {
        self.posts.sort_by_key(|p| p.time);
        self.seen = HashSet::new();
    }
}
