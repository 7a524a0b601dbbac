//! The modulus behind a group of signatures: for every signature `s` over
//! an encoded message `m` under the key `(n, e)`, `s^e ≡ m (mod n)`, so
//! `n` divides `s^e - m`, and the GCD of those differences over the group
//! is `n` times a cofactor that shrinks with every signature.

use super::{pkcs1, RecoveredKey, RecoveryError, SignedHash, MAX_SIGNATURES, MAX_SIGNATURE_BYTES};
use crate::trust::gmp::Mpz;
use std::sync::OnceLock;

/// The public exponents used in practice: 65537 (F4, the default of
/// OpenSSL, OpenDKIM's and every current key generator), 3 (older
/// generators chose it for fast verification), 17 and 5 (rarer, in old
/// keys). A wrong exponent yields a GCD of a few bits, and two exponents
/// both verifying every signature under one modulus does not happen with
/// real keys, so the order cannot change the answer, only the cost:
/// `s^e` for 3, 5 and 17 has a few thousand bits and costs microseconds,
/// while 65537 costs the one expensive GCD. Trying 65537 first would make
/// every e=3 key pay that GCD for nothing; trying it last costs a 65537
/// key nothing measurable.
const EXPONENTS: [u32; 4] = [3, 5, 17, 65537];

/// Trial division bound for the cofactor: primes below 2^16. A GCD that is
/// `n` times a few small primes is common with two signatures; after
/// stripping them, any prime left in the cofactor is at least 2^16, which
/// pushes the product beyond the modulus length and is caught there.
const SMALL_PRIME_BOUND: usize = 1 << 16;

/// How many bits beyond the modulus length a GCD may have and still be
/// treated as "n times small primes". Beyond it (related or repeated
/// inputs, or a hostile group) trial division and modular powers on the
/// oversized value would cost far more than they could find.
const COFACTOR_SLACK_BITS: usize = 1024;

/// One signature as integers.
struct Pair {
    s: Mpz,
    m: Mpz,
}

enum Outcome {
    Key(Mpz),
    /// A common divisor that is more than one modulus long, of this many
    /// bits.
    Cofactor(usize),
    Nothing,
}

pub(super) fn recover(signatures: &[SignedHash]) -> Result<RecoveredKey, RecoveryError> {
    let group = &signatures[..signatures.len().min(MAX_SIGNATURES)];
    if group.len() < 2 {
        return Err(RecoveryError::TooFewSignatures);
    }
    let k = group[0].signature.len();
    let mut encoded: Vec<(&[u8], Vec<u8>)> = Vec::with_capacity(group.len());
    for (index, signed) in group.iter().enumerate() {
        let bytes = signed.signature.len();
        if bytes > MAX_SIGNATURE_BYTES {
            return Err(RecoveryError::SignatureTooLong { index, bytes });
        }
        if bytes != k {
            return Err(RecoveryError::MixedLengths {
                expected: k,
                index,
                found: bytes,
            });
        }
        let expected = signed.hash.digest_len();
        if signed.digest.len() != expected {
            return Err(RecoveryError::DigestLength {
                index,
                expected,
                found: signed.digest.len(),
            });
        }
        let em = pkcs1::emsa_pkcs1_v15(signed.hash, &signed.digest, k).ok_or(
            RecoveryError::SignatureTooShort {
                bytes: k,
                needed: pkcs1::min_len(signed.hash),
            },
        )?;
        // The same message signed twice adds no equation: its difference
        // is the same number, and a group of copies would leave the whole
        // 100-million-bit difference as the "modulus".
        if !encoded
            .iter()
            .any(|(s, m)| *s == signed.signature.as_slice() && *m == em)
        {
            encoded.push((&signed.signature, em));
        }
    }
    if encoded.len() < 2 {
        return Err(RecoveryError::TooFewSignatures);
    }
    let pairs: Vec<Pair> = encoded
        .iter()
        .map(|(s, m)| Pair {
            s: Mpz::from_be_bytes(s),
            m: Mpz::from_be_bytes(m),
        })
        .collect();
    // n exceeds every signature (RFC 8017 §5.2.2 refuses s >= n) and every
    // encoded message; stripping must never go below this.
    let floor = pairs
        .iter()
        .flat_map(|p| [&p.s, &p.m])
        .max()
        .cloned()
        .unwrap_or_else(|| Mpz::from_be_bytes(&[]));
    let mut cofactor = None;
    for e in EXPONENTS {
        match try_exponent(&pairs, e, k, &floor) {
            Outcome::Key(n) => {
                return Ok(RecoveredKey {
                    modulus: n.to_be_bytes(),
                    exponent: e,
                    bits: u32::try_from(n.bits()).unwrap_or(u32::MAX),
                })
            }
            Outcome::Cofactor(bits) => {
                cofactor.get_or_insert(bits);
            }
            Outcome::Nothing => {}
        }
    }
    Err(match cofactor {
        Some(bits) => RecoveryError::CofactorRemains { bits },
        None => RecoveryError::NoCommonModulus,
    })
}

