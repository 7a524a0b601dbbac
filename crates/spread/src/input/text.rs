//! Normalised text, URLs and hashtags, so that the same thing written
//! slightly differently counts once.
//!
//! Text: near-identical posts (copy-paste campaigns, bots varying a link or
//! a mention) must hash alike. The text is lower-cased; a leading `RT @x:`,
//! every URL (a word holding `://`, or starting `www.`), every @mention, the
//! HTML entities Twitter escapes (`&amp;`, `&lt;`, `&gt;`) and every
//! character that is not a letter or digit are dropped, the latter acting as
//! word breaks (so `#Hashtag` and `hashtag` match, emoji do not count);
//! what remains is the words joined by single spaces, hashed with FNV-1a
//! (64 bits) and a final mix, fixed so the value is the same on every run
//! and machine. Text with no word left hashes to 0, "no text": an emoji or
//! a bare link says nothing to compare.

use std::borrow::Cow;

/// The hash of the normalised text, never 0 when some word is left.
pub fn text_hash(text: &str) -> u64 {
    let mut hash = Fnv::new();
    let mut any = false;
    for_each_normalised(text, |bytes| {
        any = true;
        hash.write(bytes);
    });
    if !any {
        return 0;
    }
    match hash.finish() {
        0 => 1,
        h => h,
    }
}

/// The normalised text itself, as [`text_hash`] sees it.
pub fn normalise_text(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    for_each_normalised(text, |bytes| out.extend_from_slice(bytes));
    // Only whole characters are emitted, so this never replaces anything.
    String::from_utf8_lossy(&out).into_owned()
}

const ENTITIES: [&[u8]; 5] = [b"&amp;", b"&lt;", b"&gt;", b"&quot;", b"&#39;"];

/// Feeds `emit` the normalised text as UTF-8 pieces (whole characters),
/// without allocating: this runs once per post, so ASCII takes a byte
/// path and only other characters are decoded and lower-cased.
fn for_each_normalised(text: &str, mut emit: impl FnMut(&[u8])) {
    let mut words = text.split_whitespace().peekable();
    // A retweet's text is `RT @author: original`; the prefix is not the
    // author's words. The mention itself goes with the mention rule below.
    if let Some(first) = words.peek() {
        if first.eq_ignore_ascii_case("rt") {
            let mut ahead = words.clone();
            ahead.next();
            if ahead.peek().is_some_and(|second| second.starts_with('@')) {
                words.next();
            }
        }
    }
    let mut pending_space = false;
    let mut started = false;
    for word in words {
        let word = match word.as_bytes().windows(3).position(|w| w == b"://") {
            // Keep what is glued before the scheme (`text:https://…`).
            Some(at) => {
                let scheme = word.as_bytes()[..at]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                word.get(..at - scheme).unwrap_or_default()
            }
            None => word,
        };
        let core = word.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@');
        if core.starts_with('@')
            || core
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case("www."))
        {
            continue;
        }
        pending_space |= started;
        let bytes = word.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii() {
                if b == b'&' {
                    if let Some(entity) = ENTITIES.iter().find(|e| bytes[i..].starts_with(e)) {
                        i += entity.len();
                        pending_space |= started;
                        continue;
                    }
                }
                i += 1;
                if b.is_ascii_alphanumeric() {
                    if pending_space {
                        emit(b" ");
                        pending_space = false;
                    }
                    emit(&[b.to_ascii_lowercase()]);
                    started = true;
                } else {
                    pending_space |= started;
                }
                continue;
            }
            let Some(c) = word.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            if c.is_alphanumeric() {
                if pending_space {
                    emit(b" ");
                    pending_space = false;
                }
                let mut buf = [0u8; 4];
                for lower in c.to_lowercase() {
                    emit(lower.encode_utf8(&mut buf).as_bytes());
                }
                started = true;
            } else {
                pending_space |= started;
            }
        }
    }
}

/// FNV-1a, 64 bits: tiny, stable across versions and platforms (unlike
/// std's `DefaultHasher`, whose algorithm may change).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// FNV's low bits are weak on short inputs; the murmur3 finaliser
    /// spreads them so the hash can be used to bucket.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        h
    }
}

/// A URL in the form tamis compares: scheme and host lower-cased, the
/// fragment, `utm_*` tracking parameters and trailing slashes dropped.
/// Anything else (path case, other parameters, `www.`) is kept: it may
/// name a different page.
pub fn normalise_url(url: &str) -> Cow<'_, str> {
    let url = url.trim();
    if already_normal(url) {
        return Cow::Borrowed(url);
    }
    Cow::Owned(rewrite_url(url))
}

/// True when [`normalise_url`] would leave `url` as it is: most expanded
/// URLs, and the check costs less than the copy.
fn already_normal(url: &str) -> bool {
    if url.ends_with('/') || url.contains(['#', '?']) {
        return false;
    }
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let host_end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |at| after_scheme + at);
    !url[..host_end].chars().any(char::is_uppercase)
}

