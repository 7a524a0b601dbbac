//! Byte strings in the code pages OLE2 property sets and Word's
//! compressed text are written in. `encoding_rs` is not in the lock file;
//! the code pages that matter for attribution (Western and Cyrillic
//! Windows, UTF-8, UTF-16) fit in two small tables.

/// CP1252 0x80–0x9F (0xA0–0xFF are Latin-1). Bytes Windows leaves
/// undefined map to the C1 control of the same value, as Windows does.
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

/// CP1251 0x80–0xBF (0xC0–0xFF are А–я in order, U+0410–U+044F).
const CP1251_HIGH: [u16; 64] = [
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039,
    0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408,
    0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB,
    0x0458, 0x0405, 0x0455, 0x0457,
];

pub(crate) const CP_UTF16LE: u16 = 1200;
pub(crate) const CP_UTF8: u16 = 65001;

/// Whether `decode` knows `codepage` exactly (others fall back to
/// Latin-1 and the report says so).
pub(crate) fn known(codepage: u16) -> bool {
    matches!(codepage, 1252 | 1251 | CP_UTF8 | CP_UTF16LE | 28591 | 20127)
}

/// One byte of a single-byte code page.
pub(crate) fn byte_char(codepage: u16, b: u8) -> char {
    let unit = match (codepage, b) {
        (_, 0..=0x7F) => u16::from(b),
        (1251, 0x80..=0xBF) => CP1251_HIGH[usize::from(b - 0x80)],
        (1251, _) => 0x0410 + u16::from(b - 0xC0),
        (1252, 0x80..=0x9F) => CP1252_HIGH[usize::from(b - 0x80)],
        _ => u16::from(b),
    };
    char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}')
}

pub(crate) fn utf16le(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Decodes `bytes` written in `codepage`, up to the first NUL (property
/// set strings carry their terminator inside their length).
pub(crate) fn decode(codepage: u16, bytes: &[u8]) -> String {
    match codepage {
        CP_UTF16LE => {
            let end = bytes
                .chunks_exact(2)
                .position(|c| c == [0, 0])
                .map_or(bytes.len(), |i| i * 2);
            utf16le(&bytes[..end])
        }
        _ => {
            let end = memchr::memchr(0, bytes).unwrap_or(bytes.len());
            let bytes = &bytes[..end];
            if codepage == CP_UTF8 {
                String::from_utf8_lossy(bytes).into_owned()
            } else {
                bytes.iter().map(|&b| byte_char(codepage, b)).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_and_western() {
        // "Рошка" in CP1251.
        assert_eq!(decode(1251, &[0xD0, 0xEE, 0xF8, 0xEA, 0xE0, 0]), "Рошка");
        assert_eq!(decode(1251, &[0xA8, 0xB8, 0xB9]), "Ёё№");
        assert_eq!(decode(1252, &[b'L', 0xE9, 0x80, 0x9C, 0]), "Lé€œ");
        assert_eq!(decode(CP_UTF8, "Рошка\0junk".as_bytes()), "Рошка");
        assert_eq!(
            decode(CP_UTF16LE, &[0x20, 0x04, 0x3E, 0x04, 0, 0, 0x41, 0]),
            "Ро"
        );
    }
}
