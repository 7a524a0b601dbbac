//! The report's own words, shared by the HTML and Markdown writers so both
//! say the same thing. Plain text: the writers escape it like everything else.
//!
//! The aim is honesty about what a DKIM signature proves: an editor must
//! not read "unsigned" as "forged", nor "verified" as "true".

use tamis_findings::Verdict;

/// One point of "how to read this report": a short lead and its explanation.
pub struct Caveat {
    pub lead: &'static str,
    pub text: &'static str,
}

pub const HOW_TO_READ: [Caveat; 6] = [
    Caveat {
        lead: "What \"verified\" proves.",
        text: "The domain named in the signature (more exactly: whoever held its signing key) \
               sent these exact signed headers and this exact body. It does not prove who at \
               that domain wrote the message, that what it says is true, or that anyone read it.",
    },
    Caveat {
        lead: "What a signature does not cover.",
        text: "Header fields the signature does not list, and body text after an l= limit, \
               are not vouched for by anyone. When a message has such parts they are shown \
               with its evidence below.",
    },
    Caveat {
        lead: "No proof is not proof of forgery.",
        text: "\"Unsigned\" means the message carries no signature: much genuine mail never \
               had one (internal mail, older mail, some providers). \"Key-missing\" and \
               \"key-revoked\" mean we could not check, not that the check failed. These \
               messages are neither proven nor disproven; other reporting must decide.",
    },
    Caveat {
        lead: "Altered means changed, not who changed it.",
        text: "\"Body-altered\" and \"headers-altered\" mean the bytes we hold differ from \
               the bytes that were signed. Forgers do this, but so do mailing lists, security \
               gateways and export tools (re-wrapped lines, added footers). Damage tamis could \
               undo is listed as a repair; what remains is a difference, and the evidence \
               shows exactly where.",
    },
    Caveat {
        lead: "Weak keys prove nothing.",
        text: "RSA keys under 1,024 bits can be broken with ordinary computing power, so a \
               signature made with one could have been made by anyone who did so.",
    },
    Caveat {
        lead: "Dates, senders and subjects are as written.",
        text: "They come from the messages' own headers, which the sender (or a forger) \
               wrote. They are vouched for only when a verifying signature covers them. The \
               timeline and sender charts count what the headers say.",
    },
];

/// The heading of a section listing messages with this verdict.
pub fn section_title(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::BodyAltered => "Body altered after signing",
        Verdict::HeadersAltered => "Signed headers altered",
        Verdict::VerifiedPartial => "Only partly signed",
        Verdict::Weak => "Signed with a weak key",
        Verdict::KeyRevoked => "Key revoked: could not be checked",
        Verdict::InvalidSignature => "Unusable signature",
        Verdict::Verified => "Verified",
        Verdict::KeyMissing => "Key missing: could not be checked",
        Verdict::Unsigned => "Unsigned",
        Verdict::Rebuilt => "Rebuilt by a mail store",
    }
}

/// What an editor should take from a message with this verdict.
pub fn section_guidance(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::BodyAltered => {
            "The text we hold is not the text that was signed. Where the header signature \
             still verifies, the signed body hash is authentic and the alteration is proven. \
             Do not quote these bodies as the sender's words; compare with any other copy."
        }
        Verdict::HeadersAltered => {
            "The body hash matches, but the signature over the headers fails: a signed \
             header such as the subject, sender or date differs from what was signed, or an \
             exporter re-wrapped it. Treat the header values as unproven."
        }
        Verdict::VerifiedPartial => {
            "Proven up to the l= limit only. Text after that point, shown as the unsigned \
             tail, could have been added by anyone: quote only the signed part."
        }
        Verdict::Weak => {
            "The signature verifies, but with a key short enough to be broken: treat the \
             message as unproven."
        }
        Verdict::KeyRevoked => {
            "The domain has withdrawn the key, usually when retiring it. Not evidence of \
             forgery: an archived copy of the old key would let the signature be checked."
        }
        Verdict::InvalidSignature => {
            "The signature is malformed or uses an algorithm that proves nothing. Old \
             software and forgers both produce these: it counts neither for nor against."
        }
        Verdict::Verified | Verdict::KeyMissing | Verdict::Unsigned | Verdict::Rebuilt => {
            verdict.meaning()
        }
    }
}

/// Why a displayed header is not vouched for, in words.
pub fn uncovered_reason(code: &str) -> String {
    match code {
        "extra-instance" => "an extra copy of a signed header, added outside the signature".into(),
        "not-in-h" => "not among the headers the signature covers".into(),
        other => other.to_string(),
    }
}

/// Whether the signature over the headers verified, in words.
pub fn header_signature(verifies: Option<bool>) -> &'static str {
    match verifies {
        Some(true) => "verifies",
        Some(false) => "fails",
        None => "not checked (no usable key, or the signature is malformed)",
    }
}

/// The lede's sentence on messages that cannot be proven either way.
pub const UNPROVEN_IS_NOT_FORGED: &str =
    "cannot be proven either way (no signature, no key to check it, or a rebuilt copy), which does not make them forged";

/// Said of the sender-domain chart.
pub const SENDER_DOMAINS_CAPTION: &str = "Domains as written in the From header. A domain is \
    proven only for messages verified by a signature of that domain.";

/// Said of the timeline.
pub const TIMELINE_CAPTION: &str = "Messages per month of their Date header (UTC), by verdict. \
    The date is what the header says; it is vouched for only when a verifying \
    signature covers it.";
