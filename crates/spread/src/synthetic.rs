//! A synthetic Twitter API v1.1 collection with known truth: the campaign
//! the tests and the speed benchmark (`bench/spread.sh`) measure.
//!
//! [`write_campaign`] writes one tweet JSON object per line, in time order
//! (as a streaming collection is), with the v1.1 fields `tamis spread`
//! reads (`id_str`, `created_at`, `text`, `lang`, `user{…}`,
//! `entities{hashtags, urls, user_mentions}`, `retweeted_status`,
//! `quoted_status`, `in_reply_to_*`, `place`, `timestamp_ms`), and returns
//! the [`Truth`]: who is who, and when everything happened.
//!
//! The collection covers one day, [`CampaignParams::start`] (default
//! 2017-05-05 00:00 UTC) plus [`CampaignParams::duration`]:
//!
//! - **Organic accounts** (the crowd): activity drawn per account from a
//!   log-normal law, capped so that none reaches 50 tweets a day with the
//!   defaults (the busiest post about 35 of 20,000 tweets, about 45 of 5
//!   million), and tweets assigned to accounts
//!   independently, so each account's count is Poisson-like and its times
//!   irregular; languages mixed (fr 42 %, en 38 %, es, de, it, pt, ja, ar,
//!   ru), varied declared locations, log-normal follower counts, accounts
//!   created 2007–2016 (3 % in early 2017, none after April 15), mostly
//!   originals with some retweets, replies and quotes. Background tweets
//!   (no campaign hashtag) follow a daily rhythm over the whole day;
//!   campaign tweets (carrying the hashtag, or retweeting a tweet that
//!   does) start after the first use, their rate rising to its usual level
//!   over an hour. American accounts are more drawn to the hashtag, French
//!   ones write more of its originals (and retweets keep their original's
//!   language): accounts are more often American, tweets more often French.
//! - **The seed**: the first use of the hashtag, by one account, retweeted
//!   by 15 accounts within the first minute, 87 within five, 150 within 15
//!   and 250 within 60 (by default). No retweet of it falls within 2 s of
//!   those edges, so `<` and `<=` count the same.
//! - **The burst**: the organic campaign rate is `burst_factor` (20) times
//!   its usual level for `burst_secs` (one hour) from `burst_start`. The
//!   factor applies to the crowd's hashtag tweets; the bots' and the
//!   ring's posts come on top.
//! - **A bot net** (50 accounts): created within a few days shortly before
//!   the event (default: 7 to 3 days before the window), default profiles
//!   (most with the default image), screen names of a first name and 8
//!   digits, few followers, posting every 300 s ± 2 s (each post at its
//!   slot ± 2 s, so consecutive posts are 296–304 s apart by
//!   `timestamp_ms`) from `bots_from` to `bots_until`, mostly retweets of
//!   campaign tweets, otherwise near-identical originals with a leak link.
//! - **A retweet ring** (20 accounts, ordinary-looking, old): for each of
//!   `ring_objects` (12) tweets posted by one amplified account, every
//!   member retweets it 1 to 8 s after a common moment, so all the ring's
//!   retweets of one object fall within 8 s (7 s apart at most). Members
//!   also post a few ordinary tweets.
//!
//! Default times (2017-05-05, UTC): first use 14:02:17, burst 18:49 to
//! 19:49, bots active 18:00 to 22:00 (48 posts each), bots created April 28
//! to May 2, ring objects spread from 14:32 to 21:00.
//!
//! Lines: an original is about 1 KB, a retweet about 2.2 KB (it embeds the
//! original, as v1.1 does), so 5 million tweets make about 7 GiB. Envelope
//! fields that are null or constant in most collections and that no
//! measurement reads (`geo`, `coordinates`, `contributors`, `symbols`,
//! `favorited`, `filter_level`, the numeric duplicates of `in_reply_to_*`,
//! the profile's colours and images) are left out to keep lines near the
//! size of the fields that matter. Each account's `statuses_count` grows
//! with every tweet it posts.
//!
//! At millions of tweets a few busy organic accounts retweet the same two
//! tweets within 10 s of each other by chance (5 pairs in a million-tweet
//! collection, none at 20,000): exact assertions about who coordinates
//! belong at tens of thousands of tweets.
//!
//! Deterministic: the same parameters give the same bytes on every
//! platform and compiler. The random numbers come from SplitMix64 written
//! here (not the `rand` crate, whose generators and distributions may
//! change output between versions), and the few logarithms and exponentials
//! are computed here with `+ - * /` only (not `f64::ln`/`exp`, which call
//! the platform's libm and may differ in the last bit).

use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::{HashSet, VecDeque};
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::rc::Rc;

/// What to generate. [`CampaignParams::new`] gives the defaults described
/// in the module documentation.
#[derive(Clone, Debug)]
pub struct CampaignParams {
    /// Tweets (lines) written, exactly.
    pub posts: u64,
    pub seed: u64,
    /// The campaign's hashtag, as written (without `#`).
    pub hashtag: String,
    /// Window start, Unix seconds.
    pub start: i64,
    /// Window length in seconds; every tweet falls in the window.
    pub duration: i64,
    /// The seed tweet's time: the hashtag's first use (Unix seconds).
    pub first_use: i64,
    pub burst_start: i64,
    pub burst_secs: i64,
    pub burst_factor: f64,
    /// Share of organic tweets that belong to the campaign (carry the
    /// hashtag or retweet a tweet that does).
    pub campaign_share: f64,
    /// Organic accounts (posting or not); `None`: one per 8 organic
    /// tweets, at least 500.
    pub organic_accounts: Option<usize>,
    pub bots: usize,
    pub bot_interval_secs: i64,
    /// Each bot post falls within this many ms of its slot.
    pub bot_jitter_ms: i64,
    /// Bots post from this time (Unix seconds)...
    pub bots_from: i64,
    /// ...until before this one.
    pub bots_until: i64,
    /// Bots were created between these times (Unix seconds).
    pub bots_created_from: i64,
    pub bots_created_until: i64,
    pub ring: usize,
    /// Tweets the ring retweets together.
    pub ring_objects: usize,
    /// Ordinary tweets each ring member posts besides.
    pub ring_chatter: usize,
    /// Cumulative retweets of the seed tweet: (seconds after it, how many
    /// within them), ascending.
    pub seed_retweets: Vec<(i64, u64)>,
}

/// 2017-05-05 00:00:00 UTC.
const DEFAULT_START: i64 = 1_493_942_400;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

impl CampaignParams {
    pub fn new(posts: u64, seed: u64) -> Self {
        let start = DEFAULT_START;
        CampaignParams {
            posts,
            seed,
            hashtag: "MacronLeaks".to_owned(),
            start,
            duration: DAY,
            first_use: start + 14 * HOUR + 137,
            burst_start: start + 18 * HOUR + 49 * 60,
            burst_secs: HOUR,
            burst_factor: 20.0,
            campaign_share: 0.5,
            organic_accounts: None,
            bots: 50,
            bot_interval_secs: 300,
            bot_jitter_ms: 2_000,
            bots_from: start + 18 * HOUR,
            bots_until: start + 22 * HOUR,
            bots_created_from: start - 7 * DAY,
            bots_created_until: start - 3 * DAY,
            ring: 20,
            ring_objects: 12,
            ring_chatter: 6,
            seed_retweets: vec![(60, 15), (300, 87), (900, 150), (3_600, 250)],
        }
    }

    fn check(&self) -> io::Result<()> {
        let end = self.start + self.duration;
        let bad = |why: &str| Err(io::Error::new(io::ErrorKind::InvalidInput, why.to_owned()));
        if self.duration <= 0 || self.duration > 31 * DAY {
            return bad("duration must be between 1 s and 31 days");
        }
        if self.first_use < self.start || self.first_use + HOUR >= end {
            return bad("the first use must leave an hour before the window's end");
        }
        if self.burst_start <= self.first_use || self.burst_start + self.burst_secs > end {
            return bad("the burst must come after the first use, within the window");
        }
        if self.bots_from < self.start || self.bots_until > end || self.bots_from > self.bots_until
        {
            return bad("the bots' active time must be within the window");
        }
        if self.bots_created_until > self.start || self.bots_created_from > self.bots_created_until
        {
            return bad("bots must be created before the window");
        }
        if self.bot_interval_secs * 1000 <= 4 * self.bot_jitter_ms || self.bot_jitter_ms < 0 {
            return bad("the bots' interval must exceed four jitters");
        }
        if !(0.0..=1.0).contains(&self.campaign_share) || self.burst_factor < 1.0 {
            return bad("campaign_share must be in [0, 1] and burst_factor at least 1");
        }
        if self.ring_objects > 0 && self.ring > 0 && end - 3 * HOUR < self.first_use + 1_800 {
            return bad("the window is too short for the ring");
        }
        let hashtag_ok = !self.hashtag.is_empty()
            && self.hashtag.chars().count() <= 40
            && self
                .hashtag
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_');
        if !hashtag_ok {
            return bad("the hashtag must be 1-40 letters, digits or underscores");
        }
        if self.bots > 0 && self.bots_from <= self.first_use {
            return bad("the bots must start after the first use");
        }
        let mut last = (0, 0);
        for &(secs, n) in &self.seed_retweets {
            if secs <= last.0 + 4 || n < last.1 || secs > HOUR {
                return bad("seed_retweets must be ascending, within the hour");
            }
            last = (secs, n);
        }
        Ok(())
    }
}

impl Default for CampaignParams {
    fn default() -> Self {
        CampaignParams::new(20_000, 1)
    }
}

