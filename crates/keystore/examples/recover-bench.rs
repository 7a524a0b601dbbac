//! Times RSA key recovery from signatures (`tamis_keystore::recover`).
//!
//!     cargo run --release -p tamis-keystore --example recover-bench -- [RUNS]
//!
//! Real keys (made by `rsa`, not timed), PKCS#1 v1.5 signatures over random
//! SHA-256 digests, and each recovery checked against the key. Rows:
//! exponent 65537 from 2 and 3 signatures (the one big GCD of the first
//! pair is the whole cost; later signatures are modular powers); exponent 3
//! (tried first, milliseconds); and a group mixing two keys, which pays the
//! 65537 GCD for nothing, as every failed recovery does. Each time is the
//! median of RUNS runs (default 3).

use rsa::rand_core::{OsRng, RngCore};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};
use std::time::Instant;
use tamis_keystore::recover::{recover_rsa_key, HashAlg, RecoveryError, SignedHash};

struct Row {
    bits: usize,
    exponent: u32,
    signatures: usize,
    /// Half the signatures from a second key of the same size.
    two_keys: bool,
}

fn sign(key: &RsaPrivateKey) -> SignedHash {
    let mut digest = vec![0u8; 32];
    OsRng.fill_bytes(&mut digest);
    let signature = key
        .sign(Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
        .expect("signing with a fresh key");
    SignedHash {
        signature,
        hash: HashAlg::Sha256,
        digest,
    }
}

fn median(mut seconds: Vec<f64>) -> f64 {
    seconds.sort_by(f64::total_cmp);
    let mid = seconds.len() / 2;
    if seconds.len() % 2 == 1 {
        seconds[mid]
    } else {
        (seconds[mid - 1] + seconds[mid]) / 2.0
    }
}

/// Seconds for the 65537 rows, milliseconds for the others.
fn duration(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{:.2} ms", seconds * 1000.0)
    }
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(3, |a| a.parse().expect("RUNS is a number"));
    assert!(runs > 0, "RUNS must be at least 1");
    let rows = [
        (1024, 65537, 2, false),
        (1024, 65537, 3, false),
        (2048, 65537, 2, false),
        (2048, 65537, 3, false),
        (1024, 3, 2, false),
        (2048, 3, 2, false),
        (1024, 65537, 2, true),
        (2048, 65537, 2, true),
    ]
    .map(|(bits, exponent, signatures, two_keys)| Row {
        bits,
        exponent,
        signatures,
        two_keys,
    });
    println!("| key | signatures | median | min | max | result |");
    println!("| --- | ---: | ---: | ---: | ---: | --- |");
    for row in rows {
        let new_key = || {
            RsaPrivateKey::new_with_exp(&mut OsRng, row.bits, &BigUint::from(row.exponent))
                .expect("key generation")
        };
        let key = new_key();
        let mut group: Vec<SignedHash> = (0..row.signatures).map(|_| sign(&key)).collect();
        if row.two_keys {
            let other = new_key();
            for signed in group.iter_mut().skip(row.signatures / 2) {
                *signed = sign(&other);
            }
        }
        let mut times = Vec::with_capacity(runs);
        let mut outcome = String::new();
        for _ in 0..runs {
            let started = Instant::now();
            let result = recover_rsa_key(&group);
            times.push(started.elapsed().as_secs_f64());
            outcome = match (result, row.two_keys) {
                (Ok(found), false) => {
                    assert_eq!(found.modulus, key.n().to_bytes_be(), "wrong modulus");
                    assert_eq!(found.exponent, row.exponent, "wrong exponent");
                    format!("key recovered (e={})", found.exponent)
                }
                (Err(RecoveryError::NoCommonModulus), true) => "no common modulus".to_owned(),
                (other, _) => panic!("unexpected outcome: {other:?}"),
            };
        }
        let (min, max) = times
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), &t| (lo.min(t), hi.max(t)));
        println!(
            "| {} bits, e={}{} | {} | {} | {} | {} | {} |",
            row.bits,
            row.exponent,
            if row.two_keys { ", two keys" } else { "" },
            row.signatures,
            duration(median(times)),
            duration(min),
            duration(max),
            outcome
        );
    }
}
