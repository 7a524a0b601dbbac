//! Finding the ARC sets of a message and checking the chain's shape
//! (RFC 8617 sections 4.2 and 5.2 steps 1 and 3), before any cryptography.

use crate::common::header::HeaderField;
use crate::common::tags::parse_tag_list;

/// RFC 8617 section 4.2.1: instance values run from 1 to 50.
pub(super) const MAX_SETS: u32 = 50;

/// A chain has at most this many ARC fields; counting them before parsing
/// any keeps a message with thousands of ARC headers cheap to reject.
const MAX_ARC_FIELDS: usize = 3 * MAX_SETS as usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    AuthenticationResults,
    MessageSignature,
    Seal,
}

impl Kind {
    fn of(field: &HeaderField<'_>) -> Option<Self> {
        if field.name_is("ARC-Seal") {
            Some(Self::Seal)
        } else if field.name_is("ARC-Message-Signature") {
            Some(Self::MessageSignature)
        } else if field.name_is("ARC-Authentication-Results") {
            Some(Self::AuthenticationResults)
        } else {
            None
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::AuthenticationResults => "ARC-Authentication-Results",
            Self::MessageSignature => "ARC-Message-Signature",
            Self::Seal => "ARC-Seal",
        }
    }
}

/// One ARC header field and the instance it claims.
#[derive(Clone, Copy, Debug)]
pub(super) struct ArcField<'a> {
    pub kind: Kind,
    pub instance: u32,
    pub header: HeaderField<'a>,
}

/// The three fields of one instance.
#[derive(Clone, Copy, Debug)]
pub(super) struct ArcSet<'a> {
    pub instance: u32,
    pub results: ArcField<'a>,
    pub message_signature: ArcField<'a>,
    pub seal: ArcField<'a>,
}

/// Why the chain's shape is wrong, and which instance it concerns when one
/// can be named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct StructureError {
    pub instance: Option<u32>,
    pub reason: String,
    /// Highest instance number seen, for the result's `instances`.
    pub highest: u32,
}