/// Who is who in the generated collection. Accounts are named by their
/// `user.id_str`, tweets by their `id_str`; times are Unix seconds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Truth {
    pub generator: String,
    pub seed: u64,
    /// Lines written.
    pub posts: u64,
    /// The campaign's hashtag as written (without `#`).
    pub hashtag: String,
    pub window_start: i64,
    /// Exclusive.
    pub window_end: i64,
    /// The hashtag's first use: the seed tweet's `created_at`.
    pub first_use: i64,
    pub seed_tweet: String,
    pub seed_account: String,
    /// Retweets of the seed tweet within so many minutes of it (by
    /// `created_at`; none falls within 2 s of an edge).
    pub seed_retweets: Vec<Within>,
    /// Organic campaign tweets come `burst_factor` times faster in
    /// [`burst_start`, `burst_end`).
    pub burst_start: i64,
    pub burst_end: i64,
    pub burst_factor: f64,
    /// The bot net's accounts (each list of accounts here holds only
    /// accounts with at least one tweet in the collection).
    pub bots: Vec<String>,
    pub bot_interval_secs: i64,
    /// Each bot post is within this many seconds of its slot.
    pub bot_jitter_secs: f64,
    pub bots_active_from: i64,
    pub bots_active_until: i64,
    pub bots_created_from: i64,
    pub bots_created_until: i64,
    pub ring: Vec<String>,
    /// The tweets every ring member retweeted, in time order.
    pub ring_objects: Vec<String>,
    /// All the ring's retweets of one object fall within this many seconds.
    pub ring_window_secs: i64,
    /// The account whose tweets the ring retweets (part of the operation,
    /// neither organic nor a ring member).
    pub ring_amplified: String,
    /// Organic accounts with at least one tweet (the seed account and the
    /// amplified account are not among them).
    pub organic: Vec<String>,
    pub tweets: TweetCounts,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Within {
    pub minutes: i64,
    pub retweets: u64,
}

/// Tweets written, by who posted them.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TweetCounts {
    pub organic: u64,
    pub bots: u64,
    pub ring: u64,
    pub seed_account: u64,
    pub ring_amplified: u64,
    pub retweets: u64,
    pub replies: u64,
    pub quotes: u64,
    /// Tweets whose own `entities.hashtags` carry the hashtag, or
    /// retweets whose `retweeted_status` does: what a hashtag filter keeps.
    pub hashtag: u64,
}

/// Writes the campaign described by `params` to `out`, one tweet a line,
/// and returns who is who.
pub fn write_campaign(params: &CampaignParams, out: &mut dyn Write) -> io::Result<Truth> {
    params.check()?;
    let mut generator = Generator::new(params)?;
    let mut out = BufWriter::with_capacity(1 << 20, out);
    generator.run(&mut out)?;
    out.flush()?;
    Ok(generator.truth())
}

// ---------------------------------------------------------------------
// Deterministic randomness.

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast, and its output is
/// fixed by this code alone.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in (0, 1].
    fn open(&mut self) -> f64 {
        ((self.next() >> 11) + 1) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [0, n) (Lemire's multiply; the bias, under 2^-40 here,
    /// does not matter).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [lo, hi].
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len() as u64) as usize]
    }

    /// Index drawn with the given weights.
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// About normal (Irwin–Hall: twelve uniforms), within ±6.
    fn normal(&mut self) -> f64 {
        let mut sum = 0.0;
        for _ in 0..12 {
            sum += self.unit();
        }
        sum - 6.0
    }

    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }
}

/// Natural logarithm of a positive normal number, with `+ - * /` only.
fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2 atanh(s) = 2 (s + s³/3 + s⁵/5 + …), |s| < 0.172.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    for k in 0..12 {
        sum += term / f64::from(2 * k + 1);
        term *= s2;
    }
    e as f64 * std::f64::consts::LN_2 + 2.0 * sum
}

