//! The shared case's search (issue 8): PostgreSQL full-text search with the
//! contract of `tamis_search::SearchIndex`, so the API and the UI need not
//! know which case they serve.
//!
//! - The text is read by `tamis-search` itself ([`tamis_search::parse_user_text`]:
//!   the same grammar, rewriting and warnings) and translated to SQL in
//!   `text`, every word a bound `tsquery` parameter.
//! - Matching uses one unaccented simple `tsvector` per field, written from
//!   the embedded index's own tokens (`vectors`), so both engines find the
//!   same documents (tantivy does not stem). The `tamis_simple` text search
//!   configuration (simple + unaccent) reads the stored text for snippets;
//!   the `french` and `english` vectors only help ranking.
//! - Facets, filters, orders and pages as the embedded index has them.

mod sql;
mod text;
mod vectors;

use anyhow::Context;
use postgres::Client;
use sql::{quote_ident, Sql, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use tamis_search::{
    month_of, normalize_keyword, unmarked_snippet, DocKind, Hit, Hits, Query, SearchDoc, Sort,
    MAX_LIMIT,
};

/// Snippets are cut from this much of a body, as the embedded index stores.
const STORED_BODY_BYTES: usize = 32 * 1024;

/// The stemmed vectors only rank; a body's first this many characters say
/// enough about it, and keep the vector far below PostgreSQL's 1 MiB.
const STEMMED_CHARS: i32 = 200_000;

/// Long enough for a sentence or two of context around the match.
const HEADLINE_OPTIONS: &str =
    "StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, ShortWord=0, MaxFragments=1, FragmentDelimiter=\" … \"";

/// The facets: name, column, how many values to keep (`None`: all).
const FACETS: [(&str, &str, Option<usize>); 6] = [
    ("verdict", "verdict", None),
    ("sender_domain", "sender_domain", Some(20)),
    ("month", "month", None),
    ("has_attachment", "has_attachment", None),
    ("attachment_type", "attachment_types", Some(20)),
    ("kind", "kind", None),
];

/// The search tables of one shared case, in `schema`. Send + Sync: one
/// instance serves concurrent searches (one at a time on its connection).
pub struct PgSearch {
    client: Mutex<Client>,
    schema: String,
}

impl PgSearch {
    pub fn new(client: Client, schema: &str) -> PgSearch {
        PgSearch {
            client: Mutex::new(client),
            schema: schema.to_string(),
        }
    }

    fn table(&self) -> String {
        format!("{}.search_docs", quote_ident(&self.schema))
    }

    /// `schema.tamis_simple` as a `regconfig` value.
    fn simple_config(&self) -> String {
        format!("{}.tamis_simple", quote_ident(&self.schema))
    }

    fn client(&self) -> std::sync::MutexGuard<'_, Client> {
        // A panic mid-statement leaves nothing half-done on the server
        // that the next statement would see: the connection is reusable.
        self.client.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates what is missing: the schema, the `tamis_simple`
    /// configuration, the documents table and its GIN indexes. Safe to run
    /// from several workers at once.
    pub fn migrate(&self) -> anyhow::Result<()> {
        let mut client = self.client();
        let mut tx = client.transaction()?;
        // Workers starting together would race on CREATE … IF NOT EXISTS.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('tamis-search-pg:' || $1))",
            &[&self.schema],
        )?;
        let schema = quote_ident(&self.schema);
        tx.batch_execute(&format!(
            "SET LOCAL client_min_messages = warning;
             CREATE SCHEMA IF NOT EXISTS {schema};
             CREATE EXTENSION IF NOT EXISTS unaccent;"
        ))
        .context("creating the search schema (unaccent must be installable)")?;
        let has_config: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT FROM pg_ts_config c
                 JOIN pg_namespace n ON n.oid = c.cfgnamespace
                 WHERE c.cfgname = 'tamis_simple' AND n.nspname = $1)",
                &[&self.schema],
            )?
            .get(0);
        if !has_config {
            // Case and accents folded as the embedded index folds them:
            // unaccent first (it passes on words it does not change), then
            // simple (lowercase, no stemming, no stop words).
            let config = self.simple_config();
            tx.batch_execute(&format!(
                "CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.simple);
                 ALTER TEXT SEARCH CONFIGURATION {config}
                   ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
                   WITH unaccent, simple;"
            ))?;
        }
        let table = self.table();
        tx.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {table} (
                kind text NOT NULL,
                id bigint NOT NULL,
                subject text NOT NULL,
                -- the start of the body, for snippets
                body_prefix text NOT NULL,
                -- keywords, lowercased; NULL when empty or, for documents,
                -- meaningless (month, has_attachment)
                verdict text,
                sender_domain text,
                month text,
                has_attachment text,
                attachment_types text[] NOT NULL,
                date_unix bigint,
                -- matching: the embedded index's tokens, one vector per field
                s_subject tsvector NOT NULL,
                s_body tsvector NOT NULL,
                s_from tsvector NOT NULL,
                s_to tsvector NOT NULL,
                s_attachment tsvector NOT NULL,
                s_message_id tsvector NOT NULL,
                -- ranking only: stemmed subject (weight A) and body
                v_french tsvector NOT NULL,
                v_english tsvector NOT NULL,
                PRIMARY KEY (kind, id)
             );"
        ))?;
        for column in [
            "s_subject",
            "s_body",
            "s_from",
            "s_to",
            "s_attachment",
            "s_message_id",
        ] {
            tx.batch_execute(&format!(
                "CREATE INDEX IF NOT EXISTS search_docs_{column} ON {table} USING gin ({column})"
            ))?;
        }
        tx.batch_execute(&format!(
            "CREATE INDEX IF NOT EXISTS search_docs_date ON {table} (date_unix);
             CREATE INDEX IF NOT EXISTS search_docs_types ON {table} USING gin (attachment_types);"
        ))?;
        tx.commit()?;
        Ok(())
    }

    /// Adds documents, replacing any with the same kind and id; visible
    /// once this returns (one transaction).
    pub fn add(&self, docs: &[SearchDoc]) -> anyhow::Result<()> {
        let mut client = self.client();
        let mut tx = client.transaction()?;
        let statement = tx.prepare(&format!(
            "INSERT INTO {table} (kind, id, subject, body_prefix, verdict, sender_domain, month,
                has_attachment, attachment_types, date_unix, s_subject, s_body, s_from, s_to,
                s_attachment, s_message_id, v_french, v_english)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                $11::text::tsvector, $12::text::tsvector, $13::text::tsvector, $14::text::tsvector, $15::text::tsvector,
                $16::text::tsvector,
                setweight(to_tsvector('pg_catalog.french', $3), 'A')
                  || to_tsvector('pg_catalog.french', left($17, {STEMMED_CHARS})),
                setweight(to_tsvector('pg_catalog.english', $3), 'A')
                  || to_tsvector('pg_catalog.english', left($17, {STEMMED_CHARS})))
             ON CONFLICT (kind, id) DO UPDATE SET
                subject = excluded.subject, body_prefix = excluded.body_prefix,
                verdict = excluded.verdict, sender_domain = excluded.sender_domain,
                month = excluded.month, has_attachment = excluded.has_attachment,
                attachment_types = excluded.attachment_types, date_unix = excluded.date_unix,
                s_subject = excluded.s_subject, s_body = excluded.s_body,
                s_from = excluded.s_from, s_to = excluded.s_to,
                s_attachment = excluded.s_attachment, s_message_id = excluded.s_message_id,
                v_french = excluded.v_french, v_english = excluded.v_english",
            table = self.table()
        ))?;
        for doc in docs {
            let keyword = |value: &str| Some(normalize_keyword(value)).filter(|v| !v.is_empty());
            // As the embedded index: a document's date is what its
            // metadata claims, so it stays out of the month and
            // attachment facets.
            let (month, has_attachment) = match doc.kind {
                DocKind::Message => (
                    Some(month_of(doc.date_unix)),
                    Some(if doc.has_attachment { "yes" } else { "no" }.to_string()),
                ),
                DocKind::Document => (None, None),
            };
            let types = doc.attachment_type_values();
            let body_prefix = &doc.body[..doc.body.floor_char_boundary(STORED_BODY_BYTES)];
            tx.execute(
                &statement,
                &[
                    &doc.kind.as_str(),
                    &doc.id,
                    &doc.subject,
                    &body_prefix,
                    &keyword(&doc.verdict),
                    &keyword(&doc.sender_domain),
                    &month,
                    &has_attachment,
                    &types,
                    &doc.date_unix,
                    // The subject weighs double in ranking, as in tantivy.
                    &vectors::simple_vector(&doc.subject, 'A'),
                    &vectors::simple_vector(&doc.body, 'D'),
                    &vectors::simple_vector(&doc.from, 'D'),
                    &vectors::simple_vector(&doc.to, 'D'),
                    &vectors::simple_vector(&doc.attachment_names, 'D'),
                    &vectors::simple_vector(&doc.message_id, 'D'),
                    &doc.body,
                ],
            )
            .with_context(|| format!("indexing {} {}", doc.kind.as_str(), doc.id))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Messages and documents searchable now.
    pub fn num_docs(&self) -> anyhow::Result<u64> {
        let count: i64 = self
            .client()
            .query_one(&format!("SELECT count(*) FROM {}", self.table()), &[])?
            .get(0);
        Ok(count as u64)
    }

    /// One search, with the semantics of `tamis_search::SearchIndex::search`.
    pub fn search(&self, request: &Query) -> anyhow::Result<Hits> {
        let parsed = tamis_search::parse_user_text(&request.text);
        let mut base = Sql::default();
        let text = text::condition(parsed.ast.as_ref(), &mut base);
        let filters = facet_filters(request);
        let table = self.table();
        let mut client = self.client();

        // Every condition but the facet `except`'s own filter.
        let condition = |sql: &mut Sql, except: Option<&str>| -> String {
            let mut parts: Vec<String> = text.condition.iter().cloned().collect();
            for (name, column, selected) in &filters {
                if selected.is_empty() || Some(*name) == except {
                    continue;
                }
                let values = sql.param(Value::Texts(selected.clone()));
                parts.push(if *name == "attachment_type" {
                    format!("{column} && {values}::text[]")
                } else {
                    format!("{column} = ANY({values}::text[])")
                });
            }
            if parts.is_empty() {
                "TRUE".to_string()
            } else {
                parts.join(" AND ")
            }
        };

        let mut sql = base.clone();
        let all = condition(&mut sql, None);
        let total: i64 = client
            .query_one(
                &format!("SELECT count(*) FROM {table} WHERE {all}"),
                &sql.params(),
            )?
            .get(0);

        let mut facets = BTreeMap::new();
        for (name, column, selected) in &filters {
            let mut sql = base.clone();
            let matching = condition(&mut sql, Some(name));
            let statement = if *name == "attachment_type" {
                format!(
                    "SELECT value, count(*) FROM {table}, unnest({column}) AS value
                     WHERE {matching} GROUP BY value"
                )
            } else {
                format!(
                    "SELECT {column}, count(*) FROM {table}
                     WHERE {matching} AND {column} IS NOT NULL GROUP BY {column}"
                )
            };
            let counts: HashMap<String, u64> = client
                .query(&statement, &sql.params())?
                .iter()
                .map(|row| (row.get::<_, String>(0), row.get::<_, i64>(1) as u64))
                .collect();
            let top = FACETS.iter().find(|f| f.0 == *name).and_then(|f| f.2);
            facets.insert(name.to_string(), rank(counts, top, selected));
        }

        let limit = request.limit.min(MAX_LIMIT);
        let mut hits = Vec::new();
        if limit > 0 {
            // Without text every score is equal: newest first says more.
            let sort = match (request.sort, &text.condition) {
                (Sort::Relevance, None) => Sort::Newest,
                (sort, _) => sort,
            };
            let mut sql = base.clone();
            let all = condition(&mut sql, None);
            let words = (!text.highlight.is_empty()).then(|| text.highlight.join(" | "));
            let words = sql.param(Value::OptText(words));
            let config = sql.param(Value::Text(self.simple_config()));
            // Ranking combines the three readings: the exact words (subject
            // weighing double: weights {D, C, B, A}), and the French and
            // English stems, which reward a document for the other forms of
            // the searched words without changing what matches.
            let score = format!(
                "coalesce(
                   ts_rank(s_subject || s_body || s_from || s_to || s_attachment,
                           {words}::text::tsquery) * 2
                   + ts_rank(v_french, to_tsquery('pg_catalog.french', {words}))
                   + ts_rank(v_english, to_tsquery('pg_catalog.english', {words})), 0)"
            );
            let (score, order) = match sort {
                Sort::Relevance => (score, "score DESC, date_unix DESC NULLS LAST, kind, id"),
                // Undated last in both orders, as in the embedded index.
                Sort::Newest => ("0".to_string(), "date_unix DESC NULLS LAST, kind, id"),
                Sort::Oldest => ("0".to_string(), "date_unix ASC NULLS LAST, kind, id"),
            };
            let offset = sql.param(Value::Text(request.offset.to_string()));
            let limit = sql.param(Value::Text(limit.to_string()));
            // The text is escaped before PostgreSQL cuts and marks it, so
            // the only tags in a snippet are its `<mark>`s (its parser
            // reads the entities as single tokens, never splitting them).
            let escaped = |column: &str| {
                format!(
                    "replace(replace(replace(replace(replace({column},
                       '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '\"', '&quot;'), '''', '&#39;')"
                )
            };
            let statement = format!(
                "SELECT kind, id, score::real, subject, body_prefix,
                   ts_headline({config}::text::regconfig, {body}, {words}::text::tsquery, '{HEADLINE_OPTIONS}'),
                   ts_headline({config}::text::regconfig, {subject}, {words}::text::tsquery, '{HEADLINE_OPTIONS}')
                 FROM (SELECT *, {score} AS score FROM {table} WHERE {all}
                       ORDER BY {order} OFFSET {offset}::text::bigint LIMIT {limit}::text::bigint) AS page
                 ORDER BY {order}",
                body = escaped("body_prefix"),
                subject = escaped("subject"),
            );
            for row in client.query(&statement, &sql.params())? {
                let kind: String = row.get(0);
                let score: f32 = row.get(2);
                let subject: String = row.get(3);
                let body: String = row.get(4);
                let marked = [row.get::<_, Option<String>>(5), row.get(6)]
                    .into_iter()
                    .flatten()
                    .find(|headline| headline.contains("<mark>"));
                let snippet = marked.unwrap_or_else(|| unmarked_snippet(&subject, &body));
                hits.push(Hit {
                    kind: if kind == "document" {
                        DocKind::Document
                    } else {
                        DocKind::Message
                    },
                    id: row.get(1),
                    score: if sort == Sort::Relevance { score } else { 0.0 },
                    snippet,
                });
            }
        }
        Ok(Hits {
            total: total as u64,
            hits,
            facets,
            warnings: parsed.warnings,
        })
    }
}

