//! Text of legacy PowerPoint presentations (MS-PPT): the text atoms of
//! the `PowerPoint Document` stream, in the order the stream holds them.
//!
//! The stream is a run of records (an 8-byte header: version and
//! instance, type, length), containers (version 0xF) holding others.
//! Slides, notes and masters hold their text boxes' text in TextCharsAtom
//! (UTF-16) and TextBytesAtom (the low bytes of UTF-16: Latin-1) records;
//! PowerPoint's own files keep placeholders' text in the document's slide
//! lists, which are walked the same way. The walk covers every record, so
//! text left in the stream by PowerPoint's incremental ("fast") saves is
//! found too, edited-out text included.
//!
//! Left out: the prompts of master placeholders ("Click to edit Master
//! title style"), the lone `*` a slide number or date field is written as,
//! and CString records, which hold font, template and tag names, except in
//! the three containers where they hold what a reader wrote: headers and
//! footers, comments (author and text) and hyperlinks.

use super::codepage;
use super::{u16_at, u32_at, TextSink};
use crate::{DocumentReport, Options};

const TEXT_CHARS: u16 = 0x0FA0;
const TEXT_BYTES: u16 = 0x0FA8;
const CSTRING: u16 = 0x0FBA;
const PLACEHOLDER: u16 = 0x0BC3;
const SHAPE: u16 = 0xF004;
const HEADERS_FOOTERS: u16 = 0x0FD9;
const COMMENT: u16 = 0x2EE0;
const HYPERLINK: u16 = 0x0FD7;
const CRYPT_SESSION: u16 = 0x2F14;

/// CurrentUserAtom.headerToken of an encrypted presentation.
const ENCRYPTED_TOKEN: u32 = 0xF3D1_C4DF;

/// Containers nested deeper are skipped whole. Real files nest a dozen
/// levels (slide, drawing, group, shape, text box); groups in groups add
/// a level each.
const MAX_DEPTH: usize = 32;

/// Records looked at. A record takes at least 8 bytes, so the stream's own
/// bound already bounds the walk; this one caps it where no real
/// presentation goes.
const MAX_RECORDS: usize = 2 << 20;

struct Frame {
    end: usize,
    kind: u16,
    /// A shape that is a master's placeholder: its text is a prompt.
    prompt: bool,
}