/// e^x with `+ - * /` only (0 below -700).
fn exp(x: f64) -> f64 {
    if x < -700.0 {
        return 0.0;
    }
    let x = x.min(700.0);
    let k = (x * std::f64::consts::LOG2_E).round();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..=18 {
        term *= r / f64::from(i);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

// ---------------------------------------------------------------------
// Fixed vocabulary.

const LANGS: [&str; 9] = ["fr", "en", "es", "de", "it", "pt", "ja", "ar", "ru"];
const LANG_WEIGHTS: [f64; 9] = [42.0, 38.0, 5.0, 4.0, 3.0, 3.0, 2.0, 1.5, 1.5];
const FR: usize = 0;
const EN: usize = 1;

#[rustfmt::skip]
const WORDS: [&[&str]; 9] = [
    &[
        "le", "la", "les", "un", "une", "des", "et", "est", "pas", "plus", "pour", "sur", "dans",
        "avec", "qui", "que", "ce", "cette", "vote", "élection", "candidat", "président", "débat",
        "France", "Français", "ce soir", "demain", "dimanche", "campagne", "programme", "emploi",
        "Europe", "sondage", "urnes", "voter", "honte", "incroyable", "vérité", "médias", "silence",
        "fuite", "documents", "mails", "piratage", "preuves", "scandale", "regardez", "lisez",
        "partagez", "enfin", "déjà", "toujours", "jamais", "vraiment", "tout", "rien", "peuple",
        "république", "avenir", "banque", "compte", "enquête", "journalistes", "réseaux", "direct",
        "info", "urgent", "pourquoi", "comment", "bravo", "merci", "café", "match", "météo",
        "soleil", "week-end", "travail", "film", "série", "musique", "concert", "Paris", "Macron",
        "Le Pen", "on", "nous", "vous", "ils", "c'est", "n'est", "très",
    ],
    &[
        "the", "a", "and", "is", "not", "for", "on", "in", "with", "who", "this", "that", "vote",
        "election", "candidate", "president", "debate", "France", "French", "tonight", "tomorrow",
        "Sunday", "campaign", "leak", "leaked", "emails", "documents", "hacked", "proof", "scandal",
        "media", "silence", "truth", "read", "share", "look", "breaking", "finally", "already",
        "never", "really", "everything", "nothing", "people", "globalist", "banker", "offshore",
        "account", "investigation", "journalists", "massive", "huge", "wow", "unbelievable", "why",
        "how", "thanks", "must", "see", "dump", "files", "Macron", "Le Pen", "Europe", "world",
        "news", "live", "now", "coffee", "game", "weather", "sun", "weekend", "work", "movie",
        "show", "music", "we", "you", "they", "it's", "don't", "so", "very", "just", "what",
        "about", "will",
    ],
    &[
        "el", "la", "los", "y", "es", "no", "para", "en", "con", "elección", "Francia", "candidato",
        "votar", "domingo", "noticias", "filtración", "correos", "hoy", "mañana", "increíble",
        "Macron", "Le Pen", "qué", "muy",
    ],
    &[
        "der", "die", "das", "und", "ist", "nicht", "für", "mit", "Wahl", "Frankreich", "Kandidat",
        "heute", "morgen", "Nachrichten", "Dokumente", "unglaublich", "Sonntag", "Macron", "Le Pen",
        "sehr",
    ],
    &[
        "il", "la", "e", "è", "non", "per", "con", "elezioni", "Francia", "candidato", "oggi",
        "domani", "notizie", "documenti", "incredibile", "domenica", "Macron", "Le Pen",
    ],
    &[
        "o", "a", "e", "é", "não", "para", "com", "eleição", "França", "candidato", "hoje",
        "amanhã", "notícias", "documentos", "incrível", "domingo", "Macron", "Le Pen",
    ],
    &[
        "フランス", "大統領選", "マクロン", "ルペン", "投票", "ニュース", "今日", "明日", "速報", "文書", "流出", "です",
    ],
    &[
        "فرنسا", "الانتخابات", "ماكرون", "لوبان", "اليوم", "غدا", "أخبار", "عاجل", "تسريب", "وثائق",
    ],
    &[
        "Франция", "выборы", "Макрон", "Ле Пен", "сегодня", "завтра", "новости", "утечка",
        "документы", "срочно", "голосование", "это",
    ],
];

const EMOJI: [&str; 10] = ["😂", "🔥", "👇", "😡", "🇫🇷", "🇺🇸", "❤️", "👏", "🤔", "⚠️"];

const CAMPAIGN_TAGS: [&str; 10] = [
    "Presidentielle2017",
    "Macron",
    "LePen",
    "FrenchElection",
    "MAGA",
    "EnMarche",
    "Marine2017",
    "France",
    "MacronGate",
    "Elysee2017",
];

const BACKGROUND_TAGS: [&str; 10] = [
    "Presidentielle2017",
    "OMPSG",
    "Eurovision",
    "Paris",
    "FF",
    "TBT",
    "NowPlaying",
    "news",
    "Cannes2017",
    "photo",
];

const LEAK_URLS: [&str; 4] = [
    "https://archive.org/details/EMLFILES",
    "https://pastebin.com/Xn6yP7qa",
    "https://pastebin.com/raw/Xn6yP7qa",
    "http://boards.4chan.org/pol/thread/124205675",
];

const NEWS_SITES: [&str; 12] = [
    "https://www.lemonde.fr/election-presidentielle-2017/article/2017/05/05/",
    "http://www.lefigaro.fr/elections/presidentielles/2017/05/05/",
    "http://www.liberation.fr/france/2017/05/05/",
    "http://www.bfmtv.com/politique/",
    "https://www.nytimes.com/2017/05/05/world/europe/",
    "https://www.washingtonpost.com/world/europe/",
    "http://www.breitbart.com/london/2017/05/05/",
    "https://www.rt.com/news/",
    "https://sputniknews.com/europe/201705051053",
    "http://www.bbc.co.uk/news/world-europe-",
    "https://www.youtube.com/watch?v=",
    "https://www.instagram.com/p/",
];

const FIRST_NAMES: [&str; 48] = [
    "Marie", "Julien", "Camille", "Nicolas", "Sophie", "Thomas", "Claire", "Pierre", "Léa",
    "Antoine", "Manon", "Hugo", "Chloé", "Lucas", "Emma", "Louis", "Inès", "Paul", "Sarah",
    "Hélène", "John", "Mike", "Jessica", "David", "Ashley", "Chris", "Emily", "Ryan", "Megan",
    "Kevin", "Laura", "Brian", "Amanda", "Steve", "Karen", "Jason", "Lisa", "Mark", "Anna",
    "Carlos", "Lucía", "Hans", "Giulia", "João", "Yuki", "Omar", "Olga", "Dmitri",
];

const LAST_NAMES: [&str; 24] = [
    "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel",
    "Garcia", "Roux", "Fournier", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller",
    "Davis", "Wilson", "Taylor", "Anderson", "Thomas", "Moore",
];

/// ASCII first names of at most 7 letters, for the bots' screen names.
const BOT_NAMES: [&str; 20] = [
    "Marie", "Julien", "Sophie", "Thomas", "Claire", "Pierre", "John", "Mike", "David", "Ashley",
    "Chris", "Emily", "Ryan", "Megan", "Kevin", "Laura", "Brian", "Amanda", "Jason", "Jessica",
];

/// Lower-case ASCII stems of organic screen names.
const STEMS: [&str; 32] = [
    "marie", "julien", "camille", "nico", "sophie", "thomas", "claire", "pierre", "lea", "antoine",
    "manon", "hugo", "john", "mike", "jess", "dave", "ash", "chris", "emily", "ryan", "the",
    "real", "just", "mr", "miss", "le", "la", "its", "not", "bob", "jo", "max",
];

const SYLLABLE_CONSONANTS: &[u8; 16] = b"bcdfghjklmnprstv";
const SYLLABLE_VOWELS: &[u8; 5] = b"aeiou";

struct Loc {
    text: &'static str,
    lang: usize,
    /// (country code, country, city) of a tweet's `place` from there.
    place: Option<(&'static str, &'static str, &'static str)>,
}

const fn loc(
    text: &'static str,
    lang: usize,
    place: Option<(&'static str, &'static str, &'static str)>,
) -> Loc {
    Loc { text, lang, place }
}

const FRANCE: &str = "France";
const US: &str = "United States";

const LOCATIONS: [Loc; 42] = [
    loc("Paris, France", 0, Some(("FR", FRANCE, "Paris"))),
    loc("Paris", 0, Some(("FR", FRANCE, "Paris"))),
    loc("Lyon, France", 0, Some(("FR", FRANCE, "Lyon"))),
    loc("Marseille", 0, Some(("FR", FRANCE, "Marseille"))),
    loc("Bordeaux, France", 0, Some(("FR", FRANCE, "Bordeaux"))),
    loc("Toulouse", 0, Some(("FR", FRANCE, "Toulouse"))),
    loc("Île-de-France", 0, Some(("FR", FRANCE, "Paris"))),
    loc("France", 0, Some(("FR", FRANCE, "Nantes"))),
    loc("Montréal, Québec", 0, Some(("CA", "Canada", "Montréal"))),
    loc("Bruxelles", 0, Some(("BE", "Belgique", "Bruxelles"))),
    loc("", 0, None),
    loc("quelque part 🌍", 0, None),
    loc("New York, NY", 1, Some(("US", US, "Manhattan"))),
    loc("Texas, USA", 1, Some(("US", US, "Houston"))),
    loc("California, USA", 1, Some(("US", US, "Los Angeles"))),
    loc("Florida", 1, Some(("US", US, "Miami"))),
    loc("USA", 1, Some(("US", US, "Columbus"))),
    loc("Washington, DC", 1, Some(("US", US, "Washington"))),
    loc("Ohio, USA", 1, Some(("US", US, "Cleveland"))),
    loc("🇺🇸 America First", 1, Some(("US", US, "Phoenix"))),
    loc(
        "London, England",
        1,
        Some(("GB", "United Kingdom", "London")),
    ),
    loc("Toronto, Ontario", 1, Some(("CA", "Canada", "Toronto"))),
    loc("Sydney, Australia", 1, Some(("AU", "Australia", "Sydney"))),
    loc("", 1, None),
    loc("Earth", 1, None),
    loc("Madrid, España", 2, Some(("ES", "España", "Madrid"))),
    loc("Buenos Aires", 2, Some(("AR", "Argentina", "Buenos Aires"))),
    loc("México", 2, Some(("MX", "México", "Ciudad de México"))),
    loc("", 2, None),
    loc(
        "Berlin, Deutschland",
        3,
        Some(("DE", "Deutschland", "Berlin")),
    ),
    loc("Wien", 3, Some(("AT", "Österreich", "Wien"))),
    loc("Roma, Lazio", 4, Some(("IT", "Italia", "Roma"))),
    loc("Milano", 4, Some(("IT", "Italia", "Milano"))),
    loc("São Paulo, Brasil", 5, Some(("BR", "Brasil", "São Paulo"))),
    loc("Lisboa", 5, Some(("PT", "Portugal", "Lisboa"))),
    loc("東京都", 6, Some(("JP", "日本", "東京"))),
    loc("", 6, None),
    loc(
        "الرياض",
        7,
        Some(("SA", "المملكة العربية السعودية", "الرياض")),
    ),
    loc("Cairo, Egypt", 7, Some(("EG", "Egypt", "Cairo"))),
    loc("Москва", 8, Some(("RU", "Россия", "Москва"))),
    loc(
        "Санкт-Петербург",
        8,
        Some(("RU", "Россия", "Санкт-Петербург")),
    ),
    loc("", 8, None),
];

/// `source` values; the last one is the bots' automation app.
const SOURCES: [&str; 6] = [
    r#"<a href=\"http://twitter.com/download/iphone\" rel=\"nofollow\">Twitter for iPhone</a>"#,
    r#"<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>"#,
    r#"<a href=\"http://twitter.com\" rel=\"nofollow\">Twitter Web Client</a>"#,
    r#"<a href=\"https://about.twitter.com/products/tweetdeck\" rel=\"nofollow\">TweetDeck</a>"#,
    r#"<a href=\"http://twitter.com/#!/download/ipad\" rel=\"nofollow\">Twitter for iPad</a>"#,
    r#"<a href=\"http://postmatic.example\" rel=\"nofollow\">PostMatic Pro</a>"#,
];
const SOURCE_WEIGHTS: [f64; 5] = [35.0, 35.0, 20.0, 5.0, 5.0];
const BOT_SOURCE: u8 = 5;

/// The bots' originals: near-identical texts, `{}` the hashtag.
const BOT_TEXTS: [(usize, &str); 6] = [
    (EN, "{} The truth about Macron the media won't tell you"),
    (EN, "Massive leak: Macron campaign emails dumped {}"),
    (EN, "Share before it's deleted! {}"),
    (FR, "{} Ce que les médias vous cachent sur Macron"),
    (FR, "Les documents de la campagne Macron sont en ligne {}"),
    (FR, "Partagez avant la censure ! {}"),
];

const TWITTER_EPOCH_MS: i64 = 1_288_834_974_657;
/// 2007-01-01 and 2015-11-01: before, user ids grow with the date; after,
/// they are time-based (snowflake) like tweet ids.
const OLD_IDS_FROM: i64 = 1_167_609_600;
const SNOWFLAKE_USERS_FROM: i64 = 1_446_336_000;
const POOL: usize = 4_096;
const HOT: usize = 256;
const TEXT_MAX: u32 = 140;
/// t.co links count 23 characters.
const TCO_LEN: u32 = 23;

// ---------------------------------------------------------------------
// The model.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Group {
    Organic,
    Bot,
    Ring,
    Seed,
    Amplified,
}

struct Account {
    id: u64,
    screen_name: String,
    name: String,
    created: i64,
    followers: u32,
    friends: u32,
    listed: u32,
    favourites: u32,
    statuses: u32,
    default_profile: bool,
    default_image: bool,
    verified: bool,
    geo: bool,
    location: usize,
    lang: usize,
    source: u8,
    /// Chance that a background (campaign) tweet is a retweet.
    rt_background: f64,
    rt_campaign: f64,
    /// Seeds the description; 0: none.
    description: u64,
    group: Group,
    posts: u32,
}

struct Link {
    tco: String,
    expanded: String,
    start: u32,
}

struct Tweet {
    id: u64,
    ms: i64,
    account: u32,
    text: String,
    chars: u32,
    lang: &'static str,
    hashtags: Vec<(String, u32)>,
    urls: Vec<Link>,
    mentions: Vec<(u32, u32)>,
    reply_to: Option<(u64, u32)>,
    quoted: Option<Rc<Tweet>>,
    retweeted: Option<Rc<Tweet>>,
    place: Option<usize>,
    source: u8,
    /// Carries the hashtag itself, or retweets a tweet that does.
    carries: bool,
    retweets: Cell<u32>,
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Seed,
    SeedRetweet(u32),
    Bot(u32),
    RingObject(usize),
    RingRetweet(u32, usize),
    Chatter(u32),
}

/// `count` times drawn independently from a piecewise-constant rate (one
/// weight a second), produced in ascending order without sorting: the
/// next order statistic of uniforms is 1 - (1 - x) U^(1/m) (Lurie and
/// Hartley), mapped through the cumulative rate.
struct Stream {
    left: u64,
    x: f64,
    cumulative: Vec<f64>,
    second: usize,
    start_ms: i64,
    rng: Rng,
    next: Option<i64>,
}

impl Stream {
    fn new(count: u64, weights: impl Iterator<Item = f64>, start_ms: i64, rng: Rng) -> Stream {
        let mut cumulative = vec![0.0];
        let mut sum = 0.0;
        for w in weights {
            sum += w;
            cumulative.push(sum);
        }
        let mut stream = Stream {
            left: if sum > 0.0 { count } else { 0 },
            x: 0.0,
            cumulative,
            second: 0,
            start_ms,
            rng,
            next: None,
        };
        stream.advance();
        stream
    }

    fn advance(&mut self) {
        if self.left == 0 {
            self.next = None;
            return;
        }
        let u = self.rng.open();
        self.x = 1.0 - (1.0 - self.x) * exp(ln(u) / self.left as f64);
        self.left -= 1;
        let c = &self.cumulative;
        let target = self.x * c[c.len() - 1];
        while self.second + 2 < c.len() && c[self.second + 1] <= target {
            self.second += 1;
        }
        let w = c[self.second + 1] - c[self.second];
        let frac = if w > 0.0 {
            ((target - c[self.second]) / w).clamp(0.0, 0.999)
        } else {
            0.0
        };
        self.next = Some(self.start_ms + self.second as i64 * 1000 + (frac * 1000.0) as i64);
    }
}

struct Generator<'p> {
    p: &'p CampaignParams,
    rng: Rng,
    accounts: Vec<Account>,
    organic: Range<u32>,
    bots: Range<u32>,
    ring: Range<u32>,
    seed_account: u32,
    amplified: u32,
    /// Cumulative organic weights for background and campaign tweets.
    background_cumulative: Vec<f64>,
    campaign_cumulative: Vec<f64>,
    schedule: Vec<(i64, Event)>,
    campaign_pool: VecDeque<Rc<Tweet>>,
    background_pool: VecDeque<Rc<Tweet>>,
    campaign_hot: Vec<Rc<Tweet>>,
    background_hot: Vec<Rc<Tweet>>,
    seed_tweet: Option<Rc<Tweet>>,
    ring_targets: Vec<Option<Rc<Tweet>>>,
    ring_object_ids: Vec<u64>,
    /// The ring object being written.
    pending_object: Option<usize>,
    bot_retweeted: Vec<Vec<u64>>,
    written: u64,
    counts: TweetCounts,
    seed_within: Vec<u64>,
    line: Vec<u8>,
    organic_posts: u64,
}

impl<'p> Generator<'p> {
    fn new(p: &'p CampaignParams) -> io::Result<Self> {
        let mut rng = Rng::new(p.seed, 1);
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        let mut accounts = Vec::new();

        // The seed account and the amplified account.
        let seed_account = accounts.len() as u32;
        accounts.push(Account {
            id: unique(&mut ids, user_id(1_308_009_600, &mut rng)),
            screen_name: "LibertyDispatch".to_owned(),
            name: "Liberty Dispatch".to_owned(),
            created: 1_308_009_600,
            followers: 182_412,
            friends: 1_904,
            listed: 1_377,
            favourites: 48_210,
            statuses: 61_530,
            default_profile: false,
            default_image: false,
            verified: false,
            geo: false,
            location: 17,
            lang: EN,
            source: 0,
            rt_background: 0.0,
            rt_campaign: 0.0,
            description: rng.next() | 1,
            group: Group::Seed,
            posts: 0,
        });
        names.insert("libertydispatch".to_owned());
        let amplified = accounts.len() as u32;
        accounts.push(Account {
            id: unique(&mut ids, user_id(1_392_076_800, &mut rng)),
            screen_name: "VeritasFrance".to_owned(),
            name: "Veritas 🇫🇷".to_owned(),
            created: 1_392_076_800,
            followers: 23_417,
            friends: 3_120,
            listed: 212,
            favourites: 9_870,
            statuses: 18_204,
            default_profile: false,
            default_image: false,
            verified: false,
            geo: false,
            location: 7,
            lang: FR,
            source: 2,
            rt_background: 0.0,
            rt_campaign: 0.0,
            description: rng.next() | 1,
            group: Group::Amplified,
            posts: 0,
        });
        names.insert("veritasfrance".to_owned());

        let bots_start = accounts.len() as u32;
        for _ in 0..p.bots {
            accounts.push(bot_account(p, &mut rng, &mut ids, &mut names));
        }
        let bots = bots_start..accounts.len() as u32;

        let ring_start = accounts.len() as u32;
        for _ in 0..p.ring {
            let lang = if rng.chance(0.5) { FR } else { EN };
            let created = rng.between(1_262_304_000, 1_477_958_400); // 2010 to Nov 2016
            let mut a = organic_account(&mut rng, &mut ids, &mut names, lang, created);
            a.group = Group::Ring;
            a.default_profile = false;
            a.default_image = false;
            a.verified = false;
            a.followers = rng.lognormal(400.0, 0.8).min(20_000.0) as u32;
            accounts.push(a);
        }
        let ring = ring_start..accounts.len() as u32;

        // Scheduled events, then the organic accounts (their number depends
        // on how many tweets are left for them).
        let mut sched_rng = Rng::new(p.seed, 2);
        let mut schedule = Vec::new();
        let first_ms = p.first_use * 1000;
        schedule.push((first_ms, Event::Seed));
        let mut seed_times = Vec::new();
        let mut previous = (0i64, 0u64);
        for &(secs, total) in &p.seed_retweets {
            for _ in previous.1..total {
                let after = sched_rng.between(previous.0 * 1000 + 2_000, secs * 1000 - 2_000);
                seed_times.push(first_ms + after);
            }
            previous = (secs, total);
        }
        seed_times.sort_unstable();
        let end_ms = (p.start + p.duration) * 1000;
        for bot in bots.clone() {
            let interval = p.bot_interval_secs * 1000;
            let mut slot =
                p.bots_from * 1000 + p.bot_jitter_ms + sched_rng.between(0, interval - 1);
            while slot + p.bot_jitter_ms < p.bots_until * 1000 {
                let jitter = sched_rng.between(-p.bot_jitter_ms, p.bot_jitter_ms);
                schedule.push((slot + jitter, Event::Bot(bot)));
                slot += interval;
            }
        }
        if p.ring > 0 {
            let from = (p.first_use + 1_800) * 1000;
            let until = end_ms - 3 * HOUR * 1000;
            let k = p.ring_objects as i64;
            for object in 0..p.ring_objects {
                let span = (until - from) / k.max(1);
                let posted =
                    from + object as i64 * span + sched_rng.between(span / 5, span * 4 / 5);
                schedule.push((posted, Event::RingObject(object)));
                let base = posted + sched_rng.between(20_000, 240_000);
                for member in ring.clone() {
                    schedule.push((
                        base + sched_rng.between(1_000, 8_000),
                        Event::RingRetweet(member, object),
                    ));
                }
            }
            for member in ring.clone() {
                for _ in 0..p.ring_chatter {
                    let t = sched_rng.between(p.start * 1000, end_ms - 1);
                    schedule.push((t, Event::Chatter(member)));
                }
            }
        }
        let scheduled = schedule.len() as u64 + seed_times.len() as u64;
        if p.posts < 2 * scheduled {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} posts is too few for this campaign: its scheduled part alone is {scheduled} \
                     tweets; ask for at least {}",
                    p.posts,
                    2 * scheduled
                ),
            ));
        }
        let organic_posts = p.posts - scheduled;
        let organic_count = p
            .organic_accounts
            .unwrap_or((organic_posts / 8).max(500) as usize);

        let organic_start = accounts.len() as u32;
        let mut background_weights = Vec::with_capacity(organic_count);
        let mut campaign_weights = Vec::with_capacity(organic_count);
        for _ in 0..organic_count {
            let lang = rng.weighted(&LANG_WEIGHTS);
            let created = if rng.chance(0.97) {
                // Triangular over March 2007 to December 2016.
                let from = 1_172_707_200;
                let span = 1_483_142_400 - from;
                from + ((rng.unit() + rng.unit()) * 0.5 * span as f64) as i64
            } else {
                rng.between(1_483_228_800, 1_492_214_400) // 2017-01-01 to 04-15
            };
            let a = organic_account(&mut rng, &mut ids, &mut names, lang, created);
            // Capped so that organic accounts stay under 50 tweets a day
            // (the usual "highly automated" threshold) with the defaults.
            let activity = rng.lognormal(1.0, 0.8).min(3.0);
            let us = LOCATIONS[a.location]
                .place
                .is_some_and(|(code, _, _)| code == "US");
            let interest = match a.lang {
                EN if us => 2.0,
                EN => 1.0,
                FR => 1.2,
                _ => 0.3,
            };
            background_weights.push(activity);
            campaign_weights.push(activity * interest);
            accounts.push(a);
        }
        let organic = organic_start..accounts.len() as u32;

        // Who retweets the seed first: distinct organic accounts.
        let campaign_cumulative = cumulate(&campaign_weights);
        let mut taken = HashSet::new();
        for t in seed_times {
            let mut account = 0;
            for attempt in 0.. {
                account =
                    organic.start + pick_cumulative(&campaign_cumulative, &mut sched_rng) as u32;
                if taken.insert(account) || attempt > 1_000 {
                    break;
                }
            }
            schedule.push((t, Event::SeedRetweet(account)));
        }
        // Stable: at equal times the seed comes before everything, an
        // object before its retweets.
        schedule.sort_by_key(|&(t, _)| t);
        debug_assert!(schedule
            .iter()
            .all(|&(t, _)| t >= p.start * 1000 && t < end_ms));

        let ring_objects = p.ring_objects;
        Ok(Generator {
            p,
            rng: Rng::new(p.seed, 3),
            bot_retweeted: vec![Vec::new(); p.bots],
            accounts,
            organic,
            bots,
            ring,
            seed_account,
            amplified,
            background_cumulative: cumulate(&background_weights),
            campaign_cumulative,
            schedule,
            campaign_pool: VecDeque::with_capacity(POOL),
            background_pool: VecDeque::with_capacity(POOL),
            campaign_hot: Vec::new(),
            background_hot: Vec::new(),
            seed_tweet: None,
            ring_targets: vec![None; ring_objects],
            ring_object_ids: Vec::new(),
            pending_object: None,
            written: 0,
            counts: TweetCounts::default(),
            seed_within: vec![0; p.seed_retweets.len()],
            line: Vec::with_capacity(8 << 10),
            organic_posts,
        })
    }

    fn run(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let p = self.p;
        let n_campaign = (self.organic_posts as f64 * p.campaign_share).round() as u64;
        let n_background = self.organic_posts - n_campaign;
        let start_ms = p.start * 1000;
        let background = (0..p.duration).map(|s| diurnal(p.start + s));
        let campaign = (0..p.duration).map(|s| {
            let t = p.start + s;
            if t <= p.first_use {
                0.0
            } else if t >= p.burst_start && t < p.burst_start + p.burst_secs {
                p.burst_factor
            } else {
                // Rising over the first hour after the first use.
                ((t - p.first_use) as f64 / HOUR as f64).min(1.0)
            }
        });
        let mut background = Stream::new(n_background, background, start_ms, Rng::new(p.seed, 4));
        let mut campaign = Stream::new(n_campaign, campaign, start_ms, Rng::new(p.seed, 5));
        let schedule = std::mem::take(&mut self.schedule);
        let mut scheduled = schedule.into_iter().peekable();
        loop {
            let s = scheduled.peek().map(|&(t, _)| t);
            let c = campaign.next;
            let b = background.next;
            let tweet = match (s, c, b) {
                (Some(s), c, b) if c.is_none_or(|c| s <= c) && b.is_none_or(|b| s <= b) => {
                    let (ms, event) = scheduled.next().expect("peeked");
                    self.scheduled(ms, event)
                }
                (_, Some(c), b) if b.is_none_or(|b| c <= b) => {
                    campaign.advance();
                    self.organic_tweet(c, true)
                }
                (_, _, Some(b)) => {
                    background.advance();
                    self.organic_tweet(b, false)
                }
                _ => break,
            };
            self.emit(&tweet, out)?;
        }
        Ok(())
    }

    fn scheduled(&mut self, ms: i64, event: Event) -> Tweet {
        match event {
            Event::Seed => {
                let mut text = Text::default();
                text.hashtag(&self.p.hashtag);
                text.words(&mut self.rng, EN, 6, 10, TCO_LEN + 1);
                text.link(&mut self.rng, LEAK_URLS[0].to_owned());
                self.tweet(ms, self.seed_account, text, "en", true)
            }
            Event::SeedRetweet(account) => {
                let seed = self.seed_tweet.clone().expect("seed first");
                self.retweet(ms, account, &seed)
            }
            Event::Bot(bot) => self.bot_tweet(ms, bot),
            Event::RingObject(object) => {
                self.pending_object = Some(object);
                let mut text = Text::default();
                text.words(&mut self.rng, FR, 5, 12, 2 * (TCO_LEN + 1) + 16);
                text.hashtag(&self.p.hashtag);
                let url = news_url(&mut self.rng);
                text.link(&mut self.rng, url);
                self.tweet(ms, self.amplified, text, "fr", true)
            }
            Event::RingRetweet(member, object) => {
                let target = self.ring_targets[object]
                    .clone()
                    .expect("object before its retweets");
                self.retweet(ms, member, &target)
            }
            Event::Chatter(member) => self.original(ms, member, false),
        }
    }

    fn organic_tweet(&mut self, ms: i64, campaign: bool) -> Tweet {
        let cumulative = if campaign {
            &self.campaign_cumulative
        } else {
            &self.background_cumulative
        };
        let account = self.organic.start + pick_cumulative(cumulative, &mut self.rng) as u32;
        let a = &self.accounts[account as usize];
        let rt = if campaign {
            a.rt_campaign
        } else {
            a.rt_background
        };
        if self.rng.chance(rt) {
            if let Some(target) = self.share_target(campaign) {
                if target.account != account {
                    return self.retweet(ms, account, &target);
                }
            }
        }
        self.original(ms, account, campaign)
    }

    /// A tweet to retweet, reply to or quote: a third of the time a "hot"
    /// one (a random 1 in 64 originals, each kept until a newer one takes
    /// its place), else any of the last 4,096 originals. Uniform choices:
    /// piling onto the newest tweets would make organic accounts co-share
    /// within seconds far more than by chance.
    fn share_target(&mut self, campaign: bool) -> Option<Rc<Tweet>> {
        let (pool, hot) = if campaign {
            (&self.campaign_pool, &self.campaign_hot)
        } else {
            (&self.background_pool, &self.background_hot)
        };
        if !hot.is_empty() && self.rng.chance(0.3) {
            return Some(self.rng.pick(hot).clone());
        }
        if pool.is_empty() {
            return None;
        }
        let i = self.rng.below(pool.len() as u64) as usize;
        Some(pool[i].clone())
    }

    fn original(&mut self, ms: i64, account: u32, campaign: bool) -> Tweet {
        let a = &self.accounts[account as usize];
        let lang = if self.rng.chance(0.9) {
            a.lang
        } else if a.lang == EN {
            FR
        } else {
            EN
        };
        let roll = self.rng.unit();
        let mut text = Text::default();
        let mut reply_to = None;
        let mut quoted = None;
        if roll < 0.05 {
            // A reply: starts with the author's name.
            if let Some(target) = self.share_target(campaign) {
                if target.account != account {
                    let author = &self.accounts[target.account as usize];
                    text.mention(target.account, &author.screen_name);
                    reply_to = Some((target.id, target.account));
                }
            }
        } else if roll < 0.08 {
            if let Some(target) = self.share_target(campaign) {
                if target.account != account {
                    quoted = Some(target);
                }
            }
        }
        let quote_len = if quoted.is_some() { TCO_LEN + 1 } else { 0 };
        let mut tweet_lang = LANGS[lang];
        if campaign {
            let p = self.p;
            let hashtag = &p.hashtag;
            let reserve = hashtag.chars().count() as u32 + 2 + quote_len;
            if reply_to.is_none() && quoted.is_none() && self.rng.chance(0.02) {
                // Just the hashtag, a pointing emoji and a link.
                text.hashtag(hashtag);
                text.word(self.rng.pick_str(&["👇", "⚠️", "!!!"]));
                let url = LEAK_URLS[self.rng.below(LEAK_URLS.len() as u64) as usize].to_owned();
                text.link(&mut self.rng, url);
                tweet_lang = "und";
            } else {
                let at_start = self.rng.chance(0.3);
                if at_start {
                    text.hashtag(hashtag);
                }
                let with_url = self.rng.chance(0.4);
                let second = self.rng.chance(0.3).then(|| *self.rng.pick(&CAMPAIGN_TAGS));
                let extra = reserve
                    + if with_url { TCO_LEN + 1 } else { 0 }
                    + second.map_or(0, |t| t.len() as u32 + 2)
                    + 3;
                text.words(&mut self.rng, lang, 4, 14, extra);
                if self.rng.chance(0.2) {
                    text.word(self.rng.pick_str(&EMOJI));
                }
                if !at_start {
                    text.hashtag(hashtag);
                }
                if let Some(tag) = second {
                    text.hashtag(tag);
                }
                if with_url {
                    let url = if self.rng.chance(0.3) {
                        LEAK_URLS[self.rng.below(LEAK_URLS.len() as u64) as usize].to_owned()
                    } else {
                        news_url(&mut self.rng)
                    };
                    text.link(&mut self.rng, url);
                }
            }
        } else {
            let tag = self
                .rng
                .chance(0.15)
                .then(|| *self.rng.pick(&BACKGROUND_TAGS));
            let with_url = self.rng.chance(0.2);
            let mention = (reply_to.is_none() && self.rng.chance(0.1)).then(|| {
                self.organic.start
                    + self
                        .rng
                        .below(u64::from(self.organic.end - self.organic.start))
                        as u32
            });
            let extra = quote_len
                + tag.map_or(0, |t| t.len() as u32 + 2)
                + if with_url { TCO_LEN + 1 } else { 0 }
                + 3;
            if let Some(m) = mention {
                let name = self.accounts[m as usize].screen_name.clone();
                text.words(&mut self.rng, lang, 1, 3, extra + 17);
                text.mention(m, &name);
            }
            text.words(&mut self.rng, lang, 3, 16, extra);
            if self.rng.chance(0.15) {
                text.word(self.rng.pick_str(&EMOJI));
            }
            if let Some(tag) = tag {
                text.hashtag(tag);
            }
            if with_url {
                let url = news_url(&mut self.rng);
                text.link(&mut self.rng, url);
            }
        }
        if let Some(q) = &quoted {
            let author = &self.accounts[q.account as usize].screen_name;
            let url = format!("https://twitter.com/{author}/status/{}", q.id);
            text.link(&mut self.rng, url);
        }
        let mut tweet = self.tweet(ms, account, text, tweet_lang, campaign);
        tweet.reply_to = reply_to;
        tweet.quoted = quoted;
        let a = &self.accounts[account as usize];
        if a.geo && self.rng.chance(0.15) && LOCATIONS[a.location].place.is_some() {
            tweet.place = Some(a.location);
        }
        tweet
    }

    fn bot_tweet(&mut self, ms: i64, account: u32) -> Tweet {
        let b = (account - self.bots.start) as usize;
        let rt = self.accounts[account as usize].rt_campaign;
        if self.rng.chance(rt) {
            let target = match &self.seed_tweet {
                Some(seed) if self.rng.chance(0.1) => Some(seed.clone()),
                _ => self.share_target(true),
            };
            if let Some(target) = target {
                if target.account != account && !self.bot_retweeted[b].contains(&target.id) {
                    self.bot_retweeted[b].push(target.id);
                    return self.retweet(ms, account, &target);
                }
            }
        }
        let lang = self.accounts[account as usize].lang;
        let texts: Vec<&str> = BOT_TEXTS
            .iter()
            .filter(|(l, _)| *l == lang)
            .map(|(_, t)| *t)
            .collect();
        let template = *self.rng.pick(&texts);
        let (before, after) = template.split_once("{}").expect("templates hold {}");
        let mut text = Text::default();
        for w in before.split_whitespace() {
            text.word(w);
        }
        text.hashtag(&self.p.hashtag);
        for w in after.split_whitespace() {
            text.word(w);
        }
        let url = LEAK_URLS[self.rng.below(2) as usize].to_owned();
        text.link(&mut self.rng, url);
        self.tweet(ms, account, text, LANGS[lang], true)
    }

    fn tweet(
        &mut self,
        ms: i64,
        account: u32,
        text: Text,
        lang: &'static str,
        campaign: bool,
    ) -> Tweet {
        let source = self.accounts[account as usize].source;
        let carries = campaign && text.hashtags.iter().any(|(t, _)| *t == self.p.hashtag);
        Tweet {
            id: self.tweet_id(ms),
            ms,
            account,
            text: text.text,
            chars: text.chars,
            lang,
            hashtags: text.hashtags,
            urls: text.urls,
            mentions: text.mentions,
            reply_to: None,
            quoted: None,
            retweeted: None,
            place: None,
            source,
            carries,
            retweets: Cell::new(0),
        }
    }

    fn retweet(&mut self, ms: i64, account: u32, target: &Rc<Tweet>) -> Tweet {
        let author = &self.accounts[target.account as usize].screen_name;
        let mut text = Text::default();
        text.text.push_str("RT");
        text.chars = 2;
        text.mention(target.account, author);
        text.text.push(':');
        text.chars += 1;
        let shift = text.chars + 1;
        // The original's text after "RT @name: ", cut at 140 characters
        // (v1.1 `text` of a retweet); entities cut off are left out.
        let room = TEXT_MAX.saturating_sub(shift);
        text.text.push(' ');
        text.chars += 1;
        let visible = if target.chars <= room {
            text.text.push_str(&target.text);
            text.chars += target.chars;
            target.chars
        } else {
            let cut: String = target.text.chars().take(room as usize - 1).collect();
            text.text.push_str(&cut);
            text.text.push('…');
            text.chars += room;
            room - 1
        };
        let fits = |start: u32, len: u32| start + len <= visible;
        for (tag, start) in &target.hashtags {
            if fits(*start, tag.chars().count() as u32 + 1) {
                text.hashtags.push((tag.clone(), start + shift));
            }
        }
        for link in &target.urls {
            if fits(link.start, TCO_LEN) {
                text.urls.push(Link {
                    tco: link.tco.clone(),
                    expanded: link.expanded.clone(),
                    start: link.start + shift,
                });
            }
        }
        for &(m, start) in &target.mentions {
            let len = self.accounts[m as usize].screen_name.chars().count() as u32 + 1;
            if fits(start, len) {
                text.mentions.push((m, start + shift));
            }
        }
        let source = self.accounts[account as usize].source;
        target.retweets.set(target.retweets.get() + 1);
        Tweet {
            id: self.tweet_id(ms),
            ms,
            account,
            text: text.text,
            chars: text.chars,
            lang: target.lang,
            hashtags: text.hashtags,
            urls: text.urls,
            mentions: text.mentions,
            reply_to: None,
            quoted: None,
            retweeted: Some(target.clone()),
            place: None,
            source,
            carries: target.carries,
            retweets: Cell::new(0),
        }
    }

    /// Snowflake: milliseconds since Twitter's epoch, then 22 bits made
    /// unique by the running count (tweets come in time order).
    fn tweet_id(&self, ms: i64) -> u64 {
        (((ms - TWITTER_EPOCH_MS) as u64) << 22) | (self.written & 0x3f_ffff)
    }

    fn emit(&mut self, tweet: &Tweet, out: &mut dyn Write) -> io::Result<()> {
        let account = tweet.account as usize;
        self.accounts[account].posts += 1;
        self.accounts[account].statuses += 1;
        self.written += 1;
        match self.accounts[account].group {
            Group::Organic => self.counts.organic += 1,
            Group::Bot => self.counts.bots += 1,
            Group::Ring => self.counts.ring += 1,
            Group::Seed => self.counts.seed_account += 1,
            Group::Amplified => self.counts.ring_amplified += 1,
        }
        self.counts.hashtag += u64::from(tweet.carries);
        self.counts.replies += u64::from(tweet.reply_to.is_some());
        self.counts.quotes += u64::from(tweet.quoted.is_some());
        if let Some(target) = &tweet.retweeted {
            self.counts.retweets += 1;
            if let Some(seed) = &self.seed_tweet {
                if Rc::ptr_eq(seed, target) {
                    let after = tweet.ms / 1000 - seed.ms / 1000;
                    for (i, &(secs, _)) in self.p.seed_retweets.iter().enumerate() {
                        if after <= secs {
                            self.seed_within[i] += 1;
                        }
                    }
                }
            }
        }
        self.line.clear();
        let mut line = std::mem::take(&mut self.line);
        self.render(&mut line, tweet, 0);
        line.extend_from_slice(b",\"timestamp_ms\":\"");
        num(&mut line, tweet.ms as u64);
        line.extend_from_slice(b"\"}\n");
        out.write_all(&line)?;
        self.line = line;

        // Keep what others may share.
        if tweet.retweeted.is_none() {
            let shared = Rc::new(clone_tweet(tweet));
            let group = self.accounts[account].group;
            if group == Group::Seed {
                self.seed_tweet = Some(shared);
            } else {
                if let Some(object) = self.pending_object.take() {
                    self.ring_targets[object] = Some(shared.clone());
                    self.ring_object_ids.push(shared.id);
                }
                let campaign = tweet.carries;
                let (pool, hot) = if campaign {
                    (&mut self.campaign_pool, &mut self.campaign_hot)
                } else {
                    (&mut self.background_pool, &mut self.background_hot)
                };
                if pool.len() == POOL {
                    pool.pop_front();
                }
                pool.push_back(shared.clone());
                if self.rng.below(64) == 0 {
                    if hot.len() < HOT {
                        hot.push(shared);
                    } else {
                        let i = self.rng.below(HOT as u64) as usize;
                        hot[i] = shared;
                    }
                }
            }
        }
        Ok(())
    }

    /// One status object, without its closing brace when `depth` is 0 (the
    /// caller adds the streaming fields).
    fn render(&self, out: &mut Vec<u8>, t: &Tweet, depth: u32) {
        let a = &self.accounts[t.account as usize];
        out.extend_from_slice(b"{\"created_at\":\"");
        date(out, t.ms.div_euclid(1000));
        out.extend_from_slice(b"\",\"id\":");
        num(out, t.id);
        out.extend_from_slice(b",\"id_str\":\"");
        num(out, t.id);
        out.extend_from_slice(b"\",\"text\":");
        string(out, &t.text);
        out.extend_from_slice(b",\"source\":\"");
        out.extend_from_slice(SOURCES[t.source as usize].as_bytes());
        out.extend_from_slice(b"\",");
        match t.reply_to {
            Some((id, user)) => {
                out.extend_from_slice(b"\"in_reply_to_status_id_str\":\"");
                num(out, id);
                let u = &self.accounts[user as usize];
                out.extend_from_slice(b"\",\"in_reply_to_user_id_str\":\"");
                num(out, u.id);
                out.extend_from_slice(b"\",\"in_reply_to_screen_name\":");
                string(out, &u.screen_name);
            }
            None => out.extend_from_slice(
                b"\"in_reply_to_status_id_str\":null,\"in_reply_to_user_id_str\":null,\
                  \"in_reply_to_screen_name\":null",
            ),
        }
        out.extend_from_slice(b",\"user\":");
        self.render_user(out, a);
        out.extend_from_slice(b",\"place\":");
        match t.place.and_then(|l| LOCATIONS[l].place.map(|p| (l, p))) {
            Some((l, (code, country, city))) => {
                out.extend_from_slice(b"{\"id\":\"");
                hex16(
                    out,
                    0x5a1e_u64
                        .wrapping_mul(l as u64 + 1)
                        .wrapping_mul(0x9E37_79B9_7F4A_7C15),
                );
                out.extend_from_slice(b"\",\"place_type\":\"city\",\"name\":");
                string(out, city);
                out.extend_from_slice(b",\"full_name\":");
                string(out, &format!("{city}, {country}"));
                out.extend_from_slice(b",\"country_code\":\"");
                out.extend_from_slice(code.as_bytes());
                out.extend_from_slice(b"\",\"country\":");
                string(out, country);
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        }
        if let Some(original) = &t.retweeted {
            out.extend_from_slice(b",\"retweeted_status\":");
            self.render(out, original, depth + 1);
        }
        match &t.quoted {
            Some(q) => {
                out.extend_from_slice(b",\"is_quote_status\":true,\"quoted_status_id\":");
                num(out, q.id);
                out.extend_from_slice(b",\"quoted_status_id_str\":\"");
                num(out, q.id);
                out.push(b'"');
                if depth < 2 {
                    out.extend_from_slice(b",\"quoted_status\":");
                    self.render(out, q, 2);
                }
            }
            None => out.extend_from_slice(b",\"is_quote_status\":false"),
        }
        out.extend_from_slice(b",\"retweet_count\":");
        num(out, u64::from(t.retweets.get()));
        out.extend_from_slice(b",\"favorite_count\":");
        num(out, u64::from(t.retweets.get()) * 2 + (t.id >> 7) % 3);
        out.extend_from_slice(b",\"entities\":{\"hashtags\":[");
        for (i, (tag, start)) in t.hashtags.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"text\":");
            string(out, tag);
            indices(out, *start, start + 1 + tag.chars().count() as u32);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"urls\":[");
        for (i, link) in t.urls.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"url\":");
            string(out, &link.tco);
            out.extend_from_slice(b",\"expanded_url\":");
            string(out, &link.expanded);
            out.extend_from_slice(b",\"display_url\":");
            let display = link
                .expanded
                .split_once("://")
                .map_or(&*link.expanded, |(_, rest)| rest);
            let display = display.strip_prefix("www.").unwrap_or(display);
            if display.chars().count() > 26 {
                let cut: String = display.chars().take(25).collect();
                string(out, &(cut + "…"));
            } else {
                string(out, display);
            }
            indices(out, link.start, link.start + TCO_LEN);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"user_mentions\":[");
        for (i, &(m, start)) in t.mentions.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let u = &self.accounts[m as usize];
            out.extend_from_slice(b"{\"screen_name\":");
            string(out, &u.screen_name);
            out.extend_from_slice(b",\"name\":");
            string(out, &u.name);
            out.extend_from_slice(b",\"id\":");
            num(out, u.id);
            out.extend_from_slice(b",\"id_str\":\"");
            num(out, u.id);
            out.push(b'"');
            indices(out, start, start + 1 + u.screen_name.chars().count() as u32);
            out.push(b'}');
        }
        out.extend_from_slice(b"]},\"lang\":\"");
        out.extend_from_slice(t.lang.as_bytes());
        out.push(b'"');
        if depth > 0 {
            out.push(b'}');
        }
    }

    fn render_user(&self, out: &mut Vec<u8>, a: &Account) {
        out.extend_from_slice(b"{\"id\":");
        num(out, a.id);
        out.extend_from_slice(b",\"id_str\":\"");
        num(out, a.id);
        out.extend_from_slice(b"\",\"name\":");
        string(out, &a.name);
        out.extend_from_slice(b",\"screen_name\":");
        string(out, &a.screen_name);
        out.extend_from_slice(b",\"location\":");
        match LOCATIONS[a.location].text {
            "" => out.extend_from_slice(b"null"),
            text => string(out, text),
        }
        out.extend_from_slice(b",\"description\":");
        if a.description == 0 {
            out.extend_from_slice(b"null");
        } else {
            let mut rng = Rng::new(a.description, 9);
            let mut text = Text::default();
            text.words(&mut rng, a.lang, 2, 7, 100);
            if rng.chance(0.3) {
                text.word(rng.pick_str(&EMOJI));
            }
            string(out, &text.text);
        }
        out.extend_from_slice(b",\"verified\":");
        bool(out, a.verified);
        out.extend_from_slice(b",\"followers_count\":");
        num(out, u64::from(a.followers));
        out.extend_from_slice(b",\"friends_count\":");
        num(out, u64::from(a.friends));
        out.extend_from_slice(b",\"listed_count\":");
        num(out, u64::from(a.listed));
        out.extend_from_slice(b",\"favourites_count\":");
        num(out, u64::from(a.favourites));
        out.extend_from_slice(b",\"statuses_count\":");
        num(out, u64::from(a.statuses));
        out.extend_from_slice(b",\"created_at\":\"");
        date(out, a.created);
        out.extend_from_slice(b"\",\"geo_enabled\":");
        bool(out, a.geo);
        out.extend_from_slice(b",\"lang\":\"");
        out.extend_from_slice(LANGS[a.lang].as_bytes());
        out.extend_from_slice(b"\",\"default_profile\":");
        bool(out, a.default_profile);
        out.extend_from_slice(b",\"default_profile_image\":");
        bool(out, a.default_image);
        out.push(b'}');
    }

    fn truth(&self) -> Truth {
        let ids = |range: Range<u32>| -> Vec<String> {
            range
                .filter(|&i| self.accounts[i as usize].posts > 0)
                .map(|i| self.accounts[i as usize].id.to_string())
                .collect()
        };
        let p = self.p;
        Truth {
            generator: "tamis-spread synthetic campaign 1".to_owned(),
            seed: p.seed,
            posts: self.written,
            hashtag: p.hashtag.clone(),
            window_start: p.start,
            window_end: p.start + p.duration,
            first_use: p.first_use,
            seed_tweet: self
                .seed_tweet
                .as_ref()
                .map_or_else(String::new, |t| t.id.to_string()),
            seed_account: self.accounts[self.seed_account as usize].id.to_string(),
            seed_retweets: p
                .seed_retweets
                .iter()
                .zip(&self.seed_within)
                .map(|(&(secs, _), &n)| Within {
                    minutes: secs / 60,
                    retweets: n,
                })
                .collect(),
            burst_start: p.burst_start,
            burst_end: p.burst_start + p.burst_secs,
            burst_factor: p.burst_factor,
            bots: ids(self.bots.clone()),
            bot_interval_secs: p.bot_interval_secs,
            bot_jitter_secs: p.bot_jitter_ms as f64 / 1000.0,
            bots_active_from: p.bots_from,
            bots_active_until: p.bots_until,
            bots_created_from: p.bots_created_from,
            bots_created_until: p.bots_created_until,
            ring: ids(self.ring.clone()),
            ring_objects: self.ring_object_ids.iter().map(u64::to_string).collect(),
            ring_window_secs: 8,
            ring_amplified: self.accounts[self.amplified as usize].id.to_string(),
            organic: ids(self.organic.clone()),
            tweets: self.counts.clone(),
        }
    }
}

