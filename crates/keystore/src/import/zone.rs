//! Zone-style key files, read by `tamis-keys` (dig output, zone files,
//! Mail::DKIM's FAKE_DNS lines) so the store accepts exactly what
//! `--keys FILE` accepts.

use super::ReadKey;
use tamis_keys::{KeyFile, KeyLookup, TxtLookup};

/// Every TXT record in `text`, in file order, and the warnings for lines
/// skipped. NXDOMAIN and lookup-error lines hold no key and are passed over.
/// Errs only when no line of the file is usable.
pub(crate) fn read(text: &str, source: &str) -> Result<(Vec<ReadKey>, Vec<String>), String> {
    let file = KeyFile::parse(text, source).map_err(|e| e.to_string())?;
    let warnings = file
        .warnings()
        .iter()
        .map(|w| format!("{w} (line skipped)"))
        .collect();
    let mut keys = Vec::new();
    for name in file.names() {
        if let TxtLookup::Found(records) = file.lookup_txt(name) {
            for record in records {
                keys.push(ReadKey {
                    name: name.to_owned(),
                    line: line_of(&record.source),
                    record: record.value,
                    entry: None,
                    first_seen: None,
                    last_seen: None,
                });
            }
        }
    }
    keys.sort_by_key(|k| k.line);
    Ok((keys, warnings))
}

/// The line from `tamis-keys`'s provenance `PATH:LINE`.
fn line_of(source: &str) -> Option<u32> {
    source.rsplit_once(':')?.1.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_in_file_order_with_their_lines() {
        let text = "; comment\n\
                    b._domainkey.example.com. 3600 IN TXT \"v=DKIM1; p=\"\n\
                    a._domainkey.example.com NXDOMAIN\n\
                    a._domainkey.example.org. IN TXT \"v=DKIM1; \" \"p=\"\n\
                    garbage TXT \"unterminated\n";
        let (keys, warnings) = read(text, "k.zone").unwrap();
        let got: Vec<_> = keys
            .iter()
            .map(|k| (k.name.as_str(), k.record.as_str(), k.line))
            .collect();
        assert_eq!(
            got,
            [
                ("b._domainkey.example.com", "v=DKIM1; p=", Some(2)),
                ("a._domainkey.example.org", "v=DKIM1; p=", Some(4)),
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("k.zone:5:"), "{warnings:?}");
    }
}
