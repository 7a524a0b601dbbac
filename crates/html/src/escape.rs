//! Escaping text from the case (all of it hostile) for the report formats.
//!
//! Besides the characters each format gives meaning to, two kinds of
//! characters are neutralised everywhere because they deceive the reader
//! rather than the parser:
//! - bidirectional controls (U+202E and friends) can make `gpj.exe` read as
//!   `exe.jpg` or reorder the words of a subject; they are shown by name,
//!   `[U+202E]`, so the editor sees the trick instead of falling for it;
//! - other control characters (NUL, ESC…) have no business in a document
//!   and become U+FFFD.

use std::fmt::Write;

/// Text for HTML element content and quoted attribute values (HTML and
/// inline SVG): `& < > " '` become entities. Line breaks are kept (they are
/// whitespace outside `<pre>`, and meaningful inside it).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            // A lone CR is a line break to a reader; CRLF becomes one LF.
            '\r' => {}
            _ => push_neutralised(&mut out, c),
        }
    }
    out
}

/// Text for one line of Markdown: a table cell, a list item, a heading.
/// Characters that start Markdown or inline HTML constructs are
/// backslash-escaped (CommonMark lets any ASCII punctuation be escaped, and
/// GFM tables take `\|` as a literal pipe), and line breaks become spaces
/// so that hostile text cannot end a table row or start a block of its own.
///
/// Hostile text is never put in a code span: backslashes cannot be escaped
/// there, and GFM reads `\\|` in a cell as an escaped backslash followed by
/// a cell boundary.
pub fn markdown_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut after_cr = false;
    for c in text.chars() {
        let was_after_cr = std::mem::replace(&mut after_cr, c == '\r');
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' if was_after_cr => {}
            '\r' | '\n' | '\t' => out.push(' '),
            _ => push_neutralised(&mut out, c),
        }
    }
    out
}

/// A fenced Markdown code block showing `text` literally. The fence is one
/// backtick longer than the longest run of backticks in `text`, so the text
/// cannot close the block and continue as Markdown.
pub fn markdown_code_block(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest_run + 1).max(3));
    let mut body = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\n' | '\t' => body.push(c),
            '\r' => body.push('\n'),
            _ => push_neutralised(&mut body, c),
        }
    }
    if !body.ends_with('\n') {
        body.push('\n');
    }
    format!("{fence}text\n{body}{fence}\n")
}

/// At most `max_chars` characters of `text`, with `…` when cut, for lists
/// and chart labels where a 10,000-character subject must not take the page.
pub fn clip(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

fn push_neutralised(out: &mut String, c: char) {
    if is_bidi_control(c) {
        let _ = write!(out, "[U+{:04X}]", c as u32);
    } else if c.is_control() {
        out.push('\u{FFFD}');
    } else {
        out.push(c);
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_quotes_and_ampersands() {
        assert_eq!(
            html("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        );
        assert_eq!(html("it's"), "it&#39;s");
        assert_eq!(
            html("Ben & Jerry's &amp;"),
            "Ben &amp; Jerry&#39;s &amp;amp;"
        );
        assert_eq!(
            html("\" onmouseover=\"x"),
            "&quot; onmouseover=&quot;x",
            "an attribute value cannot be closed from inside"
        );
    }

    #[test]
    fn html_keeps_line_breaks_and_drops_carriage_returns() {
        assert_eq!(html("a\r\nb\tc"), "a\nb\tc");
    }

    #[test]
    fn bidi_controls_are_shown_by_name_and_other_controls_replaced() {
        let hostile = "invoice\u{202E}fdp.exe\u{0}\u{1b}[31m";
        assert_eq!(html(hostile), "invoice[U+202E]fdp.exe\u{FFFD}\u{FFFD}[31m");
        assert_eq!(
            markdown_inline(hostile),
            "invoice[U+202E]fdp.exe\u{FFFD}\u{FFFD}\\[31m"
        );
        assert_eq!(html("\u{2067}x\u{2069}"), "[U+2067]x[U+2069]");
    }

    #[test]
    fn markdown_escapes_pipes_markup_and_html() {
        assert_eq!(markdown_inline("a | b"), "a \\| b");
        // A backslash before a pipe must not pair with the pipe's escape.
        assert_eq!(markdown_inline("a\\|b"), "a\\\\\\|b");
        assert_eq!(
            markdown_inline("<script>x</script>"),
            "\\<script\\>x\\</script\\>"
        );
        assert_eq!(
            markdown_inline("![img](http://x/y.png)"),
            "!\\[img\\](http://x/y.png)"
        );
        assert_eq!(
            markdown_inline("*bold* _it_ `code`"),
            "\\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(markdown_inline("back\\slash"), "back\\\\slash");
        assert_eq!(markdown_inline("&amp;"), "\\&amp;");
    }

    #[test]
    fn markdown_line_breaks_cannot_end_a_row() {
        assert_eq!(
            markdown_inline("one\r\ntwo\nthree\rfour"),
            "one two three four"
        );
    }

    #[test]
    fn plain_words_stay_readable_in_markdown() {
        assert_eq!(
            markdown_inline("Budget meeting Lyon (2017-05-03), 18.400 EUR!"),
            "Budget meeting Lyon (2017-05-03), 18.400 EUR!"
        );
    }

    #[test]
    fn code_block_fence_outlasts_backticks_in_the_text() {
        let block = markdown_code_block("x\n```\n# not a heading\n````\n");
        assert!(block.starts_with("`````text\n"), "{block}");
        assert!(block.ends_with("\n`````\n"), "{block}");
        assert_eq!(markdown_code_block("tail"), "```text\ntail\n```\n");
        assert_eq!(markdown_code_block("a\r\nb"), "```text\na\nb\n```\n");
    }

    #[test]
    fn clip_cuts_on_characters_not_bytes() {
        assert_eq!(clip("résumé", 3), "rés…");
        assert_eq!(clip("short", 5), "short");
        assert_eq!(clip("", 0), "");
    }
}