fn clone_tweet(t: &Tweet) -> Tweet {
    Tweet {
        id: t.id,
        ms: t.ms,
        account: t.account,
        text: t.text.clone(),
        chars: t.chars,
        lang: t.lang,
        hashtags: t.hashtags.clone(),
        urls: t
            .urls
            .iter()
            .map(|l| Link {
                tco: l.tco.clone(),
                expanded: l.expanded.clone(),
                start: l.start,
            })
            .collect(),
        mentions: t.mentions.clone(),
        reply_to: t.reply_to,
        quoted: t.quoted.clone(),
        retweeted: None,
        place: t.place,
        source: t.source,
        carries: t.carries,
        retweets: Cell::new(0),
    }
}

/// A tweet's text as it is built, with its entities' start offsets in
/// characters (code points, as v1.1 counts them).
#[derive(Default)]
struct Text {
    text: String,
    chars: u32,
    hashtags: Vec<(String, u32)>,
    urls: Vec<Link>,
    mentions: Vec<(u32, u32)>,
}

impl Text {
    fn space(&mut self) {
        if !self.text.is_empty() {
            self.text.push(' ');
            self.chars += 1;
        }
    }

    /// Adds `w` if it fits in 140 characters.
    fn word(&mut self, w: &str) -> bool {
        let n = w.chars().count() as u32;
        if self.chars + 1 + n > TEXT_MAX {
            return false;
        }
        self.space();
        self.text.push_str(w);
        self.chars += n;
        true
    }