fn rewrite_url(url: &str) -> String {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) =>
        {
            (Some(scheme), rest)
        }
        _ => (None, url),
    };
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, rest) = rest.split_at(host_end);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.trim_end_matches('/');

    let mut out = String::with_capacity(url.len());
    if let Some(scheme) = scheme {
        out.push_str(&scheme.to_ascii_lowercase());
        out.push_str("://");
    }
    out.push_str(&host.to_lowercase());
    out.push_str(path);
    let mut first = true;
    for param in query.split('&') {
        let key = param.split_once('=').map_or(param, |(k, _)| k);
        if param.is_empty() || key.get(..4).is_some_and(|k| k.eq_ignore_ascii_case("utm_")) {
            continue;
        }
        out.push(if first { '?' } else { '&' });
        out.push_str(param);
        first = false;
    }
    out
}

/// A hashtag as tamis keys it: without `#`, lower-cased.
pub fn normalise_tag(tag: &str) -> Cow<'_, str> {
    let tag = tag.trim().trim_start_matches(['#', '＃']);
    if tag.chars().any(char::is_uppercase) {
        Cow::Owned(tag.to_lowercase())
    } else {
        Cow::Borrowed(tag)
    }
}

/// Whether `tag` (as written) is `wanted` (already normalised).
pub(crate) fn tag_is(tag: &str, wanted: &str) -> bool {
    let tag = tag.trim().trim_start_matches(['#', '＃']);
    if tag.is_ascii() {
        tag.eq_ignore_ascii_case(wanted)
    } else {
        normalise_tag(tag) == wanted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_normalised() {
        assert_eq!(
            normalise_text("RT @Someone: Hello,   WORLD!! https://t.co/abc #MacronLeaks @friend"),
            "hello world macronleaks"
        );
        assert_eq!(normalise_text("rt @x Same text"), "same text");
        // Only a leading RT followed by a mention is the retweet prefix.
        assert_eq!(normalise_text("RT this now"), "rt this now");
        assert_eq!(normalise_text("hello,world"), "hello world");
        assert_eq!(normalise_text("Tom &amp; Jerry &lt;3"), "tom jerry 3");
        assert_eq!(normalise_text("read:https://x.org/a more"), "read more");
        assert_eq!(normalise_text("see www.example.org now"), "see now");
        assert_eq!(normalise_text(".@user said (@other) yes"), "said yes");
        assert_eq!(normalise_text("Élysée ÉTÉ 2017"), "élysée été 2017");
        assert_eq!(normalise_text("日本語 テキスト"), "日本語 テキスト");
        assert_eq!(normalise_text("  \n\t "), "");
        assert_eq!(normalise_text("🔥🔥 https://t.co/x"), "");
    }

    #[test]
    fn near_identical_texts_hash_alike() {
        let a = text_hash("RT @bot1: Macron LEAKS: the truth!!! https://t.co/AAA");
        let b = text_hash("macron leaks the truth https://t.co/BBB @bot2");
        let c = text_hash("Macron leaks: the truth?");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_ne!(a, 0);
        assert_ne!(a, text_hash("Macron leaks: a lie"));
        assert_eq!(text_hash(""), 0);
        assert_eq!(text_hash("@only https://t.co/x"), 0);
    }

    #[test]
    fn text_hash_is_fixed() {
        // A stored value: the hash must not change between runs, builds or
        // versions, or reports stop being comparable.
        assert_eq!(text_hash("hello world"), text_hash("Hello, World!"));
        let mut fnv = Fnv::new();
        fnv.write(b"hello world");
        assert_eq!(fnv.0, 0x779a_65e7_023c_d2e7);
        assert_eq!(text_hash("hello world"), fnv.finish());
    }

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            normalise_url("HTTPS://Example.COM/Path/?utm_source=tw&id=3&UTM_medium=x#top"),
            "https://example.com/Path?id=3"
        );
        assert_eq!(normalise_url("https://example.com/"), "https://example.com");
        assert_eq!(
            normalise_url("http://example.com?utm_campaign=a"),
            "http://example.com"
        );
        assert_eq!(
            normalise_url("https://pastebin.com/ABCdef"),
            "https://pastebin.com/ABCdef"
        );
        assert_eq!(normalise_url("Example.com/a/"), "example.com/a");
        assert_eq!(
            normalise_url(" https://a.org/x?b=1&&c=2 "),
            "https://a.org/x?b=1&c=2"
        );
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalise_tag("#MacronLeaks"), "macronleaks");
        assert_eq!(normalise_tag("macronleaks"), "macronleaks");
        assert!(matches!(normalise_tag("already"), Cow::Borrowed(_)));
        assert_eq!(normalise_tag("ÉLYSÉE"), "élysée");
        assert!(tag_is("#MacronLeaks", "macronleaks"));
        assert!(tag_is("ÉLYSÉE", "élysée"));
        assert!(!tag_is("Macron", "macronleaks"));
    }
}
