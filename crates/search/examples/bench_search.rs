//! Search latency on a synthetic case: builds (or reuses) an index of N
//! seeded messages, then times typical searches end to end (query, facets,
//! snippets), as `tamis serve` runs them. Run through bench/search-100k.sh.
//!
//!     bench_search --index DIR [--docs 100000] [--seed 1] [--runs 30] [--rebuild]

use std::path::PathBuf;
use std::time::{Duration, Instant};
use tamis_search::{DocKind, Query, SearchDoc, SearchIndex, Sort, Watermark};

fn main() -> anyhow::Result<()> {
    let options = Options::parse()?;
    if options.rebuild && options.index.exists() {
        std::fs::remove_dir_all(&options.index)?;
    }
    let existing = existing_docs(&options);
    if existing == Some(options.docs) {
        println!(
            "index: reusing {} ({} messages)",
            options.index.display(),
            options.docs
        );
    } else {
        if existing.is_some() {
            std::fs::remove_dir_all(&options.index)?;
        }
        build(&options)?;
    }
    println!(
        "index size: {:.1} MiB",
        dir_bytes(&options.index)? as f64 / 1048576.0
    );

    let index = SearchIndex::open_read_only(&options.index)?;
    let queries = typical_queries();
    // First run of each query warms the page cache and tantivy's caches.
    for (_, query) in &queries {
        index.search(query)?;
    }
    println!(
        "\n{} runs of each query, limit 20, facets and snippets included:\n",
        options.runs
    );
    println!("| query | matches | p50 ms | p95 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |");
    let mut all = Vec::new();
    for (label, query) in &queries {
        let mut times = Vec::with_capacity(options.runs);
        let mut total = 0;
        for _ in 0..options.runs {
            let start = Instant::now();
            let hits = index.search(query)?;
            times.push(start.elapsed());
            total = hits.total;
        }
        let summary = Percentiles::of(&mut times);
        println!(
            "| `{label}` | {total} | {:.1} | {:.1} | {:.1} |",
            summary.p50, summary.p95, summary.max
        );
        all.extend(times);
    }
    let overall = Percentiles::of(&mut all);
    println!(
        "| **all {} searches** | | **{:.1}** | **{:.1}** | **{:.1}** |",
        all.len(),
        overall.p50,
        overall.p95,
        overall.max
    );
    Ok(())
}

struct Options {
    index: PathBuf,
    docs: usize,
    seed: u64,
    runs: usize,
    rebuild: bool,
}

impl Options {
    fn parse() -> anyhow::Result<Self> {
        let mut options = Options {
            index: PathBuf::new(),
            docs: 100_000,
            seed: 1,
            runs: 30,
            rebuild: false,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .ok_or_else(|| anyhow::anyhow!("{arg} needs a value"))
            };
            match arg.as_str() {
                "--index" => options.index = PathBuf::from(value()?),
                "--docs" => options.docs = value()?.parse()?,
                "--seed" => options.seed = value()?.parse()?,
                "--runs" => options.runs = value()?.parse::<usize>()?.max(1),
                "--rebuild" => options.rebuild = true,
                other => anyhow::bail!(
                    "unknown argument {other}; usage: bench_search --index DIR \
                     [--docs N] [--seed S] [--runs R] [--rebuild]"
                ),
            }
        }
        anyhow::ensure!(
            !options.index.as_os_str().is_empty(),
            "--index DIR is required"
        );
        Ok(options)
    }
}

fn existing_docs(options: &Options) -> Option<usize> {
    let index = SearchIndex::open_read_only(&options.index).ok()?;
    Some(index.num_docs() as usize)
}

/// Like an ingest: batches, each committed with its watermark, then merges.
fn build(options: &Options) -> anyhow::Result<()> {
    const BATCH: usize = 5_000;
    let mut generator = MailGenerator::new(options.seed);
    let mut index = SearchIndex::open_or_create(&options.index)?;
    let start = Instant::now();
    let mut batch = Vec::with_capacity(BATCH);
    let mut text_bytes = 0usize;
    for id in 1..=options.docs as i64 {
        let doc = generator.message(id);
        text_bytes += doc.subject.len() + doc.body.len();
        batch.push(doc);
        if batch.len() == BATCH || id == options.docs as i64 {
            index.add(&batch)?;
            index.commit(Watermark {
                messages: id,
                documents: 0,
            })?;
            batch.clear();
        }
    }
    index.close()?;
    let took = start.elapsed().as_secs_f64();
    println!(
        "index: built {} messages ({:.0} MiB of subject+body text) in {took:.1} s \
         ({:.0} messages/s), seed {}",
        options.docs,
        text_bytes as f64 / 1048576.0,
        options.docs as f64 / took,
        options.seed
    );
    Ok(())
}

