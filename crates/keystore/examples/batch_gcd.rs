//! Times batch GCD (the `shared-factor` check) on N moduli of BITS bits.
//!
//!     cargo run --release -p tamis-keystore --example batch_gcd -- [N] [BITS]
//!
//! Generating 10,000 real RSA keys takes far longer than checking them, so
//! the moduli are random odd numbers of the right size (the arithmetic costs
//! the same), with a few planted pairs that share a factor; the run fails
//! unless every planted pair is found. Random numbers, unlike RSA moduli,
//! share small primes by chance, so many more are flagged than planted.

use std::time::Instant;
use tamis_keystore::moduli_sharing_a_factor;

/// splitmix64: deterministic, dependency-free, good enough to fill numbers.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// An odd number of exactly `bits` bits, big-endian.
    fn odd(&mut self, bits: usize) -> Vec<u8> {
        let mut bytes: Vec<u8> = (0..bits.div_ceil(8)).map(|_| self.next() as u8).collect();
        let top = bits % 8;
        if top != 0 {
            bytes[0] &= (1u8 << top) - 1;
            bytes[0] |= 1 << (top - 1);
        } else {
            bytes[0] |= 0x80;
        }
        *bytes.last_mut().expect("bits > 0") |= 1;
        bytes
    }
}

/// Big-endian product of two big-endian numbers (schoolbook; used only to
/// plant a handful of pairs).
fn multiply(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().rev().enumerate() {
        let mut carry = 0u32;
        for (j, &y) in b.iter().rev().enumerate() {
            let t = out[i + j] + u32::from(x) * u32::from(y) + carry;
            out[i + j] = t & 0xff;
            carry = t >> 8;
        }
        out[i + b.len()] += carry;
    }
    let mut bytes: Vec<u8> = out.iter().rev().map(|&v| v as u8).collect();
    while bytes.len() > 1 && bytes[0] == 0 {
        bytes.remove(0);
    }
    bytes
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map_or(10_000, |a| a.parse().expect("N is a number"));
    let bits: usize = args
        .next()
        .map_or(2048, |a| a.parse().expect("BITS is a number"));
    let planted_pairs = 5;
    let mut random = Random(0x7a31_5eed);
    let mut moduli: Vec<Vec<u8>> = (0..n).map(|_| random.odd(bits)).collect();
    let mut planted = Vec::new();
    for k in 0..planted_pairs {
        let prime_like = random.odd(bits / 2);
        let (i, j) = (
            k * 2 * n / (2 * planted_pairs + 1) + 1,
            (k * 2 + 1) * n / (2 * planted_pairs + 1) + 2,
        );
        moduli[i] = multiply(&prime_like, &random.odd(bits - bits / 2));
        moduli[j] = multiply(&prime_like, &random.odd(bits - bits / 2));
        planted.extend([i, j]);
    }
    let started = Instant::now();
    let flagged = moduli_sharing_a_factor(&moduli);
    let seconds = started.elapsed().as_secs_f64();
    let found = planted.iter().filter(|&&i| flagged[i]).count();
    println!(
        "batch GCD: {n} moduli of {bits} bits in {seconds:.2} s; {} flagged; planted {found}/{} found",
        flagged.iter().filter(|&&f| f).count(),
        planted.len()
    );
    assert_eq!(found, planted.len(), "a planted shared factor was missed");
}
