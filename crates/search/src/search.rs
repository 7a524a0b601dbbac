//! One search: the page of hits in the requested order, the total, and the
//! facet counts, each facet counted with every filter but its own (so
//! ticking `verdict=verified` still shows how many `body-altered` there are).

use crate::facets::{rank, Facet, FacetCounter, FacetCounts, FACETS};
use crate::query::{conjunction, keyword_filter, parse_text};
use crate::schema::{self, normalize_keyword, Fields};
use crate::snippets::Snippets;
use crate::{DocKind, Hit, Hits, Query, Sort, MAX_LIMIT};
use anyhow::Context;
use std::collections::BTreeMap;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{Query as TantivyQuery, QueryParser};
use tantivy::{DocAddress, Order, Searcher};

/// A facet's filter as the user set it.
struct FacetFilter {
    facet: Facet,
    /// Normalized values, ORed; empty: no filter on this facet.
    selected: Vec<String>,
    query: Option<Box<dyn TantivyQuery>>,
}

fn facet_filters(fields: &Fields, query: &Query) -> Vec<FacetFilter> {
    let has_attachment = query.has_attachment_values();
    FACETS
        .iter()
        .map(|&facet| {
            let (field, values) = match facet.name {
                schema::VERDICT => (fields.verdict, &query.verdict),
                schema::SENDER_DOMAIN => (fields.sender_domain, &query.sender_domain),
                schema::MONTH => (fields.month, &query.month),
                schema::HAS_ATTACHMENT => (fields.has_attachment, &has_attachment),
                schema::ATTACHMENT_TYPE => (fields.attachment_type, &query.attachment_type),
                _ => (fields.kind, &query.kind),
            };
            let mut selected: Vec<String> = values.iter().map(|v| normalize_keyword(v)).collect();
            selected.sort();
            selected.dedup();
            FacetFilter {
                facet,
                query: keyword_filter(field, &selected),
                selected,
            }
        })
        .collect()
}

pub(crate) fn run(
    searcher: &Searcher,
    parser: &QueryParser,
    fields: Fields,
    request: &Query,
) -> anyhow::Result<Hits> {
    let parsed = parse_text(parser, &request.text);
    let text = parsed.query.as_deref();
    let filters = facet_filters(&fields, request);
    let all_filters = || {
        filters
            .iter()
            .filter_map(|f| f.query.as_ref().map(|q| q.box_clone()))
    };
    let matching = conjunction(text, all_filters());

    // Facets without a filter of their own are counted in the main pass.
    let unfiltered: Vec<&'static str> = filters
        .iter()
        .filter(|f| f.query.is_none())
        .map(|f| f.facet.name)
        .collect();
    let facet_counter = FacetCounter::new(unfiltered.clone());
    let limit = request.limit.min(MAX_LIMIT);
    // Past the last match there is nothing to show; clamping also keeps a
    // hostile offset from sizing the collector's heap.
    let offset = request
        .offset
        .min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
    let pages = |limit| TopDocs::with_limit(limit).and_offset(offset);
    // Without text every score is equal: newest first says more than index order.
    let sort = match (request.sort, text) {
        (Sort::Relevance, None) => Sort::Newest,
        (sort, _) => sort,
    };
    let by_date = |order| {
        (limit > 0).then(|| pages(limit).order_by_fast_field::<i64>(schema::DATE_UNIX, order))
    };
    let (total, main_counts, page) = match sort {
        Sort::Relevance => collect(
            searcher,
            &*matching,
            facet_counter,
            (limit > 0).then(|| pages(limit).order_by_score()),
            |score| score,
        )?,
        // Undated messages come last in both orders (tantivy puts `None`
        // last for Desc, and for Asc with its "none is lower" comparator).
        Sort::Newest => collect(
            searcher,
            &*matching,
            facet_counter,
            by_date(Order::Desc),
            |_| 0.0,
        )?,
        Sort::Oldest => collect(
            searcher,
            &*matching,
            facet_counter,
            by_date(Order::Asc),
            |_| 0.0,
        )?,
    };

    let mut facets = BTreeMap::new();
    for filter in &filters {
        let counts = match unfiltered
            .iter()
            .position(|&name| name == filter.facet.name)
        {
            Some(index) => main_counts[index].clone(),
            None => count_without_own_filter(searcher, text, &filters, filter.facet)?,
        };
        facets.insert(
            filter.facet.name.to_string(),
            rank(filter.facet, counts, &filter.selected),
        );
    }

    let snippets = Snippets::new(searcher, fields, text).context("preparing snippets")?;
    let mut hits = Vec::with_capacity(page.len());
    for (score, address) in page {
        hits.push(Hit {
            kind: kind_of(searcher, address)?,
            id: id_of(searcher, address)?,
            score,
            snippet: snippets.for_hit(searcher, address)?,
        });
    }
    Ok(Hits {
        total: total as u64,
        hits,
        facets,
        warnings: parsed.warnings,
    })
}

type Collected = (usize, FacetCounts, Vec<(f32, DocAddress)>);

/// One pass over the matches: how many, their facet values, and the page.
fn collect<K, C>(
    searcher: &Searcher,
    query: &dyn TantivyQuery,
    facet_counter: FacetCounter,
    page: Option<C>,
    score_of: impl Fn(K) -> f32,
) -> anyhow::Result<Collected>
where
    C: Collector<Fruit = Vec<(K, DocAddress)>>,
{
    let (total, counts, page) = searcher.search(query, &(Count, facet_counter, page))?;
    let page = page
        .unwrap_or_default()
        .into_iter()
        .map(|(key, address)| (score_of(key), address))
        .collect();
    Ok((total, counts, page))
}

fn count_without_own_filter(
    searcher: &Searcher,
    text: Option<&dyn TantivyQuery>,
    filters: &[FacetFilter],
    facet: Facet,
) -> anyhow::Result<std::collections::HashMap<String, u64>> {
    let others = filters
        .iter()
        .filter(|f| f.facet != facet)
        .filter_map(|f| f.query.as_ref().map(|q| q.box_clone()));
    let query = conjunction(text, others);
    let mut counts = searcher.search(&*query, &FacetCounter::new(vec![facet.name]))?;
    Ok(counts.pop().unwrap_or_default())
}

/// The case id, from its fast column: no stored document to decompress.
fn id_of(searcher: &Searcher, address: DocAddress) -> anyhow::Result<i64> {
    searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .i64(schema::ID)?
        .first(address.doc_id)
        .context("an indexed message has no id")
}

/// Message or document, from the `kind` column.
fn kind_of(searcher: &Searcher, address: DocAddress) -> anyhow::Result<DocKind> {
    let column = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .str(schema::KIND)?
        .context("an indexed document has no kind")?;
    let mut value = String::new();
    let ord = column
        .term_ords(address.doc_id)
        .next()
        .context("an indexed document has no kind")?;
    column.ord_to_str(ord, &mut value)?;
    DocKind::parse(&value).with_context(|| format!("unknown kind {value:?} in the search index"))
}