    /// Between `min` and `max` words of language `lang`, leaving `reserve`
    /// characters free (stops early rather than overflow).
    fn words(&mut self, rng: &mut Rng, lang: usize, min: u64, max: u64, reserve: u32) {
        let n = min + rng.below(max - min + 1);
        let vocabulary = WORDS[lang];
        for _ in 0..n {
            // Skewed towards the first (commonest) words.
            let u = rng.unit();
            let w = vocabulary[(u * u * vocabulary.len() as f64) as usize];
            if self.chars + 1 + w.chars().count() as u32 + reserve > TEXT_MAX {
                break;
            }
            self.word(w);
        }
    }

    fn hashtag(&mut self, tag: &str) {
        self.space();
        self.hashtags.push((tag.to_owned(), self.chars));
        self.text.push('#');
        self.text.push_str(tag);
        self.chars += 1 + tag.chars().count() as u32;
    }

    fn mention(&mut self, account: u32, screen_name: &str) {
        self.space();
        self.mentions.push((account, self.chars));
        self.text.push('@');
        self.text.push_str(screen_name);
        self.chars += 1 + screen_name.chars().count() as u32;
    }

    fn link(&mut self, rng: &mut Rng, expanded: String) {
        self.space();
        let mut tco = String::with_capacity(TCO_LEN as usize);
        tco.push_str("https://t.co/");
        for _ in 0..10 {
            let c = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                [rng.below(62) as usize];
            tco.push(c as char);
        }
        self.text.push_str(&tco);
        self.urls.push(Link {
            tco,
            expanded,
            start: self.chars,
        });
        self.chars += TCO_LEN;
    }
}

