//! Facet counts: how many matching messages carry each value of a keyword
//! field, read from the fields' fast columns (term ordinals, no stored
//! documents touched).

use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// One facet: the index field it counts and how many values to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Facet {
    /// Both the field name and the key in [`crate::Hits::facets`].
    pub name: &'static str,
    /// `None`: every value (few by nature, or a timeline that needs them all).
    pub top: Option<usize>,
}

pub(crate) const FACETS: [Facet; 6] = [
    Facet {
        name: crate::schema::VERDICT,
        top: None,
    },
    Facet {
        name: crate::schema::SENDER_DOMAIN,
        top: Some(20),
    },
    Facet {
        name: crate::schema::MONTH,
        top: None,
    },
    Facet {
        name: crate::schema::HAS_ATTACHMENT,
        top: None,
    },
    Facet {
        name: crate::schema::ATTACHMENT_TYPE,
        top: Some(20),
    },
    Facet {
        name: crate::schema::KIND,
        top: None,
    },
];

/// Value → number of matching messages, per counted field (same order as
/// the fields given to [`FacetCounter::new`]).
pub(crate) type FacetCounts = Vec<HashMap<String, u64>>;

/// Counts the values of several keyword fields over every matching document.
pub(crate) struct FacetCounter {
    fields: Vec<&'static str>,
}

impl FacetCounter {
    pub fn new(fields: Vec<&'static str>) -> Self {
        FacetCounter { fields }
    }
}

impl Collector for FacetCounter {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for name in &self.fields {
            // `None` when no document of this segment has a value.
            let column = reader.fast_fields().str(name)?;
            let counts = vec![0; column.as_ref().map_or(0, |c| c.num_terms())];
            columns.push((column, counts));
        }
        Ok(SegmentFacetCounter { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged: FacetCounts = vec![HashMap::new(); self.fields.len()];
        for segment in segments {
            for (total, counts) in merged.iter_mut().zip(segment) {
                for (value, count) in counts {
                    *total.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

pub(crate) struct SegmentFacetCounter {
    /// Per field: its column and a count per term ordinal of this segment.
    columns: Vec<(Option<StrColumn>, Vec<u64>)>,
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in &mut self.columns {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
    }

    /// Ordinals become strings once per segment, not once per document.
    fn harvest(self) -> FacetCounts {
        self.columns
            .into_iter()
            .map(|(column, counts)| {
                let mut values = HashMap::new();
                let Some(column) = column else {
                    return values;
                };
                for (ord, count) in counts.into_iter().enumerate() {
                    let mut value = String::new();
                    if count > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                        values.insert(value, count);
                    }
                }
                values
            })
            .collect()
    }
}

/// Most matching first, ties by value so the order is stable; cut to the
/// facet's top N, but a value the user selected always stays listed (with
/// 0 if nothing matches it now) so the page can show it ticked.
pub(crate) fn rank(
    facet: Facet,
    counts: HashMap<String, u64>,
    selected: &[String],
) -> Vec<(String, u64)> {
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let Some(top) = facet.top else {
        append_missing_selected(&mut ranked, selected);
        return ranked;
    };
    let mut kept: Vec<(String, u64)> = Vec::with_capacity(top + selected.len());
    for (value, count) in ranked {
        if kept.len() < top || selected.contains(&value) {
            kept.push((value, count));
        }
    }
    append_missing_selected(&mut kept, selected);
    kept
}

fn append_missing_selected(ranked: &mut Vec<(String, u64)>, selected: &[String]) {
    for value in selected {
        if !ranked.iter().any(|(listed, _)| listed == value) {
            ranked.push((value.clone(), 0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)]) -> HashMap<String, u64> {
        pairs.iter().map(|(v, c)| (v.to_string(), *c)).collect()
    }

    #[test]
    fn ranks_most_first_then_by_value_and_keeps_selected_beyond_top() {
        let facet = Facet {
            name: "sender_domain",
            top: Some(2),
        };
        let ranked = rank(
            facet,
            counts(&[("b.fr", 5), ("a.fr", 5), ("c.fr", 9), ("d.fr", 1)]),
            &["d.fr".to_string(), "gone.fr".to_string()],
        );
        assert_eq!(
            ranked,
            [
                ("c.fr".to_string(), 9),
                ("a.fr".to_string(), 5),
                ("d.fr".to_string(), 1),
                ("gone.fr".to_string(), 0),
            ]
        );
    }
}
