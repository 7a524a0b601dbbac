//! From what a user typed and ticked to a tantivy query: the free text
//! (never an error, at worst a warning) and the facet filters.

use crate::schema::{self, normalize_keyword, Fields};
use std::sync::OnceLock;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query as TantivyQuery, QueryParser,
    QueryParserError, TermSetQuery,
};
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, Term};

/// The text query and what the user should know about how it was read.
pub(crate) struct ParsedText {
    /// `None` for empty text: every document.
    pub query: Option<Box<dyn TantivyQuery>>,
    /// What `query` was built from, for another engine to translate.
    pub ast: Option<UserInputAst>,
    pub warnings: Vec<String>,
}

/// The user's text as the grammar read it, after the same rewriting the
/// tantivy search uses, and the same warnings: what another engine (the
/// shared case's PostgreSQL search) translates so both read text alike.
#[derive(Clone, Debug)]
pub struct UserText {
    /// `None` for empty text: every document. Occurs left `None` mean
    /// `Must` (words are ANDed); leaves name index fields (`subject`,
    /// `body`, `from`, `to`, `attachment`, `message_id`, `verdict`,
    /// `sender_domain`) or none (the first five).
    pub ast: Option<UserInputAst>,
    pub warnings: Vec<String>,
}

/// An index of the current schema in memory, never written: its parser
/// and tokenizer are the ones every opened index gets, so reading text
/// through it gives the warnings and the tokens a search gives.
fn reference_index() -> &'static (QueryParser, TextAnalyzer) {
    static REFERENCE: OnceLock<(QueryParser, TextAnalyzer)> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let index = Index::create_in_ram(schema::build_schema());
        schema::register_tokenizer(&index);
        let fields = schema::resolve_fields(&index).expect("the schema's own fields");
        let analyzer = index
            .tokenizers()
            .get(schema::FOLDED_TOKENIZER)
            .expect("registered just above");
        (text_parser(&index, &fields), analyzer)
    })
}

/// Reads `text` as [`crate::SearchIndex::search`] does.
pub fn parse_user_text(text: &str) -> UserText {
    let parsed = parse_text(&reference_index().0, text);
    UserText {
        ast: parsed.ast,
        warnings: parsed.warnings,
    }
}

/// The tokens the index makes of `text` in a full-text field (and of a
/// query's words): lowercased, accents folded, over-long runs dropped, each
/// with its position (a dropped token leaves a gap, as in the index).
pub fn folded_tokens(text: &str) -> Vec<(usize, String)> {
    let mut analyzer = reference_index().1.clone();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push((token.position, token.text.clone()));
    }
    tokens
}

/// Subject words weigh more than body words: a subject says what a message
/// is about, a body mentions everything.
const SUBJECT_BOOST: f32 = 2.0;

pub(crate) fn text_parser(index: &Index, fields: &Fields) -> QueryParser {
    let mut parser = QueryParser::for_index(index, fields.default_search_fields());
    // Users expect every word they add to narrow the results.
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.subject, SUBJECT_BOOST);
    parser
}

/// What users may type before a colon, and the field it searches.
fn field_for_prefix(prefix: &str) -> Option<&'static str> {
    Some(match prefix.to_lowercase().as_str() {
        "subject" => schema::SUBJECT,
        "body" => schema::BODY,
        "from" => schema::FROM,
        // The `to` field holds To, Cc and Bcc.
        "to" | "cc" | "bcc" => schema::TO,
        "attachment" | "attachments" | "filename" => schema::ATTACHMENT,
        "message_id" | "message-id" | "msgid" => schema::MESSAGE_ID,
        // Keyword fields: the exact (lowercase) value, as the facets show it.
        "verdict" => schema::VERDICT,
        "domain" | "sender_domain" => schema::SENDER_DOMAIN,
        _ => return None,
    })
}

const FIELD_LIST: &str = "subject, body, from, to, attachment, message_id, verdict, domain";