fn news_url(rng: &mut Rng) -> String {
    let site = rng.below(NEWS_SITES.len() as u64) as usize;
    let article = rng.below(400);
    let base = NEWS_SITES[site];
    if base.ends_with('=') || base.ends_with("/p/") {
        format!("{base}{}", syllables(article + 10_000, 6))
    } else if base.ends_with('-') || base.ends_with("201705051053") {
        format!("{base}{}", 39_000_000 + article * 7)
    } else {
        format!(
            "{base}{}_{}.html",
            syllables(article + 80, 3),
            5_123_000 + article
        )
    }
}

fn organic_account(
    rng: &mut Rng,
    ids: &mut HashSet<u64>,
    names: &mut HashSet<String>,
    lang: usize,
    created: i64,
) -> Account {
    let locations: Vec<usize> = (0..LOCATIONS.len())
        .filter(|&i| LOCATIONS[i].lang == lang)
        .collect();
    let location = *rng.pick(&locations);
    let followers = rng.lognormal(250.0, 1.6).min(5e6) as u32;
    let verified = followers > 50_000 && rng.chance(0.3);
    let age_years = ((DEFAULT_START - created) as f64 / (365.0 * DAY as f64)).max(0.05);
    let first = FIRST_NAMES[rng.below(FIRST_NAMES.len() as u64) as usize];
    let name = if rng.chance(0.7) {
        format!("{first} {}", rng.pick(&LAST_NAMES))
    } else if rng.chance(0.5) {
        first.to_owned()
    } else {
        format!("{first} {}", rng.pick(&EMOJI))
    };
    let lang_rt = match lang {
        FR => 0.1 + 0.2 * rng.unit(),
        EN => 0.55 + 0.25 * rng.unit(),
        _ => 0.3 + 0.2 * rng.unit(),
    };
    Account {
        id: unique(ids, user_id(created, rng)),
        screen_name: organic_screen_name(rng, names),
        name,
        created,
        followers,
        friends: rng.lognormal(300.0, 1.0).min(5_000.0) as u32,
        listed: (f64::from(followers) / rng.lognormal(80.0, 0.7)) as u32,
        favourites: rng.lognormal(1_500.0, 1.5).min(500_000.0) as u32,
        statuses: (rng.lognormal(900.0, 1.2) * age_years).clamp(5.0, 900_000.0) as u32,
        default_profile: rng.chance(0.12),
        default_image: rng.chance(0.03),
        verified,
        geo: rng.chance(0.3),
        location,
        lang,
        source: rng.weighted(&SOURCE_WEIGHTS) as u8,
        rt_background: 0.05 + 0.25 * rng.unit(),
        rt_campaign: lang_rt,
        description: if rng.chance(0.8) { rng.next() | 1 } else { 0 },
        group: Group::Organic,
        posts: 0,
    }
}

