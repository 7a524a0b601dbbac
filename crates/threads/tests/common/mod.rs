//! Building messages and reading threads back in a compact form.

#![allow(dead_code)] // each test binary uses its own subset

use tamis_threads::{ThreadInput, ThreadNode};

/// A message with caller id `id`, Message-ID `message_id` (None for none)
/// and date `date` (seconds).
pub fn message(id: i64, message_id: Option<&str>, date: Option<i64>) -> ThreadInput {
    ThreadInput {
        id,
        message_id: message_id.map(str::to_string),
        date_unix: date,
        ..ThreadInput::default()
    }
}

pub fn with_references(mut input: ThreadInput, references: &[&str]) -> ThreadInput {
    input.references = references.iter().map(|id| id.to_string()).collect();
    input
}

pub fn with_in_reply_to(mut input: ThreadInput, in_reply_to: &[&str]) -> ThreadInput {
    input.in_reply_to = in_reply_to.iter().map(|id| id.to_string()).collect();
    input
}

pub fn with_subject(mut input: ThreadInput, subject: &str) -> ThreadInput {
    input.subject = Some(subject.to_string());
    input
}

/// Each thread as `(caller id, depth)` pairs; an absent message is `None`.
pub fn shape(threads: &[Vec<ThreadNode>]) -> Vec<Vec<(Option<i64>, u32)>> {
    threads
        .iter()
        .map(|thread| thread.iter().map(|node| (node.id, node.depth)).collect())
        .collect()
}

/// Every caller id in the output, sorted.
pub fn all_ids(threads: &[Vec<ThreadNode>]) -> Vec<i64> {
    let mut ids: Vec<i64> = threads
        .iter()
        .flatten()
        .filter_map(|node| node.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// xorshift64*: the same sequence on every run.
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        Seeded(seed.max(1))
    }

    pub fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound as u64) as usize
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            items.swap(index, self.below(index + 1));
        }
    }
}

/// A dump-like mix: reply chains, absent parents, duplicate ids, loops,
/// messages without ids, undated messages and reply subjects.
pub fn messy_dump(count: usize, seed: u64) -> Vec<ThreadInput> {
    let mut random = Seeded::new(seed);
    let mut messages: Vec<ThreadInput> = Vec::with_capacity(count);
    for index in 0..count {
        let id = index as i64 + 1;
        let message_id = match random.below(20) {
            0 => None,
            // A duplicate of an earlier id.
            1 if index > 0 => Some(format!("m{}@dump", random.below(index))),
            _ => Some(format!("m{index}@dump")),
        };
        let date = (random.below(10) != 0).then(|| 1_490_000_000 + random.below(5_000_000) as i64);
        let mut input = ThreadInput {
            id,
            message_id,
            date_unix: date,
            ..ThreadInput::default()
        };
        match random.below(6) {
            0 => {}
            1 => input.in_reply_to = vec![format!("m{}@dump", random.below(count))],
            2 => {
                input.references = vec![format!("absent{}@elsewhere", random.below(count / 4 + 1))]
            }
            _ => {
                let depth = 1 + random.below(5);
                input.references = (0..depth)
                    .map(|_| format!("m{}@dump", random.below(count)))
                    .collect();
            }
        }
        input.subject = Some(match random.below(4) {
            0 => format!("Re: topic {}", random.below(count / 8 + 1)),
            1 => "Lunch".to_string(),
            _ => format!("topic {}", random.below(count / 8 + 1)),
        });
        messages.push(input);
    }
    messages
}
