//! Batch GCD (Heninger, Durumeric, Wustrow, Halderman, "Mining Your Ps and
//! Qs", USENIX Security 2012; Bernstein's product and remainder trees).
//!
//! Two RSA moduli that share a prime are both factored by one gcd. Trying
//! every pair of n keys is n² gcds; instead:
//! 1. product tree: multiply the moduli pairwise, level by level, up to
//!    their product P;
//! 2. remainder tree: going back down, reduce the parent's remainder modulo
//!    the square of each node, so each leaf gets z_i = P mod N_i²;
//! 3. g_i = gcd(N_i, z_i / N_i): z_i / N_i is (P / N_i) mod N_i, the product
//!    of all *other* moduli modulo N_i, so g_i > 1 exactly when N_i shares
//!    a factor with another modulus.
//!
//! Cost is a few multiplications and divisions of the size of P per tree
//! level: O(n log² n) with fast arithmetic, which is why this runs on GMP
//! ([`super::gmp`]).

use super::gmp::Mpz;

/// For each modulus, the gcd of it with the product of all the others:
/// one when it shares no factor, a shared prime (or the modulus itself,
/// when both its primes are shared) otherwise.
///
/// Equal moduli count as sharing: callers that mean "the same key twice"
/// should pass each distinct modulus once.
pub fn shared_divisors(moduli: &[Mpz]) -> Vec<Mpz> {
    if moduli.is_empty() {
        return Vec::new();
    }
    let tree = product_tree(moduli);
    let mut remainders = vec![tree.last().expect("tree has a root")[0].clone()];
    for level in tree.iter().rev().skip(1) {
        remainders = level
            .iter()
            .enumerate()
            .map(|(i, node)| remainders[i / 2].rem(&node.square()))
            .collect();
    }
    moduli
        .iter()
        .zip(&remainders)
        .map(|(n, z)| n.gcd(&z.div_exact(n)))
        .collect()
}

/// Levels from the leaves (the moduli) up to the single product.
fn product_tree(moduli: &[Mpz]) -> Vec<Vec<Mpz>> {
    let mut levels = vec![moduli.to_vec()];
    while levels.last().expect("at least the leaves").len() > 1 {
        let below = levels.last().expect("at least the leaves");
        let above = below
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => a.mul(b),
                [a] => a.clone(),
                _ => unreachable!("chunks(2) yields one or two"),
            })
            .collect();
        levels.push(above);
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: u64) -> Mpz {
        Mpz::from_be_bytes(&v.to_be_bytes())
    }

    fn values(divisors: &[Mpz]) -> Vec<u64> {
        divisors
            .iter()
            .map(|d| {
                let bytes = d.to_be_bytes();
                let mut padded = [0u8; 8];
                padded[8 - bytes.len()..].copy_from_slice(&bytes);
                u64::from_be_bytes(padded)
            })
            .collect()
    }

    #[test]
    fn moduli_sharing_a_prime_are_found_and_others_are_not() {
        // 101*103 and 101*107 share 101; 109*113 and 127*131 share nothing.
        let moduli = [n(101 * 103), n(109 * 113), n(101 * 107), n(127 * 131)];
        assert_eq!(values(&shared_divisors(&moduli)), vec![101, 1, 101, 1]);
    }

    #[test]
    fn a_modulus_whose_both_primes_are_shared_yields_itself() {
        let moduli = [n(11 * 13), n(11 * 17), n(13 * 19), n(23 * 29), n(31 * 37)];
        assert_eq!(
            values(&shared_divisors(&moduli)),
            vec![11 * 13, 11, 13, 1, 1]
        );
    }

    #[test]
    fn one_modulus_and_none_share_nothing() {
        assert_eq!(values(&shared_divisors(&[n(11 * 13)])), vec![1]);
        assert!(shared_divisors(&[]).is_empty());
    }
}