/// What went wrong, said once with a count of the same afterwards.
#[derive(Default)]
struct Issues {
    first: Option<(&'static str, String)>,
    more: usize,
}

impl Issues {
    fn note(&mut self, code: &'static str, detail: String) {
        if self.first.is_none() {
            self.first = Some((code, detail));
        } else {
            self.more += 1;
        }
    }
}

/// The presentation's text, into the report; `current_user` is the
/// `Current User` stream, which says whether the document is encrypted.
pub(crate) fn read(
    document: &[u8],
    current_user: Option<&[u8]>,
    options: &Options,
    report: &mut DocumentReport,
) {
    if current_user.and_then(|c| u32_at(c, 12)) == Some(ENCRYPTED_TOKEN) {
        return report.problem(
            "encrypted",
            "the presentation is encrypted (Current User header token); its text is not readable",
        );
    }
    let mut sink = TextSink::new(options);
    let mut issues = Issues::default();
    let encrypted = walk(document, &mut sink, &mut issues);
    sink.finish(report, options);
    if encrypted {
        report.problem(
            "encrypted",
            "the presentation is encrypted (CryptSession10Container); text after it is not read",
        );
    }
    if let Some((code, mut detail)) = issues.first {
        if issues.more > 0 {
            detail.push_str(&format!(" ({} more records like it)", issues.more));
        }
        report.problem(code, detail);
    }
}

/// Walks every record; true if it stopped at an encryption container.
fn walk(doc: &[u8], sink: &mut TextSink, issues: &mut Issues) -> bool {
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = 0usize;
    let mut deep = false;
    for _ in 0..MAX_RECORDS {
        if sink.full() {
            return false;
        }
        while stack.last().is_some_and(|f| pos >= f.end) {
            stack.pop();
        }
        let limit = stack.last().map_or(doc.len(), |f| f.end);
        if pos >= limit {
            return false;
        }
        if limit - pos < 8 {
            if !stack.is_empty() {
                issues.note(
                    "malformed",
                    format!("PowerPoint Document stream: {} stray bytes at the end of a container at offset {pos}", limit - pos),
                );
            } else if doc[pos..].iter().any(|&b| b != 0) {
                issues.note(
                    "truncated",
                    format!("PowerPoint Document stream: a record header is cut at offset {pos}"),
                );
            }
            pos = limit;
            continue;
        }
        let (Some(head), Some(kind), Some(len)) =
            (u16_at(doc, pos), u16_at(doc, pos + 2), u32_at(doc, pos + 4))
        else {
            return false;
        };
        let start = pos + 8;
        let mut end = start.saturating_add(len as usize);
        if end > limit {
            if limit == doc.len() {
                issues.note(
                    "truncated",
                    format!("PowerPoint Document stream: record 0x{kind:04X} at offset {pos} declares {len} bytes, {} remain", limit - start),
                );
            } else {
                issues.note(
                    "malformed",
                    format!("PowerPoint Document stream: record 0x{kind:04X} at offset {pos} runs past the end of its container"),
                );
            }
            // What the record holds up to there is still read.
            end = limit;
        }
        let body = &doc[start..end];
        if head & 0x000F == 0x000F {
            if kind == CRYPT_SESSION {
                return true;
            }
            if stack.len() >= MAX_DEPTH {
                if !deep {
                    deep = true;
                    issues.note(
                        "malformed",
                        format!("PowerPoint Document stream: containers nested deeper than {MAX_DEPTH} levels at offset {pos}; their contents are not read"),
                    );
                }
                pos = end;
                continue;
            }
            stack.push(Frame {
                end,
                kind,
                prompt: false,
            });
            pos = start;
            continue;
        }
        match kind {
            // OEPlaceholderAtom.placeholderType 1–10: the placeholders of
            // masters (title, body, date, number, footer…).
            PLACEHOLDER if body.get(4).is_some_and(|t| (1..=10).contains(t)) => {
                if let Some(shape) = stack.iter_mut().rev().find(|f| f.kind == SHAPE) {
                    shape.prompt = true;
                }
            }
            TEXT_CHARS | TEXT_BYTES => {
                let prompt = stack
                    .iter()
                    .rev()
                    .find(|f| f.kind == SHAPE)
                    .is_some_and(|f| f.prompt);
                if !prompt {
                    let text = if kind == TEXT_CHARS {
                        codepage::utf16le(body)
                    } else {
                        body.iter().map(|&b| char::from(b)).collect()
                    };
                    push_text(sink, &text);
                }
            }
            CSTRING
                if stack
                    .last()
                    .is_some_and(|f| matches!(f.kind, HEADERS_FOOTERS | COMMENT | HYPERLINK)) =>
            {
                push_text(sink, &codepage::utf16le(body));
            }
            _ => {}
        }
        pos = end;
    }
    issues.note(
        "too-large",
        format!("PowerPoint Document stream: more than {MAX_RECORDS} records; the rest is not read for text"),
    );
    false
}

/// One atom's text on its own line(s): paragraph (CR) and line (VT)
/// breaks as line ends, other controls dropped.
fn push_text(sink: &mut TextSink, text: &str) {
    let clean: String = text
        .chars()
        .filter_map(|c| match c {
            '\r' | '\u{0B}' => Some('\n'),
            '\t' | '\n' => Some(c),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "*" {
        return;
    }
    sink.push(clean);
    sink.push("\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn atom(kind: u16, instance: u16, body: &[u8]) -> Vec<u8> {
        let mut out = (instance << 4).to_le_bytes().to_vec();
        out.extend(kind.to_le_bytes());
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }

    fn container(kind: u16, children: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = children.concat();
        let mut out = 0x000Fu16.to_le_bytes().to_vec();
        out.extend(kind.to_le_bytes());
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }

    fn chars(s: &str) -> Vec<u8> {
        atom(TEXT_CHARS, 0, &utf16(s))
    }

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn placeholder(kind: u8) -> Vec<u8> {
        container(
            0xF011,
            &[atom(PLACEHOLDER, 0, &[0, 0, 0, 0, kind, 0, 0, 0])],
        )
    }

    fn text(doc: &[u8], options: &Options) -> DocumentReport {
        let mut report = DocumentReport::new(Kind::Ole2, doc.len() as u64);
        read(doc, None, options, &mut report);
        report
    }

    /// A master with a placeholder prompt and a static text box, a slide
    /// with UTF-16 and 8-bit text, a footer, a comment and a font name.
    fn presentation() -> Vec<u8> {
        let master = container(
            0x03F8,
            &[container(
                0x040C,
                &[
                    container(
                        SHAPE,
                        &[
                            placeholder(1),
                            container(0xF00D, &[chars("Click to edit Master title style")]),
                        ],
                    ),
                    container(
                        SHAPE,
                        &[container(0xF00D, &[chars("SECRET — ne pas diffuser")])],
                    ),
                ],
            )],
        );
        let slide = container(
            0x03EE,
            &[
                container(
                    0x040C,
                    &[
                        container(
                            SHAPE,
                            &[
                                placeholder(13),
                                container(0xF00D, &[chars("Встреча\rв Москве")]),
                            ],
                        ),
                        container(
                            SHAPE,
                            &[container(
                                0xF00D,
                                &[atom(TEXT_BYTES, 0, b"Caf\xE9 \x0Bcr\xE8me"), chars("*")],
                            )],
                        ),
                    ],
                ),
                container(HEADERS_FOOTERS, &[atom(CSTRING, 2, &utf16("Pied de page"))]),
                container(
                    COMMENT,
                    &[
                        atom(CSTRING, 0, &utf16("Jean Dupont")),
                        atom(CSTRING, 1, &utf16("À revoir")),
                    ],
                ),
                atom(CSTRING, 0, &utf16("___PPT10")),
            ],
        );
        [master, slide].concat()
    }

    #[test]
    fn slide_text_without_prompts() {
        let r = text(&presentation(), &Options::default());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(
            r.text.as_deref(),
            Some("SECRET — ne pas diffuser\nВстреча\nв Москве\nCafé \ncrème\nPied de page\nJean Dupont\nÀ revoir")
        );
    }

    #[test]
    fn cut_and_overrunning_records() {
        let doc = presentation();
        // Cut inside the comment: everything before it is kept.
        let at = doc
            .windows(2)
            .position(|w| w == COMMENT.to_le_bytes())
            .unwrap();
        let r = text(&doc[..at + 20], &Options::default());
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].code, "truncated");
        assert!(
            r.problems[0].detail.contains("2 more"),
            "{}",
            r.problems[0].detail
        );
        // The comment's author, cut after three characters, as far as it goes.
        assert!(r
            .text
            .as_deref()
            .unwrap()
            .ends_with("crème\nPied de page\nJea"));

        // An atom claiming more than its container holds.
        let inner = [atom(TEXT_CHARS, 0, &utf16("ok")), chars("after")].concat();
        let mut forged = container(0x03EE, &[inner]);
        forged[8 + 4..8 + 8].copy_from_slice(&1000u32.to_le_bytes());
        forged.extend(chars("next"));
        let r = text(&forged, &Options::default());
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].code, "malformed");
        assert!(r.text.as_deref().unwrap().ends_with("next"));
    }

    #[test]
    fn deep_nesting_and_encryption() {
        let mut doc = chars("top");
        for _ in 0..100 {
            doc = container(0xF003, &[doc]);
        }
        let r = text(&doc, &Options::default());
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].code, "malformed");
        assert_eq!(r.text, None);

        let doc = [
            chars("before"),
            container(CRYPT_SESSION, &[]),
            chars("after"),
        ]
        .concat();
        let r = text(&doc, &Options::default());
        assert_eq!(r.text.as_deref(), Some("before"));
        assert_eq!(r.problems[0].code, "encrypted");

        let mut user = vec![0; 16];
        user[12..16].copy_from_slice(&ENCRYPTED_TOKEN.to_le_bytes());
        let mut report = DocumentReport::new(Kind::Ole2, 0);
        read(
            &chars("hidden"),
            Some(&user),
            &Options::default(),
            &mut report,
        );
        assert_eq!(report.text, None);
        assert_eq!(report.problems[0].code, "encrypted");
    }

    #[test]
    fn the_text_bound_stops_the_walk() {
        let options = Options {
            max_text_bytes: 10,
            ..Options::default()
        };
        let r = text(&presentation(), &options);
        assert!(r.text_truncated);
        assert_eq!(r.text.as_deref(), Some("SECRET —"));
    }

    #[test]
    fn every_cut_and_flip_is_bounded() {
        let doc = presentation();
        for cut in 0..doc.len() {
            text(&doc[..cut], &Options::default());
        }
        for at in 0..doc.len() {
            for mask in [0x01, 0x0F, 0x80, 0xFF] {
                let mut bytes = doc.clone();
                bytes[at] ^= mask;
                text(&bytes, &Options::default());
            }
        }
    }
}