/// The sets of a structurally valid chain, `sets[0]` being instance 1.
/// Empty when the message carries no ARC field.
pub(super) fn collect<'a>(headers: &[HeaderField<'a>]) -> Result<Vec<ArcSet<'a>>, StructureError> {
    let arc: Vec<(Kind, &HeaderField<'a>)> = headers
        .iter()
        .filter_map(|h| Kind::of(h).map(|k| (k, h)))
        .collect();
    if arc.len() > MAX_ARC_FIELDS {
        return Err(StructureError {
            instance: None,
            reason: format!(
                "the message has {} ARC header fields, more than the {MAX_ARC_FIELDS} that \
                 {MAX_SETS} sets can hold (RFC 8617 section 4.2.1)",
                arc.len()
            ),
            highest: 0,
        });
    }

    if arc.is_empty() {
        return Ok(Vec::new());
    }
    let mut slots: Vec<[Option<ArcField<'a>>; 3]> = vec![[None; 3]; MAX_SETS as usize];
    let mut highest = 0;
    for (kind, header) in arc {
        let instance = instance_of(kind, header).map_err(|reason| StructureError {
            instance: None,
            reason,
            highest,
        })?;
        highest = highest.max(instance);
        let slot = &mut slots[instance as usize - 1][kind as usize];
        if slot.is_some() {
            return Err(StructureError {
                instance: Some(instance),
                reason: format!(
                    "instance {instance} has more than one {} field",
                    kind.name()
                ),
                highest,
            });
        }
        *slot = Some(ArcField {
            kind,
            instance,
            header: *header,
        });
    }

    let mut sets = Vec::with_capacity(highest as usize);
    for instance in 1..=highest {
        let [results, message_signature, seal] = slots[instance as usize - 1];
        match (results, message_signature, seal) {
            (Some(results), Some(message_signature), Some(seal)) => sets.push(ArcSet {
                instance,
                results,
                message_signature,
                seal,
            }),
            _ => {
                let missing: Vec<&str> = [
                    (results.is_none(), Kind::AuthenticationResults),
                    (message_signature.is_none(), Kind::MessageSignature),
                    (seal.is_none(), Kind::Seal),
                ]
                .iter()
                .filter(|(absent, _)| *absent)
                .map(|(_, k)| k.name())
                .collect();
                return Err(StructureError {
                    instance: Some(instance),
                    reason: format!(
                        "instance {instance} of {highest} has no {}: an ARC set is exactly one \
                         of each of the three fields",
                        missing.join(" and no ")
                    ),
                    highest,
                });
            }
        }
    }
    Ok(sets)
}

fn instance_of(kind: Kind, header: &HeaderField<'_>) -> Result<u32, String> {
    let text = String::from_utf8_lossy(header.value);
    let value = match kind {
        Kind::AuthenticationResults => aar_instance(&text).ok_or_else(|| {
            format!(
                "an ARC-Authentication-Results field (at byte {}) does not begin with \
                 \"i=<instance>;\"",
                header.offset
            )
        })?,
        Kind::MessageSignature | Kind::Seal => {
            let tags = parse_tag_list(&text).map_err(|e| {
                format!(
                    "an {} field (at byte {}) is not a valid tag list: {e}",
                    kind.name(),
                    header.offset
                )
            })?;
            tags.into_iter()
                .find(|(name, _)| *name == "i")
                .map(|(_, v)| v.to_owned())
                .ok_or_else(|| {
                    format!(
                        "an {} field (at byte {}) has no i= tag",
                        kind.name(),
                        header.offset
                    )
                })?
        }
    };
    parse_instance(&value).ok_or_else(|| {
        format!(
            "an {} field (at byte {}) has i={value:?}, not an instance number from 1 to {MAX_SETS}",
            kind.name(),
            header.offset
        )
    })
}

/// RFC 8617 section 4.1.1: the AAR is `i=<n>;` followed by the
/// Authentication-Results payload.
fn aar_instance(value: &str) -> Option<String> {
    let rest = value.trim_start().strip_prefix("i")?.trim_start();
    let rest = rest.strip_prefix('=')?;
    let (number, _) = rest.split_once(';')?;
    Some(number.trim().to_string())
}

fn parse_instance(value: &str) -> Option<u32> {
    if value.is_empty() || value.len() > 2 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = value.parse().ok()?;
    (1..=MAX_SETS).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::header::split_message;

    fn sets_of(message: &str) -> Result<Vec<ArcSet<'_>>, StructureError> {
        collect(&split_message(message.as_bytes()).unwrap().headers)
    }

    const SET_1: &str = "ARC-Seal: i=1; cv=none\r\n\
        ARC-Message-Signature: i=1; h=from\r\n\
        ARC-Authentication-Results: i=1; example.org; none\r\n";

    #[test]
    fn a_message_without_arc_fields_has_no_sets() {
        assert!(sets_of("From: a\r\n\r\nbody\r\n").unwrap().is_empty());
    }

    #[test]
    fn complete_sets_are_ordered_by_instance() {
        let m = format!(
            "ARC-Seal: i=2; cv=pass\r\nARC-Message-Signature: i=2\r\n\
             ARC-Authentication-Results: i=2; x; none\r\n{SET_1}\r\n"
        );
        let sets = sets_of(&m).unwrap();
        assert_eq!(sets.iter().map(|s| s.instance).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn a_gap_in_instances_names_the_missing_instance() {
        let m = format!(
            "ARC-Seal: i=3; cv=pass\r\nARC-Message-Signature: i=3\r\n\
             ARC-Authentication-Results: i=3; x; none\r\n{SET_1}\r\n"
        );
        let err = sets_of(&m).unwrap_err();
        assert_eq!(err.instance, Some(2));
        assert_eq!(err.highest, 3);
    }

    #[test]
    fn a_duplicated_seal_is_a_structure_error() {
        let m = format!("ARC-Seal: i=1; cv=none\r\n{SET_1}\r\n");
        let err = sets_of(&m).unwrap_err();
        assert_eq!(err.instance, Some(1));
        assert!(
            err.reason.contains("more than one ARC-Seal"),
            "{}",
            err.reason
        );
    }

    #[test]
    fn instances_beyond_fifty_are_refused() {
        let err = sets_of("ARC-Seal: i=51; cv=pass\r\n\r\n").unwrap_err();
        assert!(err.reason.contains("i=\"51\""), "{}", err.reason);
    }

    #[test]
    fn an_aar_must_begin_with_its_instance() {
        let m = "ARC-Authentication-Results: example.org; i=1;\r\n\r\n";
        assert!(sets_of(m).is_err());
        let m = "ARC-Authentication-Results: i=1 example.org;\r\n\r\n";
        assert!(sets_of(m).is_err());
    }

    #[test]
    fn ten_thousand_arc_fields_are_refused_without_parsing_them() {
        let mut m = String::new();
        for _ in 0..9_000 {
            m.push_str("ARC-Seal: i=1; cv=none; b=\r\n");
        }
        m.push_str("\r\n");
        let started = std::time::Instant::now();
        let err = sets_of(&m).unwrap_err();
        assert!(
            err.reason.contains("9000 ARC header fields"),
            "{}",
            err.reason
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
