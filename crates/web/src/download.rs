//! Downloads: bytes from the leak handed to the user as files, never shown.
//!
//! Every download is `application/octet-stream` with `nosniff` and
//! `Content-Disposition: attachment`, whatever the sender declared: an
//! attachment that says `text/html` would otherwise run in the server's
//! origin, next to the whole case. The file name the sender chose is
//! hostile (`../`, quotes that end the header, control characters, names a
//! thousand characters long, `CON` on Windows), so only a plain ASCII
//! version of it reaches the header.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

/// Longest file name offered, extension included.
const MAX_NAME_CHARS: usize = 100;
/// Longest extension kept from the sender's name.
const MAX_EXTENSION_CHARS: usize = 10;

/// Names Windows refuses for a file, whatever the extension.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A download of `bytes` saved as `filename` (already safe: see [`safe_filename`]).
pub fn attachment_response(bytes: Vec<u8>, filename: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// The sender's file name reduced to what is safe in a header and on any
/// file system: the last path component, accents folded to ASCII letters,
/// anything else outside `A-Za-z0-9 ._-()` replaced by `_`, no leading
/// dot, at most 100 characters with the extension kept. `fallback` is used
/// when nothing is left.
pub fn safe_filename(sender_name: Option<&str>, fallback: &str) -> String {
    let Some(name) = sender_name else {
        return fallback.to_string();
    };
    let last_component = name.rsplit(['/', '\\']).next().unwrap_or_default();
    // ASCII only from here on, so byte positions are character positions.
    let mut safe = String::with_capacity(last_component.len());
    for c in last_component.chars() {
        let replacement = match fold_to_ascii(c) {
            Some(c) if c.is_ascii_alphanumeric() || " ._-()".contains(c) => c,
            _ => '_',
        };
        // One `_` stands for a run of replaced characters.
        if !(replacement == '_' && safe.ends_with('_')) {
            safe.push(replacement);
        }
    }
    let trimmed = safe.trim_matches(|c: char| c == '.' || c == ' ' || c == '_');
    if trimmed.is_empty() {
        return fallback.to_string();
    }
    let shortened = shorten_keeping_extension(trimmed);
    let stem = shortened.split('.').next().unwrap_or_default();
    if WINDOWS_RESERVED.contains(&stem.to_ascii_lowercase().trim_end()) {
        format!("_{shortened}")
    } else {
        shortened
    }
}

fn shorten_keeping_extension(name: &str) -> String {
    if name.len() <= MAX_NAME_CHARS {
        return name.to_string();
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| !ext.is_empty() && ext.len() <= MAX_EXTENSION_CHARS);
    match extension {
        Some(ext) => format!("{}.{ext}", &name[..MAX_NAME_CHARS - ext.len() - 1]),
        None => name[..MAX_NAME_CHARS].to_string(),
    }
}

/// Accented Latin letters as their base letter, so `Résumé Inès.pdf`
/// downloads as `Resume Ines.pdf` rather than `R_sum_ In_s.pdf`. Input is
/// ASCII-only after this; anything without a base letter returns `None`.
fn fold_to_ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return (!c.is_ascii_control()).then_some(c);
    }
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'ç' => 'c',
        'Ç' => 'C',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        _ => return None,
    };
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_name_is_kept() {
        assert_eq!(
            safe_filename(Some("Devis affiches A2 (v3).pdf"), "x"),
            "Devis affiches A2 (v3).pdf"
        );
    }

    #[test]
    fn accents_fold_to_ascii_letters() {
        assert_eq!(
            safe_filename(Some("Résumé Inès.pdf"), "x"),
            "Resume Ines.pdf"
        );
    }

    #[test]
    fn path_components_are_dropped() {
        assert_eq!(safe_filename(Some("../../etc/passwd"), "x"), "passwd");
        assert_eq!(safe_filename(Some("..\\..\\boot.ini"), "x"), "boot.ini");
        assert_eq!(safe_filename(Some(".bashrc"), "x"), "bashrc");
    }

    #[test]
    fn header_breaking_characters_are_replaced() {
        let name = safe_filename(Some("a\"; filename=evil.exe\r\nX-Injected: 1.html"), "x");
        assert!(!name.contains(['"', ';', '\r', '\n', ':', '=']), "{name}");
        assert_eq!(name, "a_ filename_evil.exe_X-Injected_ 1.html");
    }

    #[test]
    fn nothing_usable_falls_back() {
        assert_eq!(safe_filename(Some("/"), "abc.bin"), "abc.bin");
        assert_eq!(safe_filename(Some("漢字"), "abc.bin"), "abc.bin");
        assert_eq!(safe_filename(None, "abc.bin"), "abc.bin");
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let name = safe_filename(Some(&format!("{}.docx", "a".repeat(5000))), "x");
        assert_eq!(name.len(), 100);
        assert!(name.ends_with("a.docx"));
    }

    #[test]
    fn windows_device_names_are_defused() {
        assert_eq!(safe_filename(Some("CON.txt"), "x"), "_CON.txt");
        assert_eq!(safe_filename(Some("nul"), "x"), "_nul");
    }
}
