//! RTF bodies: `PidTagRtfCompressed` (MS-OXRTFCP) decompressed, then the
//! HTML it encapsulates (`\fromhtml1`, MS-OXRTFEX) or, for a native RTF
//! body, its plain text.
//!
//! The decompressor is ours rather than the `compressed-rtf` crate's: that
//! one slices its input without checking its length (a panic on a body of
//! under 16 bytes or an uncompressed body shorter than its header claims)
//! and sizes its output buffer from the header, which a hostile store sets
//! to 4 GiB. LZFu is fifty lines; here the output is capped by the caller
//! and every read is checked.
//!
//! The converter is a single pass over RTF tokens with a bounded group
//! stack: it keeps text, `\par`/`\line`/`\tab`, `\'hh` bytes (in the
//! document's `\ansicpg`) and `\uN` characters, and drops destinations
//! (`{\*…}`, font and colour tables, pictures, objects). In an encapsulated
//! HTML body, `\htmlrtf` … `\htmlrtf0` marks RTF-only text, which is skipped,
//! and `{\*\htmltag…}` groups hold the original HTML, which is kept.

use super::props::decode;

const PREBUF: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
const COMPRESSED: u32 = 0x75465A4C; // "LZFu"
const UNCOMPRESSED: u32 = 0x414C454D; // "MELA"

/// Decompresses a `PidTagRtfCompressed` value into at most `max_out` bytes
/// of RTF. The CRC is not checked: a damaged body still yields what it can.
pub(crate) fn decompress(data: &[u8], max_out: usize) -> Result<Vec<u8>, String> {
    if data.len() < 16 {
        return Err("compressed RTF shorter than its 16-byte header".into());
    }
    let field =
        |at: usize| u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
    let raw_size = field(4) as usize;
    let kind = field(8);
    let body = &data[16..];
    let cap = raw_size.min(max_out);
    match kind {
        UNCOMPRESSED => Ok(body[..body.len().min(cap)].to_vec()),
        COMPRESSED => {
            let mut dict = [0u8; 4096];
            dict[..PREBUF.len()].copy_from_slice(PREBUF);
            let mut write = PREBUF.len();
            let mut out = Vec::with_capacity(cap.min(body.len().saturating_mul(8)));
            let mut at = 0;
            'runs: while let Some(&control) = body.get(at) {
                at += 1;
                for bit in 0..8 {
                    if out.len() >= cap {
                        break 'runs;
                    }
                    if control & (1 << bit) == 0 {
                        let Some(&byte) = body.get(at) else {
                            break 'runs;
                        };
                        at += 1;
                        out.push(byte);
                        dict[write] = byte;
                        write = (write + 1) % 4096;
                    } else {
                        let Some(pair) = body.get(at..at + 2) else {
                            break 'runs;
                        };
                        at += 2;
                        let word = u16::from_be_bytes([pair[0], pair[1]]) as usize;
                        let (mut offset, len) = (word >> 4, (word & 0xF) + 2);
                        if offset == write {
                            break 'runs; // the end marker
                        }
                        for _ in 0..len {
                            let byte = dict[offset];
                            offset = (offset + 1) % 4096;
                            out.push(byte);
                            dict[write] = byte;
                            write = (write + 1) % 4096;
                        }
                    }
                }
            }
            out.truncate(cap);
            Ok(out)
        }
        other => Err(format!("unknown compressed RTF type 0x{other:08X}")),
    }
}

/// Whether an RTF body encapsulates an HTML one.
pub(crate) fn is_encapsulated_html(rtf: &[u8]) -> bool {
    let head = &rtf[..rtf.len().min(1024)];
    memchr::memmem::find(head, b"\\fromhtml1").is_some()
}

/// The HTML an `\fromhtml1` RTF body encapsulates.
pub(crate) fn html(rtf: &[u8]) -> String {
    convert(rtf, true)
}

/// The plain text of an RTF body.
pub(crate) fn text(rtf: &[u8]) -> String {
    convert(rtf, false)
}

/// Groups nested deeper than this are read as if flat: the state of the
/// outermost 256 groups is enough for any real body.
const MAX_GROUPS: usize = 256;

