//! How a mark becomes bits in each carrier, with the checks that keep a
//! random pattern from reading as a mark.

use super::Mark;
use sha2::{Digest, Sha256};

/// XORed into the property GUID, so that its first bytes are not the mark
/// in clear (two copies side by side still differ, as any two GUIDs do).
const PROPERTY_MASK: [u8; 4] = [0x5a, 0x3c, 0x96, 0xe1];

fn sha(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u32).to_be_bytes());
        h.update(p);
    }
    h.finalize().into()
}

/// The zero-width codeword: the mark and a 16-bit check.
pub(crate) fn zero_width_code(mark: Mark) -> u64 {
    let check = sha(&[b"tamis-decoy-zero-width", &mark.0.to_be_bytes()]);
    (u64::from(mark.0) << 16) | u64::from(u16::from_be_bytes([check[0], check[1]]))
}

pub(crate) fn zero_width_mark(code: u64) -> Option<Mark> {
    let mark = Mark((code >> 16) as u32);
    (mark.0 != 0 && zero_width_code(mark) == code).then_some(mark)
}

/// The property value: a version-4-looking GUID whose first four bytes
/// are the mark XOR a constant and whose other 96 bits check them.
pub(crate) fn property_value(mark: Mark) -> String {
    let mut b = [0u8; 16];
    for (i, m) in mark.0.to_be_bytes().iter().enumerate() {
        b[i] = m ^ PROPERTY_MASK[i];
    }
    let check = sha(&[b"tamis-decoy-property", &b[..4]]);
    b[4..].copy_from_slice(&check[..12]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// The mark of a property value, if it is one of ours.
pub(crate) fn property_mark(value: &str) -> Option<Mark> {
    let v = value.trim().trim_start_matches('{').trim_end_matches('}');
    if v.len() != 36 {
        return None;
    }
    let bytes = hex::decode(v.replace('-', "")).ok()?;
    let mut m = [0u8; 4];
    for i in 0..4 {
        m[i] = bytes[i] ^ PROPERTY_MASK[i];
    }
    let mark = Mark(u32::from_be_bytes(m));
    (mark.0 != 0 && property_value(mark).eq_ignore_ascii_case(v)).then_some(mark)
}

/// The `attempt`-th pseudo-random pattern of `n` bits for a mark, a
/// carrier and a template.
pub(crate) fn pattern(
    carrier: &str,
    template: &str,
    mark: Mark,
    attempt: u32,
    n: usize,
) -> Vec<u8> {
    let mut bits = Vec::with_capacity(n);
    let mut block = 0u32;
    while bits.len() < n {
        let h = sha(&[
            b"tamis-decoy-pattern",
            carrier.as_bytes(),
            template.as_bytes(),
            &mark.0.to_be_bytes(),
            &attempt.to_be_bytes(),
            &block.to_be_bytes(),
        ]);
        for byte in h {
            for k in 0..8 {
                if bits.len() < n {
                    bits.push(byte >> k & 1);
                }
            }
        }
        block += 1;
    }
    bits
}

pub(crate) fn distance(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

/// Patterns of `n` bits for each mark, in order, each at least `min`
/// (when it can be found in a bounded search) from the `nulls` (what an
/// unmarked or normalised text shows) and from the patterns before it.
pub(crate) fn choose_patterns(
    carrier: &str,
    template: &str,
    marks: &[Mark],
    nulls: &[Vec<u8>],
    n: usize,
) -> Vec<Vec<u8>> {
    const TRIES: u32 = 2000;
    let min = (n / 4).max(3).min(n);
    let mut chosen: Vec<Vec<u8>> = Vec::new();
    for &mark in marks {
        let mut best: Option<(usize, Vec<u8>)> = None;
        for attempt in 0..TRIES {
            let p = pattern(carrier, template, mark, attempt, n);
            let d = nulls
                .iter()
                .chain(chosen.iter())
                .map(|q| distance(&p, q))
                .min()
                .unwrap_or(n);
            if best.as_ref().is_none_or(|(bd, _)| d > *bd) {
                best = Some((d, p));
            }
            if d >= min {
                break;
            }
        }
        chosen.push(best.map(|(_, p)| p).unwrap_or_default());
    }
    chosen
}

pub(crate) fn bits_to_string(bits: &[u8]) -> String {
    bits.iter()
        .map(|b| if *b == 1 { '1' } else { '0' })
        .collect()
}

pub(crate) fn string_to_bits(s: &str) -> Vec<u8> {
    s.bytes().map(|b| u8::from(b == b'1')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_round_trip_and_random_guids_fail() {
        let mark = Mark(0xDEAD_BEEF);
        let v = property_value(mark);
        assert_eq!(v.len(), 36);
        assert_eq!(&v[14..15], "4");
        assert_eq!(property_mark(&v), Some(mark));
        assert_eq!(
            property_mark(&format!("{{{}}}", v.to_uppercase())),
            Some(mark)
        );
        assert_eq!(property_mark("0b7e3b4c-5d1a-4e7f-9c2b-8a6d4f1e2c3b"), None);
    }

    #[test]
    fn zero_width_check() {
        let code = zero_width_code(Mark(42));
        assert_eq!(zero_width_mark(code), Some(Mark(42)));
        assert_eq!(zero_width_mark(code ^ 1), None);
        assert_eq!(zero_width_mark(0), None);
    }
}
