//! The user's text, as `tamis-search` reads it (its grammar, its rewriting,
//! its warnings), translated to a SQL condition over the documents table.
//!
//! The translation follows tantivy's query parser step by step, so the
//! same text selects the same documents: a clause's occurs (`Must` by
//! default), a word without tokens dropped from its clause, a query of
//! exclusions only completed by "everything", an all-`Should` clause
//! needing one of them. Every word reaches PostgreSQL as a bound
//! `tsquery` parameter built from the index's own tokens, never as SQL.

use crate::sql::{Sql, Value};
use tamis_search::folded_tokens;
use tamis_search::query_grammar::{Occur, UserInputAst, UserInputLeaf, UserInputLiteral};

/// The full-text columns, one `tsvector` per field of the embedded index.
pub(crate) const SUBJECT: &str = "s_subject";
pub(crate) const BODY: &str = "s_body";
pub(crate) const FROM: &str = "s_from";
pub(crate) const TO: &str = "s_to";
pub(crate) const ATTACHMENT: &str = "s_attachment";
pub(crate) const MESSAGE_ID: &str = "s_message_id";

/// What a word without `field:` searches: the parser's default fields.
const DEFAULT_COLUMNS: [&str; 5] = [SUBJECT, BODY, FROM, TO, ATTACHMENT];

/// One leaf of the logical query.
enum Leaf {
    All,
    /// tantivy's `EmptyQuery`: a boosted part with nothing left in it.
    Nothing,
    /// `columns` (any of them) match the `tsquery` text.
    Text {
        columns: Vec<&'static str>,
        tsquery: String,
        /// The words to highlight in snippets (body and subject only).
        highlight: Vec<String>,
    },
    /// A keyword column equals the value exactly (tantivy's raw tokenizer:
    /// no case folding, as the embedded index does).
    Keyword {
        column: &'static str,
        value: String,
    },
}

/// tantivy's `LogicalAst`, with the same shape and the same trimming.
enum Logical {
    Clause(Vec<(Occur, Logical)>),
    /// A boost other than 1: it only scores, but tantivy does not trim
    /// through it, so an empty boosted part matches nothing.
    Boost(Box<Logical>),
    Leaf(Leaf),
}

/// The condition the text puts on a document, and what to highlight.
pub(crate) struct TextCondition {
    /// SQL over the documents table's columns; `None`: no text, every document.
    pub condition: Option<String>,
    /// Positive words (`tsquery` operands) for ranking and snippets.
    pub highlight: Vec<String>,
}

/// Translates the parsed text (`None`: no text) into a condition whose
/// parameters are pushed onto `sql`.
pub(crate) fn condition(ast: Option<&UserInputAst>, sql: &mut Sql) -> TextCondition {
    let Some(ast) = ast else {
        return TextCondition {
            condition: None,
            highlight: Vec::new(),
        };
    };
    let mut logical = to_logical(ast);
    // tantivy's `compute_logical_ast_lenient`: a non-empty query of
    // exclusions only is completed by "everything" (and warned about,
    // which the warnings from tamis-search already say).
    let empty = matches!(&logical, Logical::Clause(children) if children.is_empty());
    if !empty && all_negative(&logical) {
        make_non_negative(&mut logical);
    }
    let mut highlight = Vec::new();
    let condition = match trim(logical) {
        Some(logical) => to_sql(&logical, sql, &mut highlight, true),
        // tantivy's `EmptyQuery`.
        None => "FALSE".to_string(),
    };
    highlight.sort();
    highlight.dedup();
    TextCondition {
        condition: Some(condition),
        highlight,
    }
}

