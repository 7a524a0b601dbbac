//! 50,000 messages, 5,000 quote relations: every one found, nothing else,
//! in seconds (release) and within a generous bound in a debug build.

mod common;

use std::collections::BTreeSet;
use std::time::Instant;

use common::{quote, quote_wrapped};
use tamis_corroborate::{corroborations, Message};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: [&str; 24] = [
    "ba", "ter", "lo", "mi", "sur", "pa", "ne", "ci", "tou", "ra", "vel", "do", "gan", "pri", "mo",
    "le", "sta", "fi", "nor", "que", "bri", "an", "es", "vo",
];

fn vocabulary(rng: &mut Rng) -> Vec<String> {
    let mut words = BTreeSet::new();
    while words.len() < 6_000 {
        let n = 2 + rng.below(3);
        words.insert(
            (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect::<String>(),
        );
    }
    words.into_iter().collect()
}

/// Paragraphs of random words, lines of about 70 columns, a figure here
/// and there.
fn text(rng: &mut Rng, vocab: &[String], words: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for k in 0..words {
        let w = if rng.below(15) == 0 {
            format!("{},{:02}", rng.below(10_000), rng.below(100))
        } else {
            vocab[rng.below(vocab.len())].clone()
        };
        if col + w.len() > 70 {
            out.push('\n');
            col = 0;
        } else if k > 0 {
            out.push(' ');
            col += 1;
        }
        col += w.len();
        out.push_str(&w);
        if k % 25 == 24 && k + 1 < words {
            out.push_str(".\n\n");
            col = 0;
        }
    }
    out.push('.');
    out
}

#[test]
fn fifty_thousand_messages() {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let vocab = vocabulary(&mut rng);
    // 200 senders, each signing every message with the same block.
    let senders: Vec<(String, String)> = (0..200)
        .map(|s| {
            let words = text(&mut rng, &vocab, 24);
            let sig = format!(
                "Expéditeur {s}\n{words}\nTél. : 01 23 45 {:02} {:02}",
                s / 100,
                s % 100
            );
            (format!("Expéditeur {s} <sender{s}@example.org>"), sig)
        })
        .collect();
    let mut messages = Vec::new();
    for i in 0..45_000usize {
        let (from, sig) = &senders[i % senders.len()];
        let n = 15 + rng.below(80);
        messages.push(Message {
            id: i as i64 + 1,
            verified: false,
            message_id: Some(format!("<m{i}@example.org>")),
            subject: Some(format!("Sujet {i}")),
            from: Some(from.clone()),
            body: format!("Bonjour,\n\n{}\n\n{sig}\n", text(&mut rng, &vocab, n)),
            ..Message::default()
        });
    }
    // 5,000 verified replies, each quoting one message: a third with thread
    // headers, the others without; quotes as written or re-wrapped at 60
    // columns; every tenth quote shows another figure than the dump's copy.
    let mut expected = Vec::new();
    for r in 0..5_000usize {
        let target = r * 9 + rng.below(9);
        let t = messages[target].clone();
        let id = 45_001 + r as i64;
        let mut quoted = t.body.clone();
        if r % 10 == 0 {
            quoted = quoted.replacen("Bonjour,", "Bonjour, le montant est de 412,60 EUR.", 1);
        }
        let quoted = if r % 2 == 0 {
            quote(&quoted)
        } else {
            quote_wrapped(&quoted, 60)
        };
        let n = 10 + rng.below(40);
        let own = text(&mut rng, &vocab, n);
        messages.push(Message {
            id,
            verified: true,
            message_id: Some(format!("<r{r}@example.net>")),
            in_reply_to: (r % 3 == 0).then(|| t.message_id.clone().unwrap()),
            subject: Some(format!("Re: {}", t.subject.as_deref().unwrap())),
            from: Some("Répondeur <reply@example.net>".to_string()),
            body: format!(
                "{own}\n\nLe 3 mai 2017 à 10:12, {} a écrit :\n{quoted}\n",
                t.from.as_deref().unwrap()
            ),
            ..Message::default()
        });
        expected.push((t.id, id));
    }
    expected.sort_unstable();
    assert_eq!(messages.len(), 50_000);

    let started = Instant::now();
    let found = corroborations(&messages);
    let elapsed = started.elapsed();
    eprintln!(
        "50,000 messages, {} corroborations, {elapsed:.2?}",
        found.len()
    );

    let got: Vec<(i64, i64)> = found.iter().map(|c| (c.message, c.by)).collect();
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected);
    let with_differences = found.iter().filter(|c| !c.differences.is_empty()).count();
    assert_eq!(with_differences, 500);
    let limit = if cfg!(debug_assertions) { 120.0 } else { 10.0 };
    assert!(elapsed.as_secs_f64() < limit, "{elapsed:?}");
}
