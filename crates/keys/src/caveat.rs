/// Something a key's source knows that limits what a signature made with
/// the key proves, even though the signature verifies: the key was weak,
/// its private half is public, it shares a prime with another key, the
/// archives never saw it at the message's date, or nobody vouches for it
/// but our own recovery from signatures.
///
/// Sources state caveats; the analyzer decides what they do to a verdict,
/// because only it knows the message's date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyCaveat {
    /// Stable code: `weak`, `private-key-published`, `shared-factor`,
    /// `outside-seen-window`, `recovered`.
    pub code: String,
    /// The reason in words, for the evidence.
    pub detail: String,
    pub scope: CaveatScope,
}

/// When a caveat holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaveatScope {
    /// Whatever the message's date.
    Always,
    /// For a message dated outside every one of these windows (Unix
    /// seconds, inclusive, `None` open-ended), and for an undated message,
    /// which cannot be placed inside one.
    OutsideWindows(Vec<(Option<i64>, Option<i64>)>),
}

impl KeyCaveat {
    /// A caveat that holds whatever the message.
    pub fn always(code: &str, detail: impl Into<String>) -> KeyCaveat {
        KeyCaveat {
            code: code.to_owned(),
            detail: detail.into(),
            scope: CaveatScope::Always,
        }
    }

    /// Whether the caveat holds for a message dated `message_time`.
    pub fn holds_at(&self, message_time: Option<i64>) -> bool {
        match (&self.scope, message_time) {
            (CaveatScope::Always, _) | (CaveatScope::OutsideWindows(_), None) => true,
            (CaveatScope::OutsideWindows(windows), Some(t)) => !windows
                .iter()
                .any(|(first, last)| first.is_none_or(|f| t >= f) && last.is_none_or(|l| t <= l)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_caveat_holds_only_outside_every_window() {
        let caveat = KeyCaveat {
            code: "outside-seen-window".into(),
            detail: String::new(),
            scope: CaveatScope::OutsideWindows(vec![(Some(100), Some(200)), (Some(300), None)]),
        };
        assert!(caveat.holds_at(Some(99)));
        assert!(!caveat.holds_at(Some(100)));
        assert!(!caveat.holds_at(Some(200)));
        assert!(caveat.holds_at(Some(250)));
        assert!(!caveat.holds_at(Some(10_000)));
        assert!(
            caveat.holds_at(None),
            "an undated message is not inside a window"
        );
        assert!(KeyCaveat::always("weak", "").holds_at(Some(150)));
    }
}
