/// Where DKIM and ARC get public keys from: zone files, key archives, live
/// DNS. The verifier sees only this trait, so verification stays pure.
pub trait KeyLookup: Sync {
    /// Every TXT record known for `name` (e.g. `sel._domainkey.example.com`,
    /// lower-cased, no trailing dot). A selector may have had several keys
    /// over the years: return all of them, oldest first if known.
    fn lookup_txt(&self, name: &str) -> TxtLookup;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxtLookup {
    Found(Vec<TxtRecord>),
    /// The name is known not to exist (NXDOMAIN) or no source has it.
    NotFound,
    /// The lookup failed (timeout, SERVFAIL): nothing can be concluded.
    Error(String),
}

impl TxtLookup {
    /// Combines several answers about one name (from several sources, or
    /// several lines of one file) into one.
    ///
    /// Any record found wins, in the order given: a key that existed is a
    /// fact even if another source has since lost it. Without records, an
    /// error wins over NotFound, because a source that could not answer might
    /// have held the key; the errors are joined with `; `, so each should
    /// name where it came from. No answers at all is NotFound.
    pub fn merge(answers: impl IntoIterator<Item = TxtLookup>) -> TxtLookup {
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for answer in answers {
            match answer {
                TxtLookup::Found(found) => records.extend(found),
                TxtLookup::Error(error) => errors.push(error),
                TxtLookup::NotFound => {}
            }
        }
        if !records.is_empty() {
            TxtLookup::Found(records)
        } else if !errors.is_empty() {
            TxtLookup::Error(errors.join("; "))
        } else {
            TxtLookup::NotFound
        }
    }
}

/// One TXT record and where it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxtRecord {
    /// The record's text with its character-strings already joined.
    pub value: String,
    /// Provenance a reader can check: `keys.zone:12`,
    /// `dns:system at 2026-11-21T10:00:00Z`.
    pub source: String,
    /// What the source knows against trusting the key (a key store's
    /// trust flags); empty for sources that only hold records.
    pub caveats: Vec<crate::KeyCaveat>,
}

/// A shared source, so a caller can keep a handle on it (to write DNS
/// answers back to a key store after a run).
impl<T: KeyLookup + Send> KeyLookup for std::sync::Arc<T> {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        (**self).lookup_txt(name)
    }
}

/// A fixed map, for tests and for callers that already hold the records.
impl KeyLookup for std::collections::HashMap<String, TxtLookup> {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        self.get(name).cloned().unwrap_or(TxtLookup::NotFound)
    }
}

/// The form every source stores and looks names up in, so a caller passing
/// `Sel._DomainKey.Example.COM.` still finds the key.
pub(crate) fn normalize_name(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}