/// Rewrites the text so tantivy's grammar reads it as a person meant it:
/// - a known field prefix (any case, `cc:`, `Message-ID:`…) becomes the
///   index field's name;
/// - any other colon is a space: "Re: budget", "RE : budget" (French
///   typography), "http://…" or "10:30" are words, not unknown fields that
///   would match nothing;
/// - an apostrophe is a space: in "l'élection" it is French, not the start
///   of a single-quoted phrase;
/// - `<`, `>`, `[`, `]`, `{`, `}` are spaces: range syntax, which no user
///   field supports, but pasted text carries ("[URGENT]", "<id@host>");
/// - a backslash is a space, even in a phrase (the tokenizer splits there).
///
/// Double-quoted phrases are left as typed.
///
/// tantivy's grammar recurses once per nesting level (and backtracks), so a
/// few hundred `(` overflow the stack and abort the whole server: the text
/// is cut to [`MAX_QUERY_CHARS`] and deep parentheses are dropped.
fn normalize_text(text: &str, warnings: &mut Vec<String>) -> String {
    let text = match text.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => {
            warnings.push(format!(
                "the query was cut to its first {MAX_QUERY_CHARS} characters"
            ));
            &text[..cut]
        }
        None => text,
    };
    // An escaped quote is a character of the phrase, not its end; as a
    // character it is no part of any word.
    let text = &text.replace("\\\"", "  ");
    let drop_parentheses = group_depth(text) > MAX_GROUP_DEPTH;
    if drop_parentheses {
        warnings.push(format!(
            "parentheses nested deeper than {MAX_GROUP_DEPTH} levels were ignored"
        ));
    }
    // An unclosed quote would make the grammar guess where the phrase ends
    // and read the rest differently from this scan.
    let unclosed_quote = match text.matches('"').count() % 2 {
        1 => {
            warnings.push("an unclosed quote (\") was ignored".to_string());
            text.rfind('"')
        }
        _ => None,
    };
    let mut out = String::with_capacity(text.len());
    let mut in_phrase = false;
    // Where the word being read started in `out`, if it can still be a field name.
    let mut word_start: Option<usize> = None;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        // A backslash escapes the grammar's special characters, which this
        // scan does not follow; the tokenizer splits words there anyway.
        if Some(at) == unclosed_quote || c == '\\' {
            word_start = None;
            out.push(' ');
            continue;
        }
        if c == '"' {
            in_phrase = !in_phrase;
            word_start = None;
            out.push(c);
            continue;
        }
        if in_phrase {
            out.push(c);
            continue;
        }
        match c {
            ':' => {
                rewrite_field_prefix(&mut out, word_start.take(), warnings);
            }
            // No field a user may type holds ranges, so range brackets can
            // only be pasted text: "[URGENT] budget", "<id@host>".
            '\'' | '<' | '>' | '[' | ']' | '{' | '}' => {
                word_start = None;
                out.push(' ');
            }
            '(' | ')' if drop_parentheses => {
                word_start = None;
                out.push(' ');
            }
            c if c.is_alphanumeric() || c == '_' || (c == '-' && word_start.is_some()) => {
                if word_start.is_none() {
                    word_start = Some(out.len());
                }
                out.push(c);
            }
            c if c.is_whitespace() => {
                // "RE : budget": the word before spaces may still meet a colon.
                let next_is_colon = {
                    let mut rest = chars.clone();
                    loop {
                        match rest.next() {
                            Some((_, w)) if w.is_whitespace() => continue,
                            Some((_, ':')) => break true,
                            _ => break false,
                        }
                    }
                };
                if !next_is_colon {
                    word_start = None;
                    out.push(c);
                }
            }
            c => {
                word_start = None;
                out.push(c);
            }
        }
    }
    out
}

/// Longer than any query a person types; bounds the grammar's work.
const MAX_QUERY_CHARS: usize = 1000;

/// Deeper than any query a person types, far below what overflows a 2 MiB
/// thread stack (about 150 levels in a debug build).
const MAX_GROUP_DEPTH: usize = 8;

