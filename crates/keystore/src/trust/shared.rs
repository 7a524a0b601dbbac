//! `shared-factor`: batch GCD over every distinct RSA modulus in the store.

use super::batch_gcd::shared_divisors;
use super::gmp::Mpz;
use crate::model::KeyId;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// Partners are named by pairwise gcds among the flagged moduli only; past
/// this many flagged moduli that quadratic step is skipped and the detail
/// says so (real stores flag a handful; random test data flags thousands).
const MAX_FLAGGED_FOR_PARTNERS: usize = 1000;

pub(crate) struct SharedFactors {
    /// Distinct moduli examined.
    pub moduli: usize,
    /// Every key whose modulus shares a prime, with the reason in words.
    pub flagged: Vec<(KeyId, String)>,
}

/// The keys sharing one modulus (the same key under several names is not a
/// shared factor, so moduli are deduplicated before batch GCD).
struct Modulus {
    value: Mpz,
    keys: Vec<(KeyId, String)>,
}

pub(crate) fn shared_factors(conn: &Connection) -> rusqlite::Result<SharedFactors> {
    let mut statement = conn.prepare(
        "SELECT id, selector, domain, rsa_modulus_hex FROM keys
         WHERE key_type = 'rsa' AND rsa_modulus_hex IS NOT NULL ORDER BY id",
    )?;
    let mut by_hex: BTreeMap<String, Vec<(KeyId, String)>> = BTreeMap::new();
    let rows = statement.query_map([], |row| {
        let name = format!(
            "{}._domainkey.{}",
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?
        );
        Ok((KeyId(row.get(0)?), name, row.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (id, name, hex) = row?;
        by_hex.entry(hex).or_default().push((id, name));
    }
    let moduli: Vec<Modulus> = by_hex
        .into_iter()
        .filter_map(|(hex, keys)| {
            let bytes = hex::decode(hex).ok()?;
            Some(Modulus {
                value: Mpz::from_be_bytes(&bytes),
                keys,
            })
        })
        .collect();
    let values: Vec<Mpz> = moduli.iter().map(|m| m.value.clone()).collect();
    let divisors = shared_divisors(&values);
    let flagged: Vec<usize> = (0..moduli.len())
        .filter(|&i| !divisors[i].is_one())
        .collect();
    let mut out = Vec::new();
    for &i in &flagged {
        let bits = moduli[i].value.bits();
        let detail = if flagged.len() > MAX_FLAGGED_FOR_PARTNERS {
            format!("the {bits}-bit modulus shares a prime with another modulus in the store; both are factored")
        } else {
            let partners: Vec<String> = flagged
                .iter()
                .filter(|&&j| j != i && !divisors[i].gcd(&moduli[j].value).is_one())
                .flat_map(|&j| {
                    moduli[j]
                        .keys
                        .iter()
                        .map(|(id, name)| format!("{name} (key {})", id.0))
                })
                .collect();
            format!(
                "the {bits}-bit modulus shares a prime with {}; both are factored",
                partners.join(", ")
            )
        };
        for (id, _) in &moduli[i].keys {
            out.push((*id, detail.clone()));
        }
    }
    out.sort_by_key(|(id, _)| *id);
    Ok(SharedFactors {
        moduli: moduli.len(),
        flagged: out,
    })
}
