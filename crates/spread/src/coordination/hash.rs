//! A multiplicative hasher for the integer keys of this module: the
//! standard SipHash costs more than the rest of a pair update, and these
//! keys are our own indices, not attacker-chosen strings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub(crate) struct IntHasher(u64);

impl Hasher for IntHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        // hashbrown takes its control bits from the top of the hash: fold
        // the well-mixed high half down so both ends vary.
        self.0 ^ (self.0 >> 29)
    }
}

pub(crate) type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// Two `u32` indices as one key.
pub(crate) fn pack(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// A 64-bit digest of an ordered sequence of interned ids (hashtag
/// sequences): splitmix64 steps, so that order and length both matter.
pub(crate) fn sequence_digest(ids: &[u32]) -> u64 {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64 ^ ids.len() as u64;
    for &id in ids {
        state = mix(state ^ u64::from(id));
    }
    state
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