/// The deepest nesting of parentheses outside double-quoted phrases.
fn group_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_phrase) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => in_phrase = !in_phrase,
            '(' if !in_phrase => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !in_phrase => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Called at a colon: `out` ends with the word that precedes it (starting at
/// `word_start`), if any.
fn rewrite_field_prefix(out: &mut String, word_start: Option<usize>, warnings: &mut Vec<String>) {
    let Some(start) = word_start else {
        out.push(' ');
        return;
    };
    let word = out[start..].to_string();
    match field_for_prefix(&word) {
        Some(field) => {
            out.truncate(start);
            out.push_str(field);
            out.push(':');
        }
        None => {
            warnings.push(format!(
                "\"{word}:\" is not a field, so it was searched as a word \
                 (fields: {FIELD_LIST})"
            ));
            out.push(' ');
        }
    }
}

/// Parses leniently: whatever tantivy cannot read becomes a warning and the
/// rest of the query still runs.
pub(crate) fn parse_text(parser: &QueryParser, text: &str) -> ParsedText {
    let mut warnings = Vec::new();
    let normalized = normalize_text(text, &mut warnings);
    if normalized.trim().is_empty() {
        return ParsedText {
            query: None,
            ast: None,
            warnings,
        };
    }
    let (mut ast, grammar_errors) = query_grammar::parse_query_lenient(&normalized);
    for error in grammar_errors {
        warnings.push(format!(
            "part of the query could not be read ({}); the rest was searched",
            error.message
        ));
    }
    if let UserInputAst::Clause(clauses) = &mut ast {
        // "-newsletter" alone means "everything but newsletters", not nothing.
        let excludes_only = !clauses.is_empty()
            && clauses
                .iter()
                .all(|(occur, _)| *occur == Some(Occur::MustNot));
        if excludes_only {
            clauses.push((
                Some(Occur::Must),
                UserInputAst::Leaf(Box::new(UserInputLeaf::All)),
            ));
        }
    }
    let ast = sanitize(ast, &mut warnings);
    let (query, errors) = parser.build_query_from_user_input_ast_lenient(ast.clone());
    warnings.extend(errors.iter().map(describe_error));
    warnings.dedup();
    ParsedText {
        query: Some(query),
        ast: Some(ast),
        warnings,
    }
}

/// The fields a query may name: what [`field_for_prefix`] maps to.
const QUERYABLE_FIELDS: [&str; 8] = [
    schema::SUBJECT,
    schema::BODY,
    schema::FROM,
    schema::TO,
    schema::ATTACHMENT,
    schema::MESSAGE_ID,
    schema::VERDICT,
    schema::SENDER_DOMAIN,
];

/// tantivy builds some queries that fail only when they run: `field:*`
/// (needs a fast column) and any field name the grammar recovered from
/// broken syntax. Such leaves are rewritten so that running cannot fail.
fn sanitize(ast: UserInputAst, warnings: &mut Vec<String>) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, child)| (occur, sanitize(child, warnings)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(sanitize(*inner, warnings)), boost)
        }
        UserInputAst::Leaf(leaf) => UserInputAst::Leaf(Box::new(sanitize_leaf(*leaf, warnings))),
    }
}

fn sanitize_leaf(leaf: UserInputLeaf, warnings: &mut Vec<String>) -> UserInputLeaf {
    match leaf {
        UserInputLeaf::Literal(mut literal) => {
            if let Some(field) = &literal.field_name {
                if !QUERYABLE_FIELDS.contains(&field.as_str()) {
                    warnings.push(format!(
                        "\"{field}:\" is not a field, so its words were searched everywhere \
                         (fields: {FIELD_LIST})"
                    ));
                    literal.field_name = None;
                }
            }
            UserInputLeaf::Literal(literal)
        }
        UserInputLeaf::Exists { field } => {
            warnings.push(format!(
                "\"{field}:*\" (has any value) is not supported and was ignored"
            ));
            UserInputLeaf::All
        }
        // Ranges, sets and regexes: the parser reports what it cannot build.
        other => other,
    }
}

fn describe_error(error: &QueryParserError) -> String {
    match error {
        QueryParserError::FieldDoesNotExist(field) => {
            format!("\"{field}\" is not a field (fields: {FIELD_LIST})")
        }
        other => format!("part of the query was ignored: {other}"),
    }
}

