//! A minimal DKIM signer for tests, written from RFC 6376 independently of the
//! crate's verifier (it only borrows the crate's canonicalization, which has
//! its own RFC example tests).

#![allow(dead_code)]

use base64::{engine::general_purpose::STANDARD, Engine};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tamis_mailauth::common::canon::{canonicalize_body, canonicalize_header, Canon};
use tamis_mailauth::common::header::{split_message, HeaderField};
use tamis_mailauth::{TxtLookup, TxtRecord};

pub enum TestKey {
    Rsa(rsa::RsaPrivateKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl TestKey {
    pub fn rsa(pem: &str) -> TestKey {
        TestKey::Rsa(rsa::RsaPrivateKey::from_pkcs8_pem(pem).expect("test key"))
    }

    pub fn ed25519(seed: u8) -> TestKey {
        TestKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[seed; 32]))
    }

    /// The DNS TXT record publishing this key.
    pub fn record(&self) -> String {
        match self {
            TestKey::Rsa(key) => {
                let der = key.to_public_key().to_public_key_der().unwrap();
                format!("v=DKIM1; k=rsa; p={}", STANDARD.encode(der.as_bytes()))
            }
            TestKey::Ed25519(key) => format!(
                "v=DKIM1; k=ed25519; p={}",
                STANDARD.encode(key.verifying_key().as_bytes())
            ),
        }
    }
}

pub const RSA_1024: &str = include_str!("../keys/rsa1024.pem");
pub const RSA_1024_OTHER: &str = include_str!("../keys/rsa1024_other.pem");
pub const RSA_512: &str = include_str!("../keys/rsa512.pem");
pub const RSA_8192: &str = include_str!("../keys/rsa8192.pem");

pub struct Signer<'k> {
    pub key: &'k TestKey,
    pub domain: &'static str,
    pub selector: &'static str,
    /// `rsa-sha256`, `rsa-sha1` or `ed25519-sha256`.
    pub algorithm: &'static str,
    pub header_canon: Canon,
    pub body_canon: Canon,
    pub signed_headers: &'static str,
    pub body_length: Option<usize>,
    /// Extra tags, each ending in `; `.
    pub extra: String,
}

impl<'k> Signer<'k> {
    pub fn new(key: &'k TestKey) -> Self {
        Signer {
            key,
            domain: "example.com",
            selector: "sel",
            algorithm: match key {
                TestKey::Rsa(_) => "rsa-sha256",
                TestKey::Ed25519(_) => "ed25519-sha256",
            },
            header_canon: Canon::Relaxed,
            body_canon: Canon::Relaxed,
            signed_headers: "from:to:subject:date",
            body_length: None,
            extra: String::new(),
        }
    }

    fn hash(&self, data: &[u8]) -> Vec<u8> {
        if self.algorithm.ends_with("sha1") {
            sha1::Sha1::digest(data).to_vec()
        } else {
            Sha256::digest(data).to_vec()
        }
    }

    /// `message` with a DKIM-Signature field added on top.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let split = split_message(message).unwrap();
        let body = canonicalize_body(self.body_canon, split.body);
        let signed_body = &body[..self.body_length.unwrap_or(body.len()).min(body.len())];
        let l = self
            .body_length
            .map(|l| format!("l={l}; "))
            .unwrap_or_default();
        let name = |c: Canon| {
            if c == Canon::Simple {
                "simple"
            } else {
                "relaxed"
            }
        };
        let value = format!(
            " v=1; a={}; c={}/{}; d={}; s={}; h={}; {}{}bh={}; b=",
            self.algorithm,
            name(self.header_canon),
            name(self.body_canon),
            self.domain,
            self.selector,
            self.signed_headers,
            l,
            self.extra,
            STANDARD.encode(self.hash(signed_body)),
        );
        let mut input = Vec::new();
        let mut used: HashMap<String, usize> = HashMap::new();
        for wanted in self.signed_headers.split(':') {
            let wanted = wanted.trim().to_ascii_lowercase();
            let taken = used.entry(wanted.clone()).or_default();
            let instance = split
                .headers
                .iter()
                .rev()
                .filter(|f| f.name.eq_ignore_ascii_case(wanted.as_bytes()))
                .nth(*taken);
            if let Some(field) = instance {
                canonicalize_header(self.header_canon, field, &mut input);
                *taken += 1;
            }
        }
        let raw = format!("DKIM-Signature:{value}");
        let field = HeaderField {
            name: b"DKIM-Signature",
            value: value.as_bytes(),
            raw: raw.as_bytes(),
            offset: 0,
        };
        canonicalize_header(self.header_canon, &field, &mut input);
        input.truncate(input.len() - 2);
        let signature = match self.key {
            TestKey::Rsa(key) => {
                let prefix: &[u8] = if self.algorithm.ends_with("sha1") {
                    &[
                        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05,
                        0x00, 0x04, 0x14,
                    ]
                } else {
                    &[
                        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
                        0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
                    ]
                };
                let mut info = prefix.to_vec();
                info.extend(self.hash(&input));
                key.sign(rsa::Pkcs1v15Sign::new_unprefixed(), &info)
                    .unwrap()
            }
            TestKey::Ed25519(key) => {
                use ed25519_dalek::Signer as _;
                key.sign(&Sha256::digest(&input)).to_bytes().to_vec()
            }
        };
        let mut out = format!("{raw}{}\r\n", STANDARD.encode(signature)).into_bytes();
        out.extend_from_slice(message);
        out
    }
}

/// Key sources holding `records` for `sel._domainkey.example.com`.
pub fn keys_for(records: &[String]) -> HashMap<String, TxtLookup> {
    keys_at("sel._domainkey.example.com", records)
}

pub fn keys_at(name: &str, records: &[String]) -> HashMap<String, TxtLookup> {
    let found = records
        .iter()
        .enumerate()
        .map(|(i, value)| TxtRecord {
            value: value.clone(),
            source: format!("test.zone:{}", i + 1),
            ..TxtRecord::default()
        })
        .collect();
    HashMap::from([(name.to_owned(), TxtLookup::Found(found))])
}

pub const MESSAGE: &[u8] = b"From: Alice <alice@example.com>\r\n\
To: Bob <bob@example.org>\r\n\
Subject: Meeting\r\n\
Date: Fri, 5 May 2017 10:00:00 +0200\r\n\
Message-ID: <1@example.com>\r\n\
\r\n\
See you at noon.\r\n";

pub fn replace(haystack: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(haystack.to_vec()).unwrap();
    assert!(text.contains(from), "{from:?} not in message");
    text.replacen(from, to, 1).into_bytes()
}