fn to_logical(ast: &UserInputAst) -> Logical {
    match ast {
        UserInputAst::Clause(children) => Logical::Clause(
            children
                .iter()
                // The parser is set to conjunction by default.
                .map(|(occur, child)| (occur.unwrap_or(Occur::Must), to_logical(child)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => {
            let inner = to_logical(inner);
            // `LogicalAst::boost` keeps a boost of 1 unwrapped.
            if (boost.into_inner() as f32 - 1.0).abs() < f32::EPSILON {
                inner
            } else {
                Logical::Boost(Box::new(inner))
            }
        }
        UserInputAst::Leaf(leaf) => match leaf_of(leaf) {
            Some(leaf) => Logical::Leaf(leaf),
            // What tantivy does with a leaf it could not build: an empty
            // clause, trimmed away later.
            None => Logical::Clause(Vec::new()),
        },
    }
}

fn leaf_of(leaf: &UserInputLeaf) -> Option<Leaf> {
    match leaf {
        UserInputLeaf::Literal(literal) => literal_leaf(literal),
        UserInputLeaf::All => Some(Leaf::All),
        // tamis-search turns `field:*` into `All`; ranges and sets need
        // brackets, which its rewriting removes; regexes are not allowed by
        // its parser (a warning, the leaf dropped).
        UserInputLeaf::Exists { .. } => Some(Leaf::All),
        UserInputLeaf::Range { .. } | UserInputLeaf::Set { .. } | UserInputLeaf::Regex { .. } => {
            None
        }
    }
}

fn literal_leaf(literal: &UserInputLiteral) -> Option<Leaf> {
    let columns: Vec<&'static str> = match literal.field_name.as_deref() {
        None => DEFAULT_COLUMNS.to_vec(),
        Some("subject") => vec![SUBJECT],
        Some("body") => vec![BODY],
        Some("from") => vec![FROM],
        Some("to") => vec![TO],
        Some("attachment") => vec![ATTACHMENT],
        Some("message_id") => vec![MESSAGE_ID],
        Some(keyword @ ("verdict" | "sender_domain")) => {
            // The raw tokenizer makes one token of the whole phrase; a
            // prefix needs two (tantivy's error, the leaf dropped).
            if literal.prefix {
                return None;
            }
            let column = if keyword == "verdict" {
                "verdict"
            } else {
                "sender_domain"
            };
            return Some(Leaf::Keyword {
                column,
                value: literal.phrase.clone(),
            });
        }
        // tamis-search clears any other field name (with a warning).
        Some(_) => DEFAULT_COLUMNS.to_vec(),
    };
    let tokens = folded_tokens(&literal.phrase);
    let tsquery = match tokens.as_slice() {
        // No word at all ("-", "!!"): tantivy builds nothing for it.
        [] => return None,
        // `word*`: a phrase prefix needs two words in tantivy (an error
        // there, so the leaf is dropped here too).
        [_] if literal.prefix => return None,
        [(_, token)] => lexeme(token),
        _ if literal.prefix => phrase(&tokens, true),
        [first, second] if literal.slop > 0 && literal.slop <= MAX_EXACT_SLOP => {
            sloppy_pair(first, second, literal.slop)
        }
        // tantivy's sloppy phrase of more words spends one budget over all
        // gaps, which tsquery cannot say: every word is required, at any
        // distance (more matches than the embedded index).
        _ if literal.slop > 0 => tokens
            .iter()
            .map(|(_, token)| lexeme(token))
            .collect::<Vec<_>>()
            .join(" & "),
        _ => phrase(&tokens, false),
    };
    let highlight = if columns.contains(&BODY) || columns.contains(&SUBJECT) {
        let last = tokens.len() - 1;
        tokens
            .iter()
            .enumerate()
            .map(|(at, (_, token))| {
                if literal.prefix && at == last && last > 0 {
                    format!("{}:*", lexeme(token))
                } else {
                    lexeme(token)
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(Leaf::Text {
        columns,
        tsquery,
        highlight,
    })
}

/// Words at their positions: `<N>` is the distance the tokenizer gave
/// them (more than 1 where it dropped an over-long token), as tantivy's
/// phrase with offsets requires.
fn phrase(tokens: &[(usize, String)], prefix: bool) -> String {
    let mut out = String::new();
    let last = tokens.len() - 1;
    for (at, (position, token)) in tokens.iter().enumerate() {
        if at > 0 {
            let distance = position.saturating_sub(tokens[at - 1].0);
            out.push_str(&format!(" <{distance}> "));
        }
        out.push_str(&lexeme(token));
        if prefix && at == last {
            out.push_str(":*");
        }
    }
    out
}

/// Above this, a two-word sloppy phrase would be a very long tsquery; it
/// is then read like a longer one (see [`literal_leaf`]).
const MAX_EXACT_SLOP: u32 = 16;

/// tantivy's `"a b"~N`: the second word's offset from where the phrase
/// wants it is at most N either way, so it may come up to N - 1 words
/// before the first, at the same position, or up to N + 1 after.
fn sloppy_pair(first: &(usize, String), second: &(usize, String), slop: u32) -> String {
    let wanted = (second.0 - first.0) as i64;
    let slop = i64::from(slop);
    let (a, b) = (lexeme(&first.1), lexeme(&second.1));
    let alternatives: Vec<String> = (wanted - slop..=wanted + slop)
        .map(|distance| match distance {
            d if d >= 0 => format!("{a} <{d}> {b}"),
            d => format!("{b} <{}> {a}", -d),
        })
        .collect();
    format!("({})", alternatives.join(" | "))
}

/// A lexeme quoted for `tsquery`/`tsvector` input: never read as an
/// operator whatever it holds.
pub(crate) fn lexeme(token: &str) -> String {
    format!("'{}'", token.replace('\\', "\\\\").replace('\'', "''"))
}

fn all_negative(logical: &Logical) -> bool {
    match logical {
        Logical::Leaf(_) => false,
        Logical::Boost(inner) => all_negative(inner),
        Logical::Clause(children) => children
            .iter()
            .all(|(occur, child)| *occur == Occur::MustNot || all_negative(child)),
    }
}

fn make_non_negative(logical: &mut Logical) {
    match logical {
        Logical::Leaf(_) => {}
        Logical::Boost(inner) => make_non_negative(inner),
        Logical::Clause(children) => children.push((Occur::Should, Logical::Leaf(Leaf::All))),
    }
}

/// tantivy's `trim_ast`: empty clauses go, recursively; a boost is kept,
/// and what it holds is trimmed when tantivy builds it, an empty part
/// becoming a query that matches nothing.
fn trim(logical: Logical) -> Option<Logical> {
    match logical {
        Logical::Clause(children) => {
            let children: Vec<_> = children
                .into_iter()
                .filter_map(|(occur, child)| trim(child).map(|child| (occur, child)))
                .collect();
            (!children.is_empty()).then_some(Logical::Clause(children))
        }
        Logical::Boost(inner) => Some(Logical::Boost(Box::new(
            trim(*inner).unwrap_or(Logical::Leaf(Leaf::Nothing)),
        ))),
        leaf => Some(leaf),
    }
}

/// `positive`: whether the words found here would make a document match
/// (not under a `MustNot`), hence are worth highlighting.
fn to_sql(logical: &Logical, sql: &mut Sql, highlight: &mut Vec<String>, positive: bool) -> String {
    match logical {
        Logical::Leaf(Leaf::All) => "TRUE".to_string(),
        Logical::Leaf(Leaf::Nothing) => "FALSE".to_string(),
        Logical::Leaf(Leaf::Text {
            columns,
            tsquery,
            highlight: words,
        }) => {
            if positive {
                highlight.extend(words.iter().cloned());
            }
            let query = sql.param(Value::Text(tsquery.clone()));
            let matches: Vec<String> = columns
                .iter()
                .map(|column| format!("{column} @@ {query}::text::tsquery"))
                .collect();
            format!("({})", matches.join(" OR "))
        }
        // A missing keyword is no match, also under NOT.
        Logical::Leaf(Leaf::Keyword { column, value }) => {
            format!(
                "({column} = {}) IS TRUE",
                sql.param(Value::Text(value.clone()))
            )
        }
        Logical::Boost(inner) => to_sql(inner, sql, highlight, positive),
        Logical::Clause(children) => {
            let of = |occur: Occur| children.iter().filter(move |(o, _)| *o == occur);
            let mut must: Vec<String> = of(Occur::Must)
                .map(|(_, child)| to_sql(child, sql, highlight, positive))
                .collect();
            if must.is_empty() {
                // Without a `Must`, one `Should` at least; with one, the
                // `Should`s only score.
                let should: Vec<String> = of(Occur::Should)
                    .map(|(_, child)| to_sql(child, sql, highlight, positive))
                    .collect();
                if should.is_empty() {
                    // Exclusions alone match nothing in tantivy.
                    return "FALSE".to_string();
                }
                must.push(format!("({})", should.join(" OR ")));
            } else {
                // Still highlighted: tantivy's snippets show them too.
                for (_, child) in of(Occur::Should) {
                    to_sql(child, &mut Sql::default(), highlight, positive);
                }
            }
            for (_, child) in of(Occur::MustNot) {
                must.push(format!("NOT {}", to_sql(child, sql, highlight, false)));
            }
            format!("({})", must.join(" AND "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexemes_cannot_escape_their_quotes() {
        assert_eq!(lexeme("a'b\\c"), "'a''b\\\\c'");
    }

    #[test]
    fn phrases_keep_the_tokenizers_gaps() {
        let tokens = vec![(0, "a".to_string()), (2, "b".to_string())];
        assert_eq!(phrase(&tokens, false), "'a' <2> 'b'");
        assert_eq!(phrase(&tokens, true), "'a' <2> 'b':*");
    }

    #[test]
    fn a_sloppy_pair_allows_either_order_within_the_slop() {
        let (a, b) = ((0, "a".to_string()), (1, "b".to_string()));
        assert_eq!(
            sloppy_pair(&a, &b, 2),
            "('b' <1> 'a' | 'a' <0> 'b' | 'a' <1> 'b' | 'a' <2> 'b' | 'a' <3> 'b')"
        );
    }
}