fn typical_queries() -> Vec<(&'static str, Query)> {
    let text = |text: &str| Query {
        text: text.to_string(),
        ..Query::default()
    };
    vec![
        ("campagne", text("campagne")),
        ("election (folds élection)", text("election")),
        ("budget réunion", text("budget réunion")),
        ("meeting schedule", text("meeting schedule")),
        ("\"conférence de presse\"", text("\"conférence de presse\"")),
        ("\"press release\" draft", text("\"press release\" draft")),
        ("subject:budget", text("subject:budget")),
        ("from:dupont", text("from:dupont")),
        ("attachment:xlsx", text("attachment:xlsx")),
        ("budget -newsletter", text("budget -newsletter")),
        (
            "campagne + verdict=verified",
            Query {
                verdict: vec!["verified".into()],
                ..text("campagne")
            },
        ),
        (
            "(all) domain=en-marche.fr month=2017-04",
            Query {
                sender_domain: vec!["en-marche.fr".into()],
                month: vec!["2017-04".into()],
                ..Query::default()
            },
        ),
        (
            "(all) has attachment, type=pdf|xlsx",
            Query {
                has_attachment: Some(true),
                attachment_type: vec![
                    "application/pdf".into(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
                ],
                ..Query::default()
            },
        ),
        (
            "campagne, newest first",
            Query {
                sort: Sort::Newest,
                ..text("campagne")
            },
        ),
        (
            "(all), oldest first",
            Query {
                sort: Sort::Oldest,
                ..Query::default()
            },
        ),
        (
            "(all), newest, page 51",
            Query {
                sort: Sort::Newest,
                offset: 1000,
                ..Query::default()
            },
        ),
    ]
}

struct Percentiles {
    p50: f64,
    p95: f64,
    max: f64,
}

impl Percentiles {
    fn of(times: &mut [Duration]) -> Self {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let at = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
        Percentiles {
            p50: at(0.5),
            p95: at(0.95),
            max: ms(times[times.len() - 1]),
        }
    }
}

fn dir_bytes(dir: &std::path::Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            dir_bytes(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// splitmix64: seeded, no dependency, good enough for synthetic text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Skewed towards the start of the list, as word frequencies are.
    fn skewed<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[((self.unit().powf(2.5)) * words.len() as f64) as usize % words.len()]
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FRENCH: &str = "le la les de des du un une et à en pour que qui dans sur avec par pas \
    plus ne se ce il elle nous vous ils sont est a ont été sera fait faire peut doit tout tous \
    cette ces son sa leurs notre votre mais ou donc car comme aussi très bien encore déjà \
    campagne élection candidat président présidentielle meeting réunion budget équipe \
    programme discours presse sondage vote électeurs militants comité bureau mouvement \
    débat second tour premier dimanche semaine demain hier aujourd'hui matin soir \
    rendez-vous déplacement visite région ville Paris Lyon Marseille Bordeaux Lille Nantes \
    communiqué dossier document tableau fichier pièce jointe version relecture validation \
    financement dépenses comptes trésorier facture devis prestataire contrat signature \
    sécurité numérique site réseaux sociaux message courriel compte mot passe accès \
    santé éducation emploi entreprises économie Europe international défense culture \
    jeunes retraites logement transports écologie énergie agriculture territoires \
    propositions mesures réforme projet plan stratégie calendrier agenda ordre jour \
    merci cordialement bonjour bonne journée salut amitiés bises voir ci-dessous \
    important urgent confidentiel note synthèse compte-rendu point étape suivi retour \
    question réponse avis proposition accord décision priorité objectif résultat chiffres";

const ENGLISH: &str = "the of and to in a is that for it as was with be by on not he this are or \
    his from at which but have an they you were her she there been one all we their has \
    would will can if more when so about what up out them some time could into only other \
    new people these also than first its any may after most over such where just \
    meeting schedule campaign election candidate press release statement draft review \
    budget team strategy media interview debate poll voters office travel agenda call \
    document file attachment version approval funding expenses invoice contract vendor \
    security account password access website social network email message update report \
    thanks regards hello best please see below urgent confidential note summary follow \
    question answer feedback proposal decision priority goal result numbers deadline";

const PHRASES_FR: [&str; 6] = [
    "conférence de presse",
    "réunion publique",
    "second tour",
    "pièce jointe",
    "ordre du jour",
    "compte rendu",
];
const PHRASES_EN: [&str; 4] = [
    "press release",
    "board meeting",
    "conference call",
    "please find attached",
];

const FIRST_NAMES: [&str; 24] = [
    "Jean", "Marie", "Pierre", "Sophie", "Alain", "Claire", "Thomas", "Julie", "Nicolas",
    "Camille", "Laurent", "Anne", "David", "Emma", "Olivier", "Léa", "Julien", "Chloé", "Michael",
    "Sarah", "James", "Emily", "Robert", "Hélène",
];
const LAST_NAMES: [&str; 20] = [
    "Martin", "Bernard", "Dubois", "Durand", "Dupont", "Lefèvre", "Moreau", "Laurent", "Simon",
    "Michel", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Smith", "Johnson", "Brown",
    "Taylor", "Müller",
];
const BIG_DOMAINS: [&str; 4] = ["en-marche.fr", "gmail.com", "orange.fr", "yahoo.fr"];
const ATTACHMENT_KINDS: [(&str, &str); 6] = [
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("zip", "application/zip"),
];
/// Weighted like a real dump: most unsigned or verified, few altered.
const VERDICTS: [(&str, u32); 8] = [
    ("unsigned", 40),
    ("verified", 30),
    ("key-missing", 14),
    ("verified-partial", 5),
    ("invalid-signature", 4),
    ("body-altered", 3),
    ("headers-altered", 2),
    ("weak", 2),
];
/// 2016-01-01T00:00:00Z, and two years after it.
const FIRST_DATE: i64 = 1_451_606_400;
const TWO_YEARS: i64 = 2 * 365 * 86_400;

struct Sender {
    display: String,
    domain: String,
}

struct MailGenerator {
    rng: Rng,
    french: Vec<&'static str>,
    english: Vec<&'static str>,
    senders: Vec<Sender>,
}

impl MailGenerator {
    fn new(seed: u64) -> Self {
        let mut rng = Rng(seed);
        // A few hundred senders over ~80 domains, a handful of them large.
        let small_domains: Vec<String> = (0..76)
            .map(|i| {
                format!(
                    "{}-{i}.{}",
                    rng.pick(&["cabinet", "asso", "media", "conseil", "agence"]),
                    rng.pick(&["fr", "com", "org", "eu"])
                )
            })
            .collect();
        let senders = (0..400)
            .map(|i| {
                let first = FIRST_NAMES[i % FIRST_NAMES.len()];
                let last = LAST_NAMES[(i / FIRST_NAMES.len() + i) % LAST_NAMES.len()];
                let domain = if rng.chance(0.6) {
                    rng.skewed(&BIG_DOMAINS).to_string()
                } else {
                    small_domains[rng.below(small_domains.len())].clone()
                };
                let local = format!("{}.{}{}", first, last, i)
                    .to_lowercase()
                    .replace(['é', 'è', 'ü'], "e");
                Sender {
                    display: format!("{first} {last} <{local}@{domain}>"),
                    domain,
                }
            })
            .collect();
        MailGenerator {
            rng,
            french: FRENCH.split_whitespace().collect(),
            english: ENGLISH.split_whitespace().collect(),
            senders,
        }
    }

    fn message(&mut self, id: i64) -> SearchDoc {
        let rng = &mut self.rng;
        let french = rng.chance(0.7);
        let (words, phrases): (&[&str], &[&str]) = if french {
            (&self.french, &PHRASES_FR)
        } else {
            (&self.english, &PHRASES_EN)
        };
        let sender = &self.senders[rng.below(self.senders.len())];
        let mut subject = String::new();
        if rng.chance(0.3) {
            subject.push_str(if french { "Re: " } else { "RE: " });
        }
        let subject_words: Vec<&str> = (0..rng.range(2, 7))
            .map(|_| rng.skewed(&words[30..]))
            .collect();
        subject.push_str(&subject_words.join(" "));
        if rng.chance(0.03) {
            subject = format!("Newsletter {subject}");
        }
        let mut body = String::new();
        for _ in 0..rng.range(3, 60) {
            let mut sentence: Vec<&str> =
                (0..rng.range(6, 16)).map(|_| rng.skewed(words)).collect();
            if rng.chance(0.08) {
                let at = rng.below(sentence.len());
                sentence.insert(at, rng.pick(phrases));
            }
            body.push_str(&sentence.join(" "));
            body.push_str(". ");
        }
        let to: Vec<String> = (0..rng.range(1, 4))
            .map(|_| self.senders[rng.below(self.senders.len())].display.clone())
            .collect();
        let (attachment_names, attachment_types) = if rng.chance(0.25) {
            let mut names = Vec::new();
            let mut types = Vec::new();
            for _ in 0..rng.range(1, 3) {
                let (extension, mime) = ATTACHMENT_KINDS[rng.below(ATTACHMENT_KINDS.len())];
                names.push(format!(
                    "{}-{}.{extension}",
                    rng.skewed(&words[30..]),
                    rng.range(1, 9)
                ));
                types.push(mime.to_string());
            }
            (names.join(" "), types)
        } else {
            (String::new(), Vec::new())
        };
        let verdict = {
            let total: u32 = VERDICTS.iter().map(|(_, w)| w).sum();
            let mut roll = (rng.next() % total as u64) as u32;
            VERDICTS
                .iter()
                .find(|(_, weight)| {
                    let hit = roll < *weight;
                    roll = roll.saturating_sub(*weight);
                    hit
                })
                .map_or("unsigned", |(v, _)| v)
        };
        SearchDoc {
            kind: DocKind::Message,
            id,
            subject,
            body,
            from: sender.display.clone(),
            to: to.join(", "),
            has_attachment: !attachment_types.is_empty(),
            attachment_names,
            attachment_types,
            message_id: format!("<{id}.{:x}@{}>", rng.next(), sender.domain),
            verdict: verdict.to_string(),
            sender_domain: sender.domain.clone(),
            date_unix: (!rng.chance(0.01))
                .then(|| FIRST_DATE + (rng.next() % TWO_YEARS as u64) as i64),
        }
    }
}
