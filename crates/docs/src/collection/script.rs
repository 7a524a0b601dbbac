//! The script a name is written in, by the Unicode blocks of its letters.
//!
//! Majority of letters, so "Иван (Ivan)" is Cyrillic and "José Ñúñez" is
//! Latin; digits, punctuation and marks count for nothing. The ranges are
//! the Unicode blocks of each script (The Unicode Standard, Blocks.txt),
//! enough for names; a letter outside them counts as `Other`.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Georgian,
    Hebrew,
    Arabic,
    /// Devanagari and the other Brahmic scripts of India.
    Indic,
    Thai,
    /// Han ideographs with Japanese kana (a Japanese name mixes them).
    Cjk,
    Hangul,
    Other,
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
            Script::Armenian => "Armenian",
            Script::Georgian => "Georgian",
            Script::Hebrew => "Hebrew",
            Script::Arabic => "Arabic",
            Script::Indic => "Indic (Devanagari, Bengali, Tamil…)",
            Script::Thai => "Thai",
            Script::Cjk => "CJK (Han, kana)",
            Script::Hangul => "Hangul",
            Script::Other => "another",
        })
    }
}

fn letter_script(c: char) -> Script {
    match u32::from(c) {
        0x0041..=0x024F
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xFF21..=0xFF3A
        | 0xFF41..=0xFF5A => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0530..=0x058F => Script::Armenian,
        0x10A0..=0x10FF | 0x1C90..=0x1CBF | 0x2D00..=0x2D2F => Script::Georgian,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0900..=0x0DFF => Script::Indic,
        0x0E00..=0x0E7F => Script::Thai,
        0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3134F => Script::Cjk,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        _ => Script::Other,
    }
}

/// The script most of the name's letters are in; `None` without letters.
/// Ties go to the script met first.
pub fn script_of(name: &str) -> Option<Script> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        let s = letter_script(c);
        match counts.iter_mut().find(|(k, _)| *k == s) {
            Some((_, n)) => *n += 1,
            None => counts.push((s, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_script() {
        assert_eq!(script_of("Рошка Георгий Петрович"), Some(Script::Cyrillic));
        assert_eq!(script_of("Alain Tourret"), Some(Script::Latin));
        assert_eq!(script_of("José Ñúñez"), Some(Script::Latin));
        assert_eq!(script_of("Иван (Ivan)"), Some(Script::Cyrillic));
        assert_eq!(script_of("Γιώργος Παπαδόπουλος"), Some(Script::Greek));
        assert_eq!(script_of("محمد علي"), Some(Script::Arabic));
        assert_eq!(script_of("דוד כהן"), Some(Script::Hebrew));
        assert_eq!(script_of("王小明"), Some(Script::Cjk));
        assert_eq!(script_of("やまだ 太郎"), Some(Script::Cjk));
        assert_eq!(script_of("김철수"), Some(Script::Hangul));
        assert_eq!(script_of("1234 -"), None);
        assert_eq!(script_of(""), None);
    }
}
