//! What accounts co-share: every post is turned into the objects it shares,
//! and every object into its shares in time order (one flat array, ranges
//! per object), with each account's shares listed beside it.

use super::hash::{sequence_digest, IntMap};
use crate::{Dataset, PostKind, NONE};
use serde::Serialize;

/// The kinds of shared object, kept apart in the evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectKind {
    /// The post a retweet or quote shares (`Post::shared`), or a shares
    /// table's object.
    SharedPost,
    /// A URL in an authored post (`Post::urls`).
    Url,
    /// The ordered hashtags of an authored post with at least two.
    HashtagSequence,
    /// The normalised text of an authored post (`Post::text_hash`).
    Text,
}

pub(crate) const KINDS: [ObjectKind; 4] = [
    ObjectKind::SharedPost,
    ObjectKind::Url,
    ObjectKind::HashtagSequence,
    ObjectKind::Text,
];

impl ObjectKind {
    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

/// One share of an object, in the object's time-ordered run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Occ {
    pub time: i64,
    pub account: u32,
    pub object: u32,
}

/// One of an account's shares: where it sits in [`Index::occ`], and the
/// post it came from (a post sharing several objects counts once per
/// partner, as the peer's `count(distinct message_id)` does).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AccOcc {
    pub pos: u32,
    pub post: u32,
}

/// Shares grouped by object and by account. Objects shared only once
/// are left out: they cannot be co-shared.
pub(crate) struct Index {
    /// Objects, densely numbered: kind and the id that names it
    /// (interner id for shared posts and URLs, first post otherwise).
    pub objects: Vec<(ObjectKind, u32)>,
    /// `occ[start[o]..start[o + 1]]`: object `o`'s shares, by time.
    pub start: Vec<u32>,
    pub occ: Vec<Occ>,
    /// `account_occ[account_start[a]..account_start[a + 1]]`: account
    /// `a`'s shares, by post (and so by time).
    pub account_start: Vec<u32>,
    pub account_occ: Vec<AccOcc>,
    /// Per kind: posts that share at least one object of it, and objects
    /// of it shared at least twice.
    pub posts_by_kind: [u64; 4],
    pub objects_by_kind: [u64; 4],
}

/// Posts in time order: the dataset's own order once `finish` ran,
/// else a sorted permutation (stable, as `finish` is).
pub(crate) fn time_order(dataset: &Dataset) -> Vec<u32> {
    let mut order: Vec<u32> = (0..dataset.posts.len() as u32).collect();
    if !dataset.posts.windows(2).all(|w| w[0].time <= w[1].time) {
        order.sort_by_key(|&p| dataset.posts[p as usize].time);
    }
    order
}

