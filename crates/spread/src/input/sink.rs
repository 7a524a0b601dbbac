//! What every format reader produces ([`Draft`]: one post, borrowing from
//! the line it was read from) and the one place drafts enter the
//! [`Dataset`] ([`Sink`]): filter, duplicates, interning, accounts.
//!
//! Parsing a line into a draft needs nothing but the line, so it runs in
//! parallel; the sink is sequential and called in input order, so the
//! dataset is the same whatever the thread count.

use super::text::{normalise_tag, tag_is};
use super::{FileReport, Filter, Malformed, MAX_MALFORMED_LISTED};
use crate::{Account, Dataset, Post, PostKind, NONE};
use std::borrow::Cow;

/// The filter in the form drafts are checked against.
#[derive(Clone, Debug, Default)]
pub(crate) struct Want {
    /// Normalised ([`normalise_tag`]).
    pub tag: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Want {
    pub fn new(filter: &Filter) -> Self {
        Want {
            tag: filter
                .hashtag
                .as_deref()
                .map(|t| normalise_tag(t).into_owned())
                .filter(|t| !t.is_empty()),
            since: filter.since,
            until: filter.until,
        }
    }

    /// Whether any of `tags` (as written) is the wanted one; true without a
    /// hashtag filter.
    pub fn tagged<'t>(&self, tags: impl IntoIterator<Item = &'t str>) -> bool {
        match &self.tag {
            None => true,
            Some(wanted) => tags.into_iter().any(|t| tag_is(t, wanted)),
        }
    }

    fn in_window(&self, time: i64) -> bool {
        self.since.is_none_or(|s| time >= s) && self.until.is_none_or(|u| time <= u)
    }
}

/// An account as one record describes it; `None` where it says nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct AccountDraft<'a> {
    pub key: Cow<'a, str>,
    pub screen_name: Option<Cow<'a, str>>,
    pub created_at: Option<i64>,
    pub followers: Option<u64>,
    pub friends: Option<u64>,
    pub statuses: Option<u64>,
    pub default_profile: Option<bool>,
    pub default_image: Option<bool>,
    pub verified: Option<bool>,
    pub location: Option<Cow<'a, str>>,
    pub country: Option<Cow<'a, str>>,
    pub lang: Option<Cow<'a, str>>,
}

impl<'a> AccountDraft<'a> {
    pub fn bare(key: Cow<'a, str>) -> Self {
        AccountDraft {
            key,
            ..AccountDraft::default()
        }
    }
}

/// The post a retweet or quote shares, or a shares table's object.
#[derive(Clone, Debug)]
pub(crate) struct SharedDraft<'a> {
    pub id: Cow<'a, str>,
    /// When the shared post was made, if the record embeds it.
    pub time: Option<i64>,
    pub author: Option<AccountDraft<'a>>,
}

/// A post's own id: numeric ids (every Twitter format) deduplicate; other
/// ids (a shares table's content id) only let a shared object be found
/// among the posts.
#[derive(Clone, Debug)]
pub(crate) enum PostId<'a> {
    None,
    Numeric(u64),
    Text(Cow<'a, str>),
}

impl<'a> PostId<'a> {
    /// A numeric id when the text is one, else the text itself.
    pub fn from_text(text: Cow<'a, str>) -> Self {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            PostId::None
        } else if let Ok(n) = trimmed.parse::<u64>() {
            PostId::Numeric(n)
        } else {
            PostId::Text(text)
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Draft<'a> {
    pub id: PostId<'a>,
    pub time: i64,
    pub kind: PostKind,
    pub author: AccountDraft<'a>,
    pub shared: Option<SharedDraft<'a>>,
    pub lang: Option<Cow<'a, str>>,
    pub text_hash: u64,
    /// Normalised.
    pub hashtags: Vec<Cow<'a, str>>,
    /// Normalised.
    pub urls: Vec<Cow<'a, str>>,
    /// Whether the post (or the post it shares) carries the filter's
    /// hashtag; true without one.
    pub tagged: bool,
}

/// What a line or record yielded.
// Unboxed: a batch's results sit in one Vec, a box would cost an
// allocation per post.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Parsed<'a> {
    One(Draft<'a>),
    /// A page: its posts, and why some of its tweets could not be read
    /// (each counted as malformed, at the page's line).
    Many(Vec<Draft<'a>>, Vec<String>),
    /// Valid, but no post: a streaming notice, an empty page.
    NotPost,
    /// Blank: not counted at all.
    Blank,
    Bad(String),
}

/// Every post's own id, in the order posts were pushed, so that once all
/// files are read the posts that others share can be marked
/// (`Post::object`): a retweet may come before its original (search
/// results are newest first) or in another file.
#[derive(Default)]
pub(crate) struct PostIds {
    /// Index in `Dataset::posts` of `numeric[0]`.
    pub base: usize,
    /// `u64::MAX` when the post has no numeric id.
    pub numeric: Vec<u64>,
    pub text: Vec<(usize, Box<str>)>,
}

impl PostIds {
    pub fn new(base: usize) -> Self {
        PostIds {
            base,
            ..PostIds::default()
        }
    }

    /// Marks every post whose own id is a shared object, and takes its time
    /// and author as the object's when no record embedded them.
    pub fn resolve(self, dataset: &mut Dataset) {
        if dataset.objects.is_empty() {
            return;
        }
        let mut buf = String::new();
        let mark = |dataset: &mut Dataset, index: usize, id: &str| {
            let Some(object) = dataset.objects.get(id) else {
                return;
            };
            let Some(post) = dataset.posts.get_mut(index) else {
                return;
            };
            post.object = object;
            let (time, account) = (post.time, post.account);
            let first = dataset.object_times.entry(object).or_insert(time);
            *first = (*first).min(time);
            dataset.object_authors.entry(object).or_insert(account);
        };
        for (offset, &id) in self.numeric.iter().enumerate() {
            if id != u64::MAX {
                use std::fmt::Write;
                buf.clear();
                let _ = write!(buf, "{id}");
                mark(dataset, self.base + offset, &buf);
            }
        }
        for (index, id) in &self.text {
            mark(dataset, *index, id);
        }
    }
}

/// Takes drafts into the dataset, counting into the file's report.
pub(crate) struct Sink<'s> {
    pub dataset: &'s mut Dataset,
    pub want: &'s Want,
    pub report: &'s mut FileReport,
    pub ids: &'s mut PostIds,
}

impl Sink<'_> {
    pub fn take(&mut self, line: u64, parsed: Parsed<'_>) {
        match parsed {
            Parsed::One(draft) => {
                self.report.records += 1;
                self.add(draft);
            }
            Parsed::Many(drafts, bad) => {
                self.report.records += 1;
                for draft in drafts {
                    self.add(draft);
                }
                for reason in bad {
                    self.malformed(line, reason);
                }
            }
            Parsed::NotPost => {
                self.report.records += 1;
                self.report.not_posts += 1;
            }
            Parsed::Blank => {}
            Parsed::Bad(reason) => {
                self.report.records += 1;
                self.malformed(line, reason);
            }
        }
    }