fn try_exponent(pairs: &[Pair], e: u32, k: usize, floor: &Mpz) -> Outcome {
    // A k-byte modulus has more than 8(k-1) bits: a common divisor any
    // smaller cannot be a multiple of it. k >= 46 (checked by the encoding).
    let min_bits = 8 * (k - 1) + 1;
    let max_bits = 8 * k;
    let Some((first, rest)) = pairs.split_first() else {
        return Outcome::Nothing;
    };
    let mut g = first.s.pow(e).abs_diff(&first.m);
    for pair in rest {
        if g.bits() < min_bits {
            return Outcome::Nothing;
        }
        let difference = if g.bits() <= max_bits + COFACTOR_SLACK_BITS {
            // Once g is about a modulus long, s^e - m is only needed mod g:
            // a modular power on numbers of a few thousand bits instead of
            // a 100-million-bit power, and gcd(g, x) = gcd(g, x mod g).
            pair.s.pow_mod(e, &g).abs_diff(&pair.m.rem(&g))
        } else {
            // Only the second signature, or an oversized g, gets here.
            pair.s.pow(e).abs_diff(&pair.m).rem(&g)
        };
        g = g.gcd(&difference);
    }
    if g.bits() < min_bits {
        return Outcome::Nothing;
    }
    if g.bits() > max_bits + COFACTOR_SLACK_BITS {
        return Outcome::Cofactor(g.bits());
    }
    let n = strip_small_factors(g, floor);
    if n.bits() < min_bits || !pairs.iter().all(|p| p.s.pow_mod(e, &n) == p.m) {
        return Outcome::Nothing;
    }
    // n times a cofactor verifies as well as n does (the congruences hold
    // modulo every divisor of the GCD), so only the length tells them apart.
    if n.bits() > max_bits {
        return Outcome::Cofactor(n.bits());
    }
    Outcome::Key(n)
}

/// Divides out primes below [`SMALL_PRIME_BOUND`] while what is left stays
/// above `floor`. What stays above the floor may still be a multiple of n;
/// what falls to it or below cannot be, so that division is not made. A
/// real RSA modulus has no prime factor this small, so only the cofactor
/// loses anything.
fn strip_small_factors(mut g: Mpz, floor: &Mpz) -> Mpz {
    for &p in small_primes() {
        while g.divisible_by(p) {
            let q = g.div_exact_small(p);
            if q <= *floor {
                break;
            }
            g = q;
        }
    }
    g
}

fn small_primes() -> &'static [u32] {
    static PRIMES: OnceLock<Vec<u32>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        let mut composite = vec![false; SMALL_PRIME_BOUND];
        let mut primes = Vec::new();
        for i in 2..SMALL_PRIME_BOUND {
            if composite[i] {
                continue;
            }
            primes.extend(u32::try_from(i).ok());
            for multiple in (i * i..SMALL_PRIME_BOUND).step_by(i) {
                composite[multiple] = true;
            }
        }
        primes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sieve_finds_the_primes_below_2_16() {
        let primes = small_primes();
        assert_eq!(primes.len(), 6542);
        assert_eq!(&primes[..5], &[2, 3, 5, 7, 11]);
        assert_eq!(primes.last(), Some(&65521));
    }

    #[test]
    fn stripping_stops_at_the_floor() {
        // 1009 * 2^3 * 3 with floor 1000: strips 2, 2, 2, 3 down to 1009.
        let g = Mpz::from_be_bytes(&24216u32.to_be_bytes());
        let floor = Mpz::from_be_bytes(&1000u32.to_be_bytes());
        assert_eq!(
            strip_small_factors(g.clone(), &floor).to_be_bytes(),
            1009u32.to_be_bytes()[2..].to_vec()
        );
        // With floor 1009 dividing out the 3 would reach it: 3027 stays.
        let floor = Mpz::from_be_bytes(&1009u32.to_be_bytes());
        assert_eq!(
            strip_small_factors(g, &floor).to_be_bytes(),
            3027u32.to_be_bytes()[2..].to_vec()
        );
    }
}
