//! The store as a key source for DKIM and ARC (`verify --keys store.sqlite`).
//!
//! Every key of the selector is returned, oldest first by the earliest
//! date an archive saw it (keys without a date after, in import order):
//! a selector rotated over the years must have each of its keys tried.
//! Each record's provenance names the store and every source of the key,
//! e.g. `keys.sqlite: archive foo.json[3] (seen 2016-03-01..2017-09-30);
//! file keys.zone:12`.

use crate::store::{load_keys, split_key_name};
use crate::{trust, KeyStore};
use tamis_keys::{KeyLookup, TxtLookup, TxtRecord};

impl KeyLookup for KeyStore {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        let Some((selector, domain)) = split_key_name(name) else {
            return TxtLookup::NotFound;
        };
        let conn = self.conn();
        // Loaded by domain; the selector is filtered below.
        let keys = match load_keys(&conn, Some(&domain), None) {
            Ok(keys) => keys,
            Err(e) => return TxtLookup::Error(format!("{}: {e}", self.label())),
        };
        let records: Vec<TxtRecord> = keys
            .into_iter()
            .filter(|k| k.selector == selector)
            .map(|k| {
                let sources: Vec<String> = k.provenance.iter().map(ToString::to_string).collect();
                TxtRecord {
                    caveats: trust::caveats(&k),
                    source: format!("{}: {}", self.label(), sources.join("; ")),
                    value: k.record,
                }
            })
            .collect();
        if records.is_empty() {
            TxtLookup::NotFound
        } else {
            TxtLookup::Found(records)
        }
    }
}
