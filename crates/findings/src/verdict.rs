use serde::{Deserialize, Serialize};
use std::fmt;

/// The authenticity verdict of one message (DESIGN.md, "Authenticity
/// vocabulary"). Variants are declared strongest first: a message gets the
/// strongest verdict any of its signatures supports, and `Ord` follows that
/// order (`Verified < Weak` means "verified is stronger").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Verified,
    VerifiedPartial,
    Weak,
    BodyAltered,
    HeadersAltered,
    KeyRevoked,
    KeyMissing,
    InvalidSignature,
    Unsigned,
    Rebuilt,
}

impl Verdict {
    pub const ALL: [Verdict; 10] = [
        Verdict::Verified,
        Verdict::VerifiedPartial,
        Verdict::Weak,
        Verdict::BodyAltered,
        Verdict::HeadersAltered,
        Verdict::KeyRevoked,
        Verdict::KeyMissing,
        Verdict::InvalidSignature,
        Verdict::Unsigned,
        Verdict::Rebuilt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::VerifiedPartial => "verified-partial",
            Verdict::Weak => "weak",
            Verdict::BodyAltered => "body-altered",
            Verdict::HeadersAltered => "headers-altered",
            Verdict::KeyRevoked => "key-revoked",
            Verdict::KeyMissing => "key-missing",
            Verdict::InvalidSignature => "invalid-signature",
            Verdict::Unsigned => "unsigned",
            Verdict::Rebuilt => "rebuilt",
        }
    }

    /// What the verdict means, in words for a reader who is not an engineer.
    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Verified => "A DKIM signature by the sending domain verifies over the whole body with a strong key: these are the bytes that domain sent.",
            Verdict::VerifiedPartial => "A signature verifies, but it covers only the first part of the body (l= tag): text after that point is unproven.",
            Verdict::Weak => "A signature verifies, but only with a key too weak to prove anything (RSA under 1024 bits can be forged).",
            Verdict::BodyAltered => "The body does not match what the signer hashed: the content changed after signing.",
            Verdict::HeadersAltered => "The body matches, but a signed header (Subject, From, Date…) changed after signing.",
            Verdict::KeyRevoked => "The domain has revoked the key this signature names, so it cannot be checked.",
            Verdict::KeyMissing => "No public key for this signature was found in the key sources consulted: it can be neither proven nor disproven.",
            Verdict::InvalidSignature => "The signature header is malformed or uses a forbidden or unsupported algorithm: it proves nothing.",
            Verdict::Unsigned => "The message carries no DKIM signature: nothing can be proven from the message itself.",
            Verdict::Rebuilt => "The message comes from a mail store that rebuilds messages, so its original bytes are gone and a failing signature proves nothing either way.",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_puts_the_strongest_verdict_first() {
        assert!(Verdict::Verified < Verdict::VerifiedPartial);
        assert!(Verdict::Weak < Verdict::BodyAltered);
        assert!(Verdict::BodyAltered < Verdict::HeadersAltered);
        assert!(Verdict::KeyMissing < Verdict::InvalidSignature);
        assert!(Verdict::InvalidSignature < Verdict::Unsigned);
    }

    #[test]
    fn serialized_words_are_the_design_vocabulary() {
        for verdict in Verdict::ALL {
            let json = serde_json::to_string(&verdict).unwrap();
            assert_eq!(json, format!("\"{}\"", verdict.as_str()));
        }
    }
}
