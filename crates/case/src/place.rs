//! Places in a dump (`file!entry!entry@offset`), as shown to a reader.

/// The last part of a place: the name of the file or archive entry found
/// there, never a path (a download is named with it). Empty when the place
/// ends in a separator.
pub fn file_name(location: &str) -> &str {
    let without_offset = match location.rsplit_once('@') {
        // An mbox offset is digits; an `@` elsewhere belongs to the name.
        Some((place, offset)) if offset.bytes().all(|b| b.is_ascii_digit()) => place,
        _ => location,
    };
    without_offset
        .rsplit(['/', '\\', '!'])
        .next()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_component_of_files_and_archive_entries() {
        assert_eq!(file_name("dump/Finances/offshore.pdf"), "offshore.pdf");
        assert_eq!(file_name("dump.zip!Excel/bilan.xlsx"), "bilan.xlsx");
        assert_eq!(file_name("a.zip!b.zip!c\\d.docx"), "d.docx");
        assert_eq!(file_name("boite.mbox@1234"), "boite.mbox");
        assert_eq!(file_name("dump/jean@lumen.fr.pdf"), "jean@lumen.fr.pdf");
        assert_eq!(file_name("dump/"), "");
    }
}
