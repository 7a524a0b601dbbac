//! Snippets: a fragment of the matching message, HTML-escaped, the matched
//! words in `<mark>`. Every byte comes from an adversary, so the fragment is
//! escaped here and the only tags in the result are ours.

use crate::schema::Fields;
use tantivy::query::Query as TantivyQuery;
use tantivy::schema::Value;
use tantivy::snippet::{collapse_overlapped_ranges, Snippet, SnippetGenerator};
use tantivy::{DocAddress, Searcher, TantivyDocument};

/// Long enough for a sentence or two of context around the match.
const SNIPPET_CHARS: usize = 200;

pub(crate) struct Snippets {
    fields: Fields,
    /// `None` when there is no text query: nothing to highlight.
    body: Option<SnippetGenerator>,
    subject: Option<SnippetGenerator>,
}

impl Snippets {
    pub fn new(
        searcher: &Searcher,
        fields: Fields,
        text_query: Option<&dyn TantivyQuery>,
    ) -> tantivy::Result<Self> {
        let generator = |field| -> tantivy::Result<Option<SnippetGenerator>> {
            let Some(query) = text_query else {
                return Ok(None);
            };
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Ok(Some(generator))
        };
        Ok(Snippets {
            fields,
            // Terms are the body's; the text comes from the stored prefix.
            body: generator(fields.body)?,
            subject: generator(fields.subject)?,
        })
    }

    /// The body's best fragment; else the subject's; else the body's start,
    /// so a hit that matched elsewhere (sender, attachment name) still says
    /// what the message is.
    pub fn for_hit(&self, searcher: &Searcher, address: DocAddress) -> tantivy::Result<String> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|value| value.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let body = text_of(self.fields.body_prefix);
        let subject = text_of(self.fields.subject);
        for (generator, text) in [(&self.body, &body), (&self.subject, &subject)] {
            if let Some(generator) = generator {
                let snippet = generator.snippet(text);
                if !snippet.is_empty() {
                    return Ok(marked_html(&snippet, text));
                }
            }
        }
        Ok(unmarked_snippet(&subject, &body))
    }
}

/// The snippet of a hit where no matched word shows (it matched the sender,
/// an attachment name…): the start of the body, else of the subject,
/// escaped. Shared with the shared case's search, so both engines say the
/// same of such a hit.
pub fn unmarked_snippet(subject: &str, body: &str) -> String {
    let start = if body.trim().is_empty() {
        subject
    } else {
        body
    };
    escape_html(&opening(start, SNIPPET_CHARS))
}

/// The fragment with each highlighted range in `<mark>`, everything
/// escaped. A text short enough is shown whole (tantivy's fragment stops at
/// the last word and drops the closing punctuation); a cut is shown as `…`.
fn marked_html(snippet: &Snippet, text: &str) -> String {
    let range = snippet.fragment_range();
    let whole = text.chars().count() <= SNIPPET_CHARS;
    // Highlights are relative to the fragment.
    let (shown, shift) = if whole {
        (text, range.start)
    } else {
        (snippet.fragment(), 0)
    };
    let mut html = String::with_capacity(shown.len() + 32);
    if !whole && !text[..range.start].trim().is_empty() {
        html.push('…');
    }
    let mut done = 0;
    for marked in collapse_overlapped_ranges(snippet.highlighted()) {
        let marked = marked.start + shift..marked.end + shift;
        html.push_str(&escape_html(&shown[done..marked.start]));
        html.push_str("<mark>");
        html.push_str(&escape_html(&shown[marked.clone()]));
        html.push_str("</mark>");
        done = marked.end;
    }
    html.push_str(&escape_html(&shown[done..]));
    if !whole && !text[range.end..].trim().is_empty() {
        html.push('…');
    }
    html
}

/// The first `max_chars` characters of `text`, cut at a word boundary when
/// there is one, with an ellipsis when something was cut.
fn opening(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text.to_string();
    };
    let head = &text[..cut];
    let head = head
        .rfind(char::is_whitespace)
        .map_or(head, |space| &head[..space]);
    format!("{}…", head.trim_end())
}

/// Safe both as element content and inside a quoted attribute.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            escape_html(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn opening_cuts_at_a_word_and_says_so() {
        assert_eq!(opening("  short  ", 10), "short");
        assert_eq!(opening("élection présidentielle", 12), "élection…");
        assert_eq!(opening("abcdefghij", 4), "abcd…");
    }
}