impl Index {
    pub fn build(dataset: &Dataset, order: &[u32]) -> Index {
        assert!(
            dataset.posts.len() < TAG_FLAG as usize,
            "fewer than 2^30 posts"
        );
        let n_shared = dataset.objects.len() as u64;
        let n_urls = dataset.urls.len() as u64;
        let mut tag_ids: IntMap<u64, u32> = IntMap::default();
        let mut tag_first: Vec<u32> = Vec::new();
        let mut text_ids: IntMap<u64, u32> = IntMap::default();
        let mut text_first: Vec<u32> = Vec::new();

        // Candidate ids: shared posts, then URLs, then hashtag sequences and
        // texts as met; entries are (candidate, post) in time order, a
        // post's objects next to each other.
        let mut entries: Vec<(u64, u32)> = Vec::with_capacity(dataset.posts.len());
        let mut posts_by_kind = [0u64; 4];
        let mut urls: Vec<u32> = Vec::new();
        for &p in order {
            let post = &dataset.posts[p as usize];
            if post.shared != NONE {
                entries.push((u64::from(post.shared), p));
                posts_by_kind[0] += 1;
            }
            // A retweet's links, hashtags and text are the retweeted post's:
            // its shared post already stands for them.
            if post.kind == PostKind::Retweet {
                continue;
            }
            urls.clear();
            urls.extend(post.urls.iter().copied());
            urls.sort_unstable();
            urls.dedup();
            if !urls.is_empty() {
                posts_by_kind[1] += 1;
            }
            for &url in &urls {
                entries.push((n_shared + u64::from(url), p));
            }
            if post.hashtags.len() >= 2 {
                let digest = sequence_digest(&post.hashtags);
                let next = tag_first.len() as u32;
                let id = *tag_ids.entry(digest).or_insert(next);
                if id == next {
                    tag_first.push(p);
                }
                entries.push((u64::from(id), p | TAG_FLAG));
                posts_by_kind[2] += 1;
            }
            if post.text_hash != 0 {
                let next = text_first.len() as u32;
                let id = *text_ids.entry(post.text_hash).or_insert(next);
                if id == next {
                    text_first.push(p);
                }
                entries.push((u64::from(id), p | TEXT_FLAG));
                posts_by_kind[3] += 1;
            }
        }
        drop(tag_ids);
        drop(text_ids);
        let n_tags = tag_first.len() as u64;
        let n_candidates = n_shared + n_urls + n_tags + text_first.len() as u64;
        let candidate = |&(id, p): &(u64, u32)| -> usize {
            (match p & FLAGS {
                TAG_FLAG => n_shared + n_urls + id,
                TEXT_FLAG => n_shared + n_urls + n_tags + id,
                _ => id,
            }) as usize
        };

        let mut counts = vec![0u32; n_candidates as usize];
        for entry in &entries {
            counts[candidate(entry)] += 1;
        }
        // Dense ids for objects shared at least twice; u32::MAX otherwise.
        let mut objects = Vec::new();
        let mut objects_by_kind = [0u64; 4];
        let mut dense = vec![u32::MAX; n_candidates as usize];
        for (c, &count) in counts.iter().enumerate() {
            if count < 2 {
                continue;
            }
            let c = c as u64;
            let (kind, name) = if c < n_shared {
                (ObjectKind::SharedPost, c as u32)
            } else if c < n_shared + n_urls {
                (ObjectKind::Url, (c - n_shared) as u32)
            } else if c < n_shared + n_urls + n_tags {
                (
                    ObjectKind::HashtagSequence,
                    tag_first[(c - n_shared - n_urls) as usize],
                )
            } else {
                (
                    ObjectKind::Text,
                    text_first[(c - n_shared - n_urls - n_tags) as usize],
                )
            };
            dense[c as usize] = u32::try_from(objects.len()).expect("fewer than 2^32 objects");
            objects_by_kind[kind.slot()] += 1;
            objects.push((kind, name));
        }

        let mut start = vec![0u32; objects.len() + 1];
        for (c, &count) in counts.iter().enumerate() {
            if dense[c] != u32::MAX {
                start[dense[c] as usize + 1] = count;
            }
        }
        drop(counts);
        for o in 0..objects.len() {
            start[o + 1] += start[o];
        }
        let total = start[objects.len()] as usize;
        let mut cursor = start.clone();
        let mut occ = vec![
            Occ {
                time: 0,
                account: 0,
                object: 0
            };
            total
        ];
        // (account, position, post) for the kept entries, in time order.
        let mut kept: Vec<(u32, u32, u32)> = Vec::with_capacity(total);
        for entry in &entries {
            let o = dense[candidate(entry)];
            if o == u32::MAX {
                continue;
            }
            let p = entry.1 & !FLAGS;
            let post = &dataset.posts[p as usize];
            let pos = cursor[o as usize];
            cursor[o as usize] += 1;
            occ[pos as usize] = Occ {
                time: post.time,
                account: post.account,
                object: o,
            };
            kept.push((post.account, pos, p));
        }
        drop(entries);
        drop(dense);
        drop(cursor);

        let n_accounts = dataset.accounts.len();
        let mut account_start = vec![0u32; n_accounts + 1];
        for &(a, _, _) in &kept {
            account_start[a as usize + 1] += 1;
        }
        for a in 0..n_accounts {
            account_start[a + 1] += account_start[a];
        }
        let mut cursor = account_start.clone();
        let mut account_occ = vec![AccOcc { pos: 0, post: 0 }; kept.len()];
        for &(a, pos, post) in &kept {
            account_occ[cursor[a as usize] as usize] = AccOcc { pos, post };
            cursor[a as usize] += 1;
        }

        Index {
            objects,
            start,
            occ,
            account_start,
            account_occ,
            posts_by_kind,
            objects_by_kind,
        }
    }

    pub fn object_range(&self, o: u32) -> (usize, usize) {
        (
            self.start[o as usize] as usize,
            self.start[o as usize + 1] as usize,
        )
    }

    pub fn account_shares(&self, a: u32) -> &[AccOcc] {
        &self.account_occ
            [self.account_start[a as usize] as usize..self.account_start[a as usize + 1] as usize]
    }

    /// How a reader finds the object: the shared post's id, the URL, the
    /// hashtags, or for a text the hash and the first post carrying it.
    pub fn label(&self, dataset: &Dataset, o: u32) -> String {
        let (kind, name) = self.objects[o as usize];
        match kind {
            ObjectKind::SharedPost => dataset.objects.name(name).to_owned(),
            ObjectKind::Url => dataset.urls.name(name).to_owned(),
            ObjectKind::HashtagSequence => dataset.posts[name as usize]
                .hashtags
                .iter()
                .map(|&t| format!("#{}", dataset.tags.name(t)))
                .collect::<Vec<_>>()
                .join(" "),
            ObjectKind::Text => {
                let post = &dataset.posts[name as usize];
                let account = &dataset.accounts[post.account as usize];
                let who = account.screen_name.as_deref().unwrap_or(&account.key);
                format!(
                    "text {:016x}, first posted by {who} at {}",
                    post.text_hash, post.time
                )
            }
        }
    }
}

/// Post indices are below 2^30: the two top bits of an entry's post say
/// which per-kind numbering its id is in (hashtag sequences and texts are
/// numbered as met, shared posts and URLs by their interners).
const TAG_FLAG: u32 = 1 << 30;
const TEXT_FLAG: u32 = 1 << 31;
const FLAGS: u32 = TAG_FLAG | TEXT_FLAG;