/// Messages whose `field` holds any of `values` (an empty list filters
/// nothing). Filters narrow; they must not change the ranking, hence the
/// constant zero score.
pub(crate) fn keyword_filter(field: Field, values: &[String]) -> Option<Box<dyn TantivyQuery>> {
    if values.is_empty() {
        return None;
    }
    let terms = values
        .iter()
        .map(|value| Term::from_field_text(field, &normalize_keyword(value)));
    Some(Box::new(ConstScoreQuery::new(
        Box::new(TermSetQuery::new(terms)),
        0.0,
    )))
}

/// Everything that must hold: the text (if any) and each filter.
pub(crate) fn conjunction(
    text: Option<&dyn TantivyQuery>,
    filters: impl IntoIterator<Item = Box<dyn TantivyQuery>>,
) -> Box<dyn TantivyQuery> {
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    if let Some(text) = text {
        clauses.push((Occur::Must, text.box_clone()));
    }
    clauses.extend(filters.into_iter().map(|filter| (Occur::Must, filter)));
    match clauses.len() {
        0 => Box::new(AllQuery),
        1 => clauses.remove(0).1,
        _ => Box::new(BooleanQuery::new(clauses)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> (String, Vec<String>) {
        let mut warnings = Vec::new();
        let out = normalize_text(text, &mut warnings);
        (out, warnings)
    }

    #[test]
    fn known_prefixes_become_field_names() {
        assert_eq!(normalized("Subject:budget").0, "subject:budget");
        assert_eq!(normalized("cc:dupont").0, "to:dupont");
        assert_eq!(normalized("Message-ID:abc").0, "message_id:abc");
        assert_eq!(normalized("-from:spam").0, "-from:spam");
        assert_eq!(normalized("attachment : devis").0, "attachment: devis");
    }

    #[test]
    fn other_colons_and_apostrophes_are_spaces() {
        let (out, warnings) = normalized("Re: l'élection");
        assert_eq!(out, "Re  l élection");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("\"Re:\""));
        assert_eq!(normalized("RE : budget").0, "RE  budget");
        assert_eq!(normalized("http://x.fr").0, "http //x.fr");
    }

    #[test]
    fn deep_parentheses_are_dropped_and_long_text_cut() {
        let (out, warnings) = normalized("((a OR b) c)");
        assert_eq!(out, "((a OR b) c)");
        assert!(warnings.is_empty());
        let deep = format!("{}a{}", "(".repeat(9), ")".repeat(9));
        let (out, warnings) = normalized(&deep);
        assert_eq!(out.trim(), "a");
        assert_eq!(warnings.len(), 1);
        let (out, warnings) = normalized(&"é".repeat(MAX_QUERY_CHARS + 5));
        assert_eq!(out.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn backslashes_are_spaces() {
        assert_eq!(normalized(r#"a\:b "x\"y""#).0, r#"a  b "x  y""#);
    }

    #[test]
    fn an_unclosed_quote_is_a_space() {
        let (out, warnings) = normalized("\"vote électronique\" budget\" x:y");
        assert_eq!(out, "\"vote électronique\" budget  x y");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn the_public_reading_is_the_searchs() {
        let read = parse_user_text("Re: cc:Dupont -\"l'élection\"");
        assert_eq!(read.warnings.len(), 1, "{:?}", read.warnings);
        assert!(read.warnings[0].contains("\"Re:\""));
        let ast = format!("{:?}", read.ast.expect("some text"));
        assert!(ast.contains("\"to\":Dupont"), "{ast}");
        assert!(parse_user_text("  ").ast.is_none());
        assert_eq!(
            folded_tokens("L'Élection à Paris"),
            [
                (0, "l".to_string()),
                (1, "election".to_string()),
                (2, "a".to_string()),
                (3, "paris".to_string())
            ]
        );
    }

    #[test]
    fn phrases_are_left_as_typed() {
        assert_eq!(
            normalized("\"Re: l'ordre\" body:x").0,
            "\"Re: l'ordre\" body:x"
        );
    }
}
