//! The word sequences kept between reading the messages and comparing
//! them: own texts and segments, as compact as the comparison allows.
//!
//! A word key (64 bits) is interned once as a number, in the order words
//! are first met, and a text is the LEB128 encoding of its numbers: one
//! byte a word for the 128 first words met (the common ones come early),
//! two bytes up to 16,384. Identical texts (the same quoted block in every
//! later reply of a thread, a message and its copy) are kept once. Decoding
//! gives back the exact keys, so the comparison is the same as on the keys.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::text::text_hash;

/// Word keys and text hashes are already mixed: hashed as they are.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// A text of the store.
pub(crate) type TextId = u32;

#[derive(Default)]
pub(crate) struct Store {
    numbers: KeyMap<u32>,
    keys: Vec<u64>,
    texts: Vec<Text>,
    /// The first text of each hash, to keep identical texts once.
    by_hash: KeyMap<TextId>,
    scratch: Vec<u8>,
}

struct Text {
    words: u32,
    hash: u64,
    bytes: Box<[u8]>,
}

impl Store {
    /// The text with these keys (added if it is not there yet).
    pub fn add(&mut self, keys: &[u64]) -> TextId {
        let hash = text_hash(keys);
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        for &k in keys {
            let next = self.keys.len() as u32;
            let n = *self.numbers.entry(k).or_insert(next);
            if n == next {
                self.keys.push(k);
            }
            let mut v = n;
            while v >= 0x80 {
                bytes.push((v as u8) | 0x80);
                v >>= 7;
            }
            bytes.push(v as u8);
        }
        let found = self.by_hash.get(&hash).copied();
        if let Some(t) = found {
            let text = &self.texts[t as usize];
            if text.words as usize == keys.len() && *text.bytes == *bytes {
                self.scratch = bytes;
                return t;
            }
        }
        let t = self.texts.len() as TextId;
        self.texts.push(Text {
            words: keys.len() as u32,
            hash,
            bytes: bytes.as_slice().into(),
        });
        if found.is_none() {
            self.by_hash.insert(hash, t);
        }
        self.scratch = bytes;
        t
    }

    pub fn len(&self, t: TextId) -> usize {
        self.texts[t as usize].words as usize
    }

    /// [`text_hash`] of the text's keys.
    pub fn hash(&self, t: TextId) -> u64 {
        self.texts[t as usize].hash
    }

    /// The text's keys, into `out` (cleared first).
    pub fn keys_into(&self, t: TextId, out: &mut Vec<u64>) {
        out.clear();
        out.reserve(self.len(t));
        out.extend(self.iter(t));
    }

    pub fn keys(&self, t: TextId) -> Vec<u64> {
        let mut out = Vec::new();
        self.keys_into(t, &mut out);
        out
    }

    /// The text's keys, first to last.
    pub fn iter(&self, t: TextId) -> impl Iterator<Item = u64> + '_ {
        let bytes = &self.texts[t as usize].bytes;
        let mut i = 0;
        std::iter::from_fn(move || {
            if i >= bytes.len() {
                return None;
            }
            let mut v = 0u32;
            let mut shift = 0;
            loop {
                let b = bytes[i];
                i += 1;
                v |= u32::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            Some(self.keys[v as usize])
        })
    }

    /// The text's keys, last to first.
    pub fn rev(&self, t: TextId) -> impl Iterator<Item = u64> + '_ {
        let bytes = &self.texts[t as usize].bytes;
        let mut end = bytes.len();
        std::iter::from_fn(move || {
            if end == 0 {
                return None;
            }
            // The number ends at `end - 1` (high bit clear); it starts after
            // the previous byte with a clear high bit.
            let mut start = end - 1;
            while start > 0 && bytes[start - 1] & 0x80 != 0 {
                start -= 1;
            }
            let mut v = 0u32;
            for (k, &b) in bytes[start..end].iter().enumerate() {
                v |= u32::from(b & 0x7f) << (7 * k);
            }
            end = start;
            Some(self.keys[v as usize])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_sharing() {
        let mut s = Store::default();
        let a: Vec<u64> = (0..1000u64).map(|i| crate::text::mix(i % 300)).collect();
        let b: Vec<u64> = (0..20_000u64).map(crate::text::mix).collect();
        let ta = s.add(&a);
        let tb = s.add(&b);
        let te = s.add(&[]);
        assert_eq!(s.keys(ta), a);
        assert_eq!(s.keys(tb), b);
        assert!(s.keys(te).is_empty());
        assert_eq!(s.len(tb), b.len());
        assert_eq!(s.hash(ta), text_hash(&a));
        let mut r: Vec<u64> = s.rev(tb).collect();
        r.reverse();
        assert_eq!(r, b);
        assert_eq!(s.add(&a), ta);
        assert_eq!(s.add(&b[..10]), 3);
    }
}
