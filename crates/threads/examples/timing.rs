//! How long `thread` takes on dump-sized inputs: a quick measurement, not a
//! test.
//!
//!     cargo run --release -p tamis-threads --example timing
//!
//! Builds dumps shaped like a leaked mailbox (conversations with full
//! References chains, replies whose parents are missing, duplicate ids,
//! messages without ids) at the size of the published Macron archive and
//! ten times it, and times each; linear time shows as ten times the time.

use std::time::Instant;

use tamis_threads::{thread, ThreadInput};

fn main() {
    for count in [71_848, 718_480] {
        let messages = dump(count);
        let started = Instant::now();
        let threads = thread(&messages);
        let elapsed = started.elapsed();
        let nodes: usize = threads.iter().map(Vec::len).sum();
        println!(
            "{count} messages: {} threads, {nodes} nodes, {:.0} ms",
            threads.len(),
            elapsed.as_secs_f64() * 1e3
        );
    }
}

/// Conversations of 1 to 40 messages, each reply carrying the References
/// of its whole branch; one message in 30 lost (referenced, absent), one in
/// 50 with a duplicated id, one in 100 without an id.
fn dump(count: usize) -> Vec<ThreadInput> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut random = move |bound: usize| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound as u64) as usize
    };
    let mut messages = Vec::with_capacity(count);
    let mut conversation = 0;
    while messages.len() < count {
        let size = 1 + random(40);
        let mut chains: Vec<Vec<String>> = Vec::new();
        for position in 0..size {
            let id = format!("c{conversation}.{position}@leak");
            let references = if position == 0 {
                Vec::new()
            } else {
                let mut chain = chains[random(chains.len())].clone();
                chain.truncate(20);
                chain
            };
            let mut own_chain = references.clone();
            own_chain.push(id.clone());
            chains.push(own_chain);
            if random(30) == 0 {
                continue;
            }
            let message_id = match random(100) {
                0 => None,
                1 | 2 => Some(format!("c{conversation}.0@leak")),
                _ => Some(id),
            };
            messages.push(ThreadInput {
                id: messages.len() as i64,
                message_id,
                references,
                subject: Some(format!("Re: conversation {conversation}")),
                date_unix: Some(1_490_000_000 + random(10_000_000) as i64),
                ..ThreadInput::default()
            });
        }
        conversation += 1;
    }
    messages.truncate(count);
    messages
}
