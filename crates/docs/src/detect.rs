//! What a file is, from its first bytes (a leak's file names lie).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Pdf,
    /// docx, xlsx, pptx (a zip with `[Content_Types].xml`).
    Ooxml,
    /// odt, ods, odp (a zip whose first entry is `mimetype`).
    Odf,
    /// Legacy doc, xls, ppt (Compound File Binary).
    Ole2,
    Jpeg,
    Tiff,
    Png,
    Text,
    Html,
    Unknown,
}

pub fn detect(bytes: &[u8], name: Option<&str>) -> Kind {
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Kind::Pdf;
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Ole2;
    }
    if head.starts_with(b"PK\x03\x04") {
        // ODF stores `mimetype` first and uncompressed; OOXML has
        // `[Content_Types].xml` somewhere in the archive.
        if head.get(30..38) == Some(b"mimetype") {
            return Kind::Odf;
        }
        let package = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            // The archive's own directory decides: a zip that stores docx
            // files uncompressed also holds their `[Content_Types].xml`
            // bytes, and is not a docx.
            Ok(archive) => archive.index_for_name("[Content_Types].xml").is_some(),
            // A package whose directory is cut off or damaged is still read
            // from its local headers (`office::package`).
            Err(_) => memchr::memmem::find(bytes, b"[Content_Types].xml").is_some(),
        };
        return if package { Kind::Ooxml } else { Kind::Unknown };
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Kind::Jpeg;
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Kind::Tiff;
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Kind::Png;
    }
    let lower_name = name.unwrap_or("").to_ascii_lowercase();
    let text_like = std::str::from_utf8(head).is_ok() || !head.contains(&0);
    if text_like {
        let start = String::from_utf8_lossy(&head[..head.len().min(256)]).to_ascii_lowercase();
        if start.contains("<html")
            || start.contains("<!doctype html")
            || lower_name.ends_with(".html")
            || lower_name.ends_with(".htm")
        {
            return Kind::Html;
        }
        if lower_name.ends_with(".txt")
            || lower_name.ends_with(".csv")
            || lower_name.ends_with(".md")
            || lower_name.is_empty()
            || std::str::from_utf8(head).is_ok()
        {
            return Kind::Text;
        }
    }
    Kind::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in entries {
            out.start_file(*name, options).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_of_stored_docx_files_is_not_a_docx() {
        let docx = zip_of(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", b"<w:document/>"),
            ],
            zip::CompressionMethod::Stored,
        );
        assert_eq!(detect(&docx, Some("a.docx")), Kind::Ooxml);
        let archive = zip_of(
            &[("a.docx", &docx), ("b.docx", &docx)],
            zip::CompressionMethod::Stored,
        );
        assert_eq!(detect(&archive, Some("dons.zip")), Kind::Unknown);
        // Cut short, the docx has no directory and is still told by its bytes.
        assert_eq!(detect(&docx[..docx.len() - 30], None), Kind::Ooxml);
    }
}