/// (facet name, column, selected values normalized, sorted, deduplicated).
fn facet_filters(query: &Query) -> Vec<(&'static str, &'static str, Vec<String>)> {
    let has_attachment = query.has_attachment_values();
    FACETS
        .iter()
        .map(|&(name, column, _)| {
            let values = match name {
                "verdict" => &query.verdict,
                "sender_domain" => &query.sender_domain,
                "month" => &query.month,
                "has_attachment" => &has_attachment,
                "attachment_type" => &query.attachment_type,
                _ => &query.kind,
            };
            let mut selected: Vec<String> = values.iter().map(|v| normalize_keyword(v)).collect();
            selected.sort();
            selected.dedup();
            (name, column, selected)
        })
        .collect()
}

/// Most matching first, ties by value; cut to `top`, but a selected value
/// always stays listed (0 when nothing matches it), as the embedded index
/// ranks its facets.
fn rank(
    counts: HashMap<String, u64>,
    top: Option<usize>,
    selected: &[String],
) -> Vec<(String, u64)> {
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut kept: Vec<(String, u64)> = match top {
        None => ranked,
        Some(top) => {
            let mut kept = Vec::new();
            for (value, count) in ranked {
                if kept.len() < top || selected.contains(&value) {
                    kept.push((value, count));
                }
            }
            kept
        }
    };
    for value in selected {
        if !kept.iter().any(|(listed, _)| listed == value) {
            kept.push((value.clone(), 0));
        }
    }
    kept
}
