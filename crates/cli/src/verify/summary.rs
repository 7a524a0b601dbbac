//! The run's summary: counts per verdict, duplicates, what could not be read.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use tamis_findings::Verdict;
use tamis_items::{StoreTally, Unreadable};

pub struct Summary {
    pub unique_messages: u64,
    pub duplicates: u64,
    pub verdicts: BTreeMap<Verdict, u64>,
    pub other_files: u64,
    pub unreadable: Vec<Unreadable>,
    /// Mail stores read (PST, OST): what each claimed, read, failed.
    pub stores: Vec<StoreTally>,
    pub elapsed: Duration,
}

impl Summary {
    /// True when the run found nothing it could read at all: exit status 1.
    pub fn nothing_read(&self) -> bool {
        self.unique_messages == 0 && self.other_files == 0
    }

    /// The summary line of `--format jsonl`, written to stderr.
    pub fn json(&self) -> Value {
        let verdicts: serde_json::Map<String, Value> = Verdict::ALL
            .iter()
            .map(|v| {
                (
                    v.as_str().to_string(),
                    json!(self.verdicts.get(v).unwrap_or(&0)),
                )
            })
            .collect();
        json!({
            "summary": {
                "messages": self.unique_messages,
                "duplicates": self.duplicates,
                "verdicts": verdicts,
                "other_files": self.other_files,
                "unreadable": self.unreadable,
                "stores": self.stores,
                "seconds": self.elapsed.as_secs_f64(),
            }
        })
    }
}