    pub fn malformed(&mut self, line: u64, reason: String) {
        self.report.malformed += 1;
        if self.report.malformed_lines.len() < MAX_MALFORMED_LISTED {
            self.report.malformed_lines.push(Malformed { line, reason });
        }
    }

    fn add(&mut self, draft: Draft<'_>) {
        if !draft.tagged || !self.want.in_window(draft.time) {
            self.report.filtered_out += 1;
            return;
        }
        let numeric = match draft.id {
            PostId::Numeric(n) => Some(n),
            _ => None,
        };
        if !self.dataset.first_sighting(numeric) {
            self.report.duplicates += 1;
            return;
        }
        let account = self.account(&draft.author);
        let shared = match draft.shared {
            Some(shared) => {
                let object = self.dataset.objects.intern(&shared.id);
                if let Some(time) = shared.time {
                    self.dataset.object_times.entry(object).or_insert(time);
                }
                if let Some(author) = &shared.author {
                    let author = self.account(author);
                    self.dataset.object_authors.entry(object).or_insert(author);
                }
                object
            }
            None => NONE,
        };
        let lang = match draft.lang.as_deref().map(str::trim) {
            Some(lang) if !lang.is_empty() => self.dataset.langs.intern(lang),
            _ => NONE,
        };
        let hashtags = draft
            .hashtags
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| self.dataset.tags.intern(t))
            .collect();
        let urls = draft
            .urls
            .iter()
            .filter(|u| !u.is_empty())
            .map(|u| self.dataset.urls.intern(u))
            .collect();
        let index = self.dataset.posts.len();
        self.dataset.push(Post {
            account,
            time: draft.time,
            kind: draft.kind,
            shared,
            object: NONE,
            lang,
            text_hash: draft.text_hash,
            hashtags,
            urls,
        });
        let slot = index.saturating_sub(self.ids.base);
        if self.ids.numeric.len() < slot {
            self.ids.numeric.resize(slot, u64::MAX);
        }
        self.ids.numeric.push(numeric.unwrap_or(u64::MAX));
        if let PostId::Text(id) = draft.id {
            self.ids.text.push((index, id.trim().into()));
        }
        self.report.posts += 1;
    }

    /// The account's index, its profile updated with what the draft says:
    /// the latest record read wins, field by field.
    fn account(&mut self, draft: &AccountDraft<'_>) -> u32 {
        let index = self.dataset.account(&draft.key);
        if let Some(account) = self.dataset.accounts.get_mut(index as usize) {
            update(account, draft);
        }
        index
    }
}

fn update(account: &mut Account, draft: &AccountDraft<'_>) {
    fn text(slot: &mut Option<String>, value: &Option<Cow<'_, str>>) {
        if let Some(value) = value {
            if slot.as_deref() != Some(value) {
                *slot = Some(value.to_string());
            }
        }
    }
    fn copy<T: Copy>(slot: &mut Option<T>, value: Option<T>) {
        if value.is_some() {
            *slot = value;
        }
    }
    text(&mut account.screen_name, &draft.screen_name);
    copy(&mut account.created_at, draft.created_at);
    copy(&mut account.followers, draft.followers);
    copy(&mut account.friends, draft.friends);
    copy(&mut account.statuses, draft.statuses);
    copy(&mut account.default_profile, draft.default_profile);
    copy(&mut account.default_image, draft.default_image);
    copy(&mut account.verified, draft.verified);
    text(&mut account.location, &draft.location);
    text(&mut account.country, &draft.country);
    text(&mut account.lang, &draft.lang);
}

/// Optional text as the formats give it: blank means absent.
pub(crate) fn present<'a>(value: Option<Cow<'a, str>>) -> Option<Cow<'a, str>> {
    value.filter(|v| !v.trim().is_empty())
}
