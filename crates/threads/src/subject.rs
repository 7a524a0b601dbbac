//! JWZ step 5, made conservative: a root whose subject is a reply ("Re: X",
//! "Fwd: X", "TR : X"…) joins the thread whose root is the one message
//! titled "X" alone. JWZ also gathers roots that share a subject under a
//! new empty container; in a leak that merges every "Lunch" or "Budget"
//! thread of the dump into one, so it is not done, and a reply whose
//! original title several roots share stays where it is.

use std::collections::HashMap;

use crate::containers::Containers;
use crate::forest::Forest;
use crate::order::sort_key;
use crate::ThreadInput;

/// Prefixes mail programs put before a subject they answer or forward:
/// English, French (TR = transféré), German (AW, WG), Nordic (SV).
const REPLY_MARKERS: [&str; 7] = ["re", "fwd", "fw", "tr", "aw", "wg", "sv"];

/// Moves reply roots under their original, where it is unambiguous.
pub(crate) fn group_roots(
    forest: &mut Forest,
    containers: &Containers<'_>,
    messages: &[ThreadInput],
) {
    let subjects: Vec<Option<(String, bool)>> = forest
        .roots
        .iter()
        .map(|&root| root_subject(forest, containers, messages, root).and_then(base_subject))
        .collect();

    let mut originals: HashMap<&str, Vec<usize>> = HashMap::new();
    for (position, subject) in subjects.iter().enumerate() {
        if let Some((base, false)) = subject {
            originals
                .entry(base.as_str())
                .or_default()
                .push(forest.roots[position]);
        }
    }

    let mut moved = vec![false; forest.roots.len()];
    for (position, subject) in subjects.iter().enumerate() {
        let Some((base, true)) = subject else {
            continue;
        };
        let Some([original]) = originals.get(base.as_str()).map(Vec::as_slice) else {
            continue;
        };
        let reply = forest.roots[position];
        if containers.nodes[reply].message.is_some() {
            forest.children[*original].push(reply);
        } else {
            // An empty root is only a stand-in: its messages join directly.
            let promoted = std::mem::take(&mut forest.children[reply]);
            forest.children[*original].extend(promoted);
        }
        moved[position] = true;
    }
    let mut position = 0;
    forest.roots.retain(|_| {
        let keep = !moved[position];
        position += 1;
        keep
    });
}

/// The subject a root is known by: its message's, or for an empty root the
/// subject of its earliest message.
fn root_subject<'a>(
    forest: &Forest,
    containers: &Containers<'_>,
    messages: &'a [ThreadInput],
    root: usize,
) -> Option<&'a str> {
    let holder = match containers.nodes[root].message {
        Some(message) => message,
        None => {
            let earliest = forest.children[root]
                .iter()
                .copied()
                .min_by_key(|&child| sort_key(containers, messages, child))?;
            containers.nodes[earliest].message?
        }
    };
    messages[holder].subject.as_deref()
}

/// The subject without its reply markers, whitespace collapsed and
/// lowercased, and whether any marker was removed; `None` when nothing is
/// left to compare.
pub(crate) fn base_subject(subject: &str) -> Option<(String, bool)> {
    let mut rest = subject.trim();
    let mut is_reply = false;
    while let Some(after) = strip_reply_marker(rest) {
        rest = after.trim_start();
        is_reply = true;
    }
    let base = rest
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    (!base.is_empty()).then_some((base, is_reply))
}

/// "Re:", "RE :", "Re[2]:", "Re(3):", "Fwd:", "TR :"… at the start, and what
/// follows it.
fn strip_reply_marker(subject: &str) -> Option<&str> {
    REPLY_MARKERS.iter().find_map(|marker| {
        let head = subject.get(..marker.len())?;
        if !head.eq_ignore_ascii_case(marker) {
            return None;
        }
        let after_marker = skip_counter(&subject[marker.len()..]).trim_start();
        after_marker
            .strip_prefix(':')
            .or_else(|| after_marker.strip_prefix('\u{ff1a}'))
    })
}

/// Skips a reply counter such as "[2]" or "(3)".
fn skip_counter(text: &str) -> &str {
    let close = match text.chars().next() {
        Some('[') => ']',
        Some('(') => ')',
        _ => return text,
    };
    match text[1..].find(close) {
        Some(end) if text[1..1 + end].chars().all(|c| c.is_ascii_digit()) => &text[end + 2..],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::base_subject;

    fn base(subject: &str) -> Option<(String, bool)> {
        base_subject(subject)
    }

    #[test]
    fn reply_and_forward_markers_are_removed_however_written() {
        let expected = Some(("budget meeting de lyon".to_string(), true));
        for subject in [
            "Re: Budget meeting de Lyon",
            "RE : Budget  meeting de Lyon",
            "Re[2]: Budget meeting de Lyon",
            "re(3):Budget meeting de Lyon",
            "Fwd: Re: Budget meeting de Lyon",
            "TR : RE: budget meeting de lyon",
            "AW: Budget meeting de Lyon",
            "Re\u{ff1a}Budget meeting de Lyon",
        ] {
            assert_eq!(base(subject), expected, "{subject}");
        }
    }

    #[test]
    fn words_that_only_begin_like_a_marker_are_kept() {
        assert_eq!(
            base("Reunion: lundi"),
            Some(("reunion: lundi".to_string(), false))
        );
        assert_eq!(base("Travaux"), Some(("travaux".to_string(), false)));
        assert_eq!(base("Re[x]: y"), Some(("re[x]: y".to_string(), false)));
        assert_eq!(base("Ré: accent"), Some(("ré: accent".to_string(), false)));
    }

    #[test]
    fn a_subject_that_is_only_markers_has_nothing_to_compare() {
        assert_eq!(base("Re: "), None);
        assert_eq!(base("   "), None);
    }
}