fn bot_account(
    p: &CampaignParams,
    rng: &mut Rng,
    ids: &mut HashSet<u64>,
    names: &mut HashSet<String>,
) -> Account {
    let created = rng.between(p.bots_created_from, p.bots_created_until);
    let first = *rng.pick(&BOT_NAMES);
    let screen_name = loop {
        let name = format!("{first}{:08}", rng.below(100_000_000));
        if names.insert(name.to_lowercase()) {
            break name;
        }
    };
    let lang = if rng.chance(0.6) { EN } else { FR };
    let location = if rng.chance(0.75) {
        if lang == EN {
            23
        } else {
            10
        }
    } else if lang == EN {
        16
    } else {
        7
    };
    let days = ((p.start - created) / DAY).max(1) as f64;
    Account {
        id: unique(ids, user_id(created, rng)),
        screen_name,
        name: format!("{first} {}", rng.pick(&LAST_NAMES)),
        created,
        followers: rng.below(41) as u32,
        friends: rng.between(80, 700) as u32,
        listed: 0,
        favourites: rng.below(51) as u32,
        statuses: (days * (150.0 + 140.0 * rng.unit())) as u32,
        default_profile: true,
        default_image: rng.chance(0.85),
        verified: false,
        geo: false,
        location,
        lang,
        source: BOT_SOURCE,
        rt_background: 0.0,
        rt_campaign: 0.78 + 0.17 * rng.unit(),
        description: 0,
        group: Group::Bot,
        posts: 0,
    }
}

