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

/// One TXT record and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxtRecord {
    /// The record's text with its character-strings already joined.
    pub value: String,
    /// Provenance a reader can check: `keys.zone:12`, `dns 2026-11-21T10:00:00Z`.
    pub source: String,
}

/// A fixed map, for tests and for callers that already hold the records.
impl KeyLookup for std::collections::HashMap<String, TxtLookup> {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        self.get(name).cloned().unwrap_or(TxtLookup::NotFound)
    }
}