/// Destinations whose text is not part of the body.
const SKIPPED: &[&[u8]] = &[
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"info",
    b"pict",
    b"object",
    b"header",
    b"footer",
    b"listtable",
    b"listoverridetable",
    b"rsidtbl",
    b"generator",
    b"xmlnstbl",
    b"themedata",
    b"latentstyles",
    b"datastore",
];

#[derive(Clone, Copy)]
struct Group {
    skip: bool,
    html_tag: bool,
    /// Inside `\htmlrtf` … `\htmlrtf0`: RTF-only text of an HTML body.
    html_rtf: bool,
    /// How many fallback characters follow a `\uN` (`\ucN`).
    uc: usize,
}

fn convert(rtf: &[u8], want_html: bool) -> String {
    let mut codepage: Option<u32> = None;
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new(); // \'hh bytes awaiting decoding
    let mut stack: Vec<Group> = Vec::new();
    let mut depth_over = 0usize;
    let mut group = Group {
        skip: false,
        html_tag: false,
        html_rtf: false,
        uc: 1,
    };
    let mut skip_fallback = 0usize;
    let mut first_in_group = false;
    let mut i = 0;
    let flush = |pending: &mut Vec<u8>, out: &mut String, codepage: Option<u32>| {
        if !pending.is_empty() {
            out.push_str(&decode(pending, codepage));
            pending.clear();
        }
    };
    while i < rtf.len() {
        let visible = !group.skip && (!want_html || group.html_tag || !group.html_rtf);
        match rtf[i] {
            b'{' => {
                flush(&mut pending, &mut out, codepage);
                if stack.len() < MAX_GROUPS {
                    stack.push(group);
                } else {
                    depth_over += 1;
                }
                first_in_group = true;
                i += 1;
                continue;
            }
            b'}' => {
                flush(&mut pending, &mut out, codepage);
                if depth_over > 0 {
                    depth_over -= 1;
                } else if let Some(outer) = stack.pop() {
                    group = outer;
                }
                i += 1;
            }
            b'\\' => {
                let (word, param, next) = control(rtf, i);
                i = next;
                let first = std::mem::take(&mut first_in_group);
                match word {
                    Control::Symbol(b'*') if first => {
                        // An ignorable destination: kept only if it is an
                        // HTML tag of an encapsulated body.
                        let (name, _, _) = control(rtf, i);
                        let is_tag =
                            matches!(name, Control::Word(w) if w == b"htmltag" || w == b"mhtmltag");
                        if want_html && is_tag {
                            group.html_tag = true;
                        } else {
                            group.skip = true;
                        }
                    }
                    Control::Symbol(c @ (b'\\' | b'{' | b'}')) => {
                        if visible && skip_fallback == 0 {
                            flush(&mut pending, &mut out, codepage);
                            out.push(c as char);
                        }
                        skip_fallback = skip_fallback.saturating_sub(1);
                    }
                    Control::Symbol(b'~') if visible => {
                        flush(&mut pending, &mut out, codepage);
                        out.push('\u{a0}');
                    }
                    Control::Symbol(_) => {}
                    Control::Hex(byte) => {
                        if skip_fallback > 0 {
                            skip_fallback -= 1;
                        } else if visible {
                            pending.push(byte);
                        }
                    }
                    Control::Word(w) => {
                        if first && SKIPPED.contains(&w) {
                            group.skip = true;
                        }
                        match w {
                            b"ansicpg" => codepage = param.and_then(|p| u32::try_from(p).ok()),
                            b"htmlrtf" => group.html_rtf = param != Some(0),
                            b"uc" => group.uc = param.unwrap_or(1).clamp(0, 8) as usize,
                            b"u" if visible => {
                                flush(&mut pending, &mut out, codepage);
                                let n = param.unwrap_or(0);
                                let n = if n < 0 { n + 65536 } else { n };
                                out.push(char::from_u32(n as u32).unwrap_or('\u{fffd}'));
                                skip_fallback = group.uc;
                            }
                            b"par" | b"line" if visible => {
                                flush(&mut pending, &mut out, codepage);
                                out.push_str("\r\n");
                            }
                            b"tab" if visible => {
                                flush(&mut pending, &mut out, codepage);
                                out.push('\t');
                            }
                            _ => {}
                        }
                    }
                }
                continue;
            }
            b'\r' | b'\n' => i += 1,
            byte => {
                i += 1;
                if skip_fallback > 0 {
                    skip_fallback -= 1;
                } else if visible {
                    pending.push(byte);
                }
            }
        }
        first_in_group = false;
    }
    flush(&mut pending, &mut out, codepage);
    out
}