/// A stem, maybe an underscore, two or more syllables, maybe two digits:
/// never eight trailing digits.
fn organic_screen_name(rng: &mut Rng, names: &mut HashSet<String>) -> String {
    loop {
        let stem = *rng.pick(&STEMS);
        let mut name = String::new();
        if rng.chance(0.4) {
            let mut c = stem.chars();
            if let Some(f) = c.next() {
                name.extend(f.to_uppercase());
                name.push_str(c.as_str());
            }
        } else {
            name.push_str(stem);
        }
        if rng.chance(0.3) {
            name.push('_');
        }
        name.push_str(&syllables(rng.below(80 * 80 * 80), 2));
        if rng.chance(0.2) {
            name.push_str(&format!("{:02}", rng.below(100)));
        }
        name.truncate(15);
        if names.insert(name.to_lowercase()) {
            return name;
        }
    }
}

/// `n` written with consonant-vowel syllables, at least `min` of them.
fn syllables(mut n: u64, min: usize) -> String {
    let mut out = Vec::new();
    let mut count = 0;
    while n > 0 || count < min {
        let s = (n % 80) as usize;
        out.push(SYLLABLE_CONSONANTS[s / 5]);
        out.push(SYLLABLE_VOWELS[s % 5]);
        n /= 80;
        count += 1;
    }
    String::from_utf8(out).expect("ASCII")
}

/// A user id as Twitter gave them: growing with the creation date before
/// late 2015, time-based after.
fn user_id(created: i64, rng: &mut Rng) -> u64 {
    if created >= SNOWFLAKE_USERS_FROM {
        (((created * 1000 + rng.between(0, 999) - TWITTER_EPOCH_MS) as u64) << 22)
            | rng.below(1 << 22)
    } else {
        let frac =
            (created - OLD_IDS_FROM).max(0) as f64 / (SNOWFLAKE_USERS_FROM - OLD_IDS_FROM) as f64;
        1_000_000 + (frac * 4_200_000_000.0) as u64 + rng.below(50_000)
    }
}

fn unique(ids: &mut HashSet<u64>, mut id: u64) -> u64 {
    while !ids.insert(id) {
        id += 1;
    }
    id
}

fn cumulate(weights: &[f64]) -> Vec<f64> {
    let mut sum = 0.0;
    weights
        .iter()
        .map(|w| {
            sum += w;
            sum
        })
        .collect()
}

fn pick_cumulative(cumulative: &[f64], rng: &mut Rng) -> usize {
    let target = rng.unit() * cumulative[cumulative.len() - 1];
    cumulative
        .partition_point(|&c| c <= target)
        .min(cumulative.len() - 1)
}

/// Relative tweet rate by hour of the day (UTC), Europe-centred, linearly
/// interpolated within the hour.
fn diurnal(t: i64) -> f64 {
    const HOURLY: [f64; 24] = [
        0.35, 0.25, 0.2, 0.18, 0.2, 0.3, 0.5, 0.7, 0.85, 0.9, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0,
        1.05, 1.1, 1.2, 1.3, 1.3, 1.15, 0.9, 0.6,
    ];
    let s = t.rem_euclid(DAY);
    let h = (s / HOUR) as usize;
    let f = (s % HOUR) as f64 / HOUR as f64;
    HOURLY[h] * (1.0 - f) + HOURLY[(h + 1) % 24] * f
}

// ---------------------------------------------------------------------
// JSON by hand: five million tweets are written in the time serde would
// take for a fraction.

fn num(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn indices(out: &mut Vec<u8>, start: u32, end: u32) {
    out.extend_from_slice(b",\"indices\":[");
    num(out, u64::from(start));
    out.push(b',');
    num(out, u64::from(end));
    out.push(b']');
}

fn hex16(out: &mut Vec<u8>, n: u64) {
    for shift in (0..16).rev() {
        out.push(b"0123456789abcdef"[((n >> (shift * 4)) & 15) as usize]);
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"\\u0000",
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        if escape == b"\\u0000" {
            out.extend_from_slice(b"\\u00");
            out.push(b"0123456789abcdef"[(b >> 4) as usize]);
            out.push(b"0123456789abcdef"[(b & 15) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

/// `Fri May 05 18:45:12 +0000 2017`.
fn date(out: &mut Vec<u8>, unix: i64) {
    const DAYS: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let days = unix.div_euclid(DAY);
    let secs = unix.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    out.extend_from_slice(DAYS[(days + 4).rem_euclid(7) as usize]);
    out.push(b' ');
    out.extend_from_slice(MONTHS[(m - 1) as usize]);
    out.push(b' ');
    two(out, d as u64);
    out.push(b' ');
    two(out, (secs / 3600) as u64);
    out.push(b':');
    two(out, (secs / 60 % 60) as u64);
    out.push(b':');
    two(out, (secs % 60) as u64);
    out.extend_from_slice(b" +0000 ");
    num(out, y as u64);
}

fn two(out: &mut Vec<u8>, n: u64) {
    out.push(b'0' + (n / 10 % 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

/// Howard Hinnant's days-to-civil.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn math_is_close_to_libm() {
        for &x in &[1e-300, 1e-9, 0.001, 0.5, 1.0, 1.5, 2.0, 10.0, 1e9, 1e300] {
            assert!(
                (ln(x) - x.ln()).abs() <= 1e-12 * x.ln().abs().max(1.0),
                "ln {x}"
            );
        }
        for &x in &[-700.0, -20.0, -1.0, -0.3, 0.0, 0.3, 1.0, 5.0, 20.0, 700.0] {
            assert!((exp(x) - x.exp()).abs() <= 1e-13 * x.exp(), "exp {x}");
        }
    }

    #[test]
    fn dates_are_v1_1() {
        let mut out = Vec::new();
        date(&mut out, 1_494_009_912);
        assert_eq!(out, b"Fri May 05 18:45:12 +0000 2017");
        out.clear();
        date(&mut out, 0);
        assert_eq!(out, b"Thu Jan 01 00:00:00 +0000 1970");
        out.clear();
        date(&mut out, 951_782_400); // 2000-02-29
        assert_eq!(out, b"Tue Feb 29 00:00:00 +0000 2000");
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        string(&mut out, "a\"b\\c\nd\u{1}é🇫🇷");
        let back: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, "a\"b\\c\nd\u{1}é🇫🇷");
    }

    #[test]
    fn sorted_stream_is_sorted_and_complete() {
        let weights = (0..100).map(|s| if s < 50 { 0.0 } else { 1.0 });
        let mut stream = Stream::new(1_000, weights, 0, Rng::new(7, 0));
        let mut times = Vec::new();
        while let Some(t) = stream.next {
            times.push(t);
            stream.advance();
        }
        assert_eq!(times.len(), 1_000);
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert!(times[0] >= 50_000 && times[999] < 100_000);
    }
}