enum Control<'a> {
    Word(&'a [u8]),
    Symbol(u8),
    Hex(u8),
}

/// The control word, symbol or `\'hh` at `rtf[at] == b'\\'`, its numeric
/// parameter, and where the next token starts.
fn control(rtf: &[u8], at: usize) -> (Control<'_>, Option<i64>, usize) {
    let mut i = at + 1;
    let Some(&c) = rtf.get(i) else {
        return (Control::Symbol(b'\\'), None, i);
    };
    if c == b'\'' {
        let hex = rtf.get(i + 1..i + 3).and_then(|h| {
            std::str::from_utf8(h)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        });
        return match hex {
            Some(byte) => (Control::Hex(byte), None, i + 3),
            None => (Control::Symbol(b'\''), None, i + 1),
        };
    }
    if !c.is_ascii_alphabetic() {
        return (Control::Symbol(c), None, i + 1);
    }
    let start = i;
    while rtf.get(i).is_some_and(|b| b.is_ascii_alphabetic()) && i - start < 32 {
        i += 1;
    }
    let word = &rtf[start..i];
    let num_start = i;
    if rtf.get(i) == Some(&b'-') {
        i += 1;
    }
    while rtf.get(i).is_some_and(|b| b.is_ascii_digit()) && i - num_start < 10 {
        i += 1;
    }
    let param = std::str::from_utf8(&rtf[num_start..i])
        .ok()
        .and_then(|s| s.parse::<i64>().ok());
    if rtf.get(i) == Some(&b' ') {
        i += 1;
    }
    (Control::Word(word), param, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of MS-OXRTFCP 3.1.1: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n".
    const SPEC_COMPRESSED: &[u8] = &[
        0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7,
        0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a,
        0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d,
        0x0a, 0x80, 0x0f, 0xa0,
    ];

    #[test]
    fn decompresses_the_specification_example() {
        let rtf = decompress(SPEC_COMPRESSED, 1 << 20).unwrap();
        assert_eq!(rtf, b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
        assert_eq!(text(&rtf), "hello world");
    }

    #[test]
    fn hostile_headers_do_not_panic_or_allocate() {
        assert!(decompress(b"short", 100).is_err());
        let mut huge = SPEC_COMPRESSED.to_vec();
        huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decompress(&huge, 10).unwrap().len() <= 10);
        let mut raw = vec![0u8; 16];
        raw[4..8].copy_from_slice(&1000u32.to_le_bytes());
        raw[8..12].copy_from_slice(&UNCOMPRESSED.to_le_bytes());
        raw.extend_from_slice(b"{\\rtf1 x}");
        assert_eq!(decompress(&raw, 1 << 20).unwrap(), b"{\\rtf1 x}");
        for cut in 0..SPEC_COMPRESSED.len() {
            let _ = decompress(&SPEC_COMPRESSED[..cut], 1 << 20);
        }
    }

    #[test]
    fn encapsulated_html_is_recovered() {
        let rtf = br"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}
{\*\htmltag19 <html>}{\*\htmltag34 <body>}\htmlrtf {\htmlrtf0 Caf\'e9 {\*\htmltag84 <b>}bold{\*\htmltag92 </b>}\htmlrtf }\htmlrtf0 \u8364?
{\*\htmltag58 </body>}{\*\htmltag27 </html>}}";
        assert!(is_encapsulated_html(rtf));
        assert_eq!(html(rtf), "<html><body>Café <b>bold</b>€</body></html>");
    }

    #[test]
    fn plain_rtf_becomes_text() {
        let rtf = br"{\rtf1\ansi\ansicpg1251{\fonttbl{\f0 Times;}}{\*\generator x;}\pard \'cf\'f0\'e8\'e2\'e5\'f2\par second\tab line\{x\}}";
        assert_eq!(text(rtf), "Привет\r\nsecond\tline{x}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut rtf = b"{\\rtf1 ".to_vec();
        rtf.extend(std::iter::repeat_n(b'{', 100_000));
        rtf.extend_from_slice(b"deep");
        rtf.extend(std::iter::repeat_n(b'}', 100_001));
        assert_eq!(text(&rtf), "deep");
    }
}
