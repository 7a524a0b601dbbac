//! Words and their comparison keys.
//!
//! A text is compared as a sequence of words, never as characters: line
//! breaks, re-wrapping, quote prefixes, spaces and punctuation do not
//! count. A word is a run of letters and digits (a number keeps its inner
//! `,` and `.`: `412,60` and `1.234,56` are one word each), or one of the
//! signs that change what a figure says (`€ $ £ ¥ %`). Two words are the
//! same when they are equal after folding: lower case, accents removed
//! (precomposed or combining, so a client that re-encodes `é` as `e` +
//! U+0301 changes nothing), `œ`/`æ`/`ß` spelled out. The key of a word is a
//! 64-bit hash of its folded form.

/// One word of a text: its comparison key and where it is in its source
/// (byte offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub key: u64,
    pub start: u32,
    pub end: u32,
}

/// The key of a quoting ellipsis (`[...]`, `[…]`, `(...)`, `[snip]`): the
/// quoter left something out there. Never the key of a word.
pub(crate) const ELLIPSIS: u64 = 0x2e2e_2e2e_2e2e_2e2e;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// splitmix64's finalizer: spreads FNV's weak low bits.
pub(crate) fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hash of `n` consecutive keys (a shingle), order-sensitive.
pub(crate) fn shingle(keys: &[u64]) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15u64;
    for &k in keys {
        h = mix(h.rotate_left(23) ^ k);
    }
    h
}

/// The hash of a whole key sequence (to recognise identical texts).
pub(crate) fn text_hash(keys: &[u64]) -> u64 {
    shingle(keys) ^ mix(keys.len() as u64)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}')
}

/// The folded spelling of one lower-case letter, when it is not itself.
fn base(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'æ' => "ae",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

/// Calls `emit` with the folded form of `c` (nothing for a combining mark).
fn fold_char(c: char, mut emit: impl FnMut(char)) {
    if is_combining(c) {
        return;
    }
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        match base(l) {
            Some(s) => s.chars().for_each(&mut emit),
            None => emit(l),
        }
    }
}

/// A line folded for recognising markers (`a écrit :`, `Objet :`): folded
/// letters, typographic apostrophes as `'`, every run of whitespace (NBSP
/// and thin spaces included) as one space, trimmed.
pub(crate) fn fold_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
            _ => c,
        };
        fold_char(c, |f| out.push(f));
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

fn is_sign(c: char) -> bool {
    matches!(c, '€' | '$' | '£' | '¥' | '%')
}

const ELLIPSES: [&str; 8] = [
    "[...]", "[…]", "(...)", "(…)", "[snip]", "[ ... ]", "[..]", "<snip>",
];

/// Appends the words of `line` (found at byte `base` of its source) to
/// `out`, at most up to `limit` tokens in all.
pub(crate) fn tokenize(line: &str, base: usize, out: &mut Vec<Token>, limit: usize) {
    let bytes = line.as_bytes();
    let mut iter = line.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if out.len() >= limit {
            return;
        }
        if is_word_char(c) {
            let mut h = FNV_OFFSET;
            let mut push = |f: char| {
                let mut buf = [0u8; 4];
                for &b in f.encode_utf8(&mut buf).as_bytes() {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(FNV_PRIME);
                }
            };
            fold_char(c, &mut push);
            let mut end = i + c.len_utf8();
            let mut last_digit = c.is_ascii_digit();
            while let Some(&(j, d)) = iter.peek() {
                if is_word_char(d) {
                    fold_char(d, &mut push);
                    last_digit = d.is_ascii_digit();
                    end = j + d.len_utf8();
                    iter.next();
                } else if (d == ',' || d == '.')
                    && last_digit
                    && bytes.get(j + 1).is_some_and(|b| b.is_ascii_digit())
                {
                    push(d);
                    iter.next();
                } else {
                    break;
                }
            }
            let key = mix(h);
            out.push(Token {
                key: if key == ELLIPSIS { key ^ 1 } else { key },
                start: (base + i) as u32,
                end: (base + end) as u32,
            });
        } else if is_sign(c) {
            out.push(Token {
                key: mix(u64::from(c)),
                start: (base + i) as u32,
                end: (base + i + c.len_utf8()) as u32,
            });
        } else if c == '[' || c == '(' || c == '<' {
            let rest = &line[i..];
            if let Some(e) = ELLIPSES.iter().find(|e| rest.starts_with(**e)) {
                out.push(Token {
                    key: ELLIPSIS,
                    start: (base + i) as u32,
                    end: (base + i + e.len()) as u32,
                });
                while iter.peek().is_some_and(|&(j, _)| j < i + e.len()) {
                    iter.next();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(s, 0, &mut out, usize::MAX);
        out.iter()
            .map(|t| &s[t.start as usize..t.end as usize])
            .collect()
    }

    fn keys(s: &str) -> Vec<u64> {
        let mut out = Vec::new();
        tokenize(s, 0, &mut out, usize::MAX);
        out.iter().map(|t| t.key).collect()
    }

    #[test]
    fn words_numbers_and_signs() {
        assert_eq!(
            words("La facture (n° 2017-114) : 4 126,00 EUR, soit 12,5 % de plus."),
            [
                "La", "facture", "n", "2017", "114", "4", "126,00", "EUR", "soit", "12,5", "%",
                "de", "plus"
            ]
        );
        assert_eq!(
            words("1.234,56€ l'équipe"),
            ["1.234,56", "€", "l", "équipe"]
        );
        assert_eq!(words("fin. Début"), ["fin", "Début"]);
    }

    #[test]
    fn folding() {
        assert_eq!(keys("Équipe ŒUVRE"), keys("equipe oeuvre"));
        // e + combining acute, as some clients re-encode it
        assert_eq!(keys("e\u{301}quipe"), keys("équipe"));
        assert_ne!(keys("412,60"), keys("4126,0"));
        assert_eq!(
            fold_line("  Le 3 mai,\u{a0}Jean a écrit\u{a0}: "),
            "le 3 mai, jean a ecrit :"
        );
        assert_eq!(fold_line("Message d\u{2019}origine"), "message d'origine");
    }

    #[test]
    fn ellipsis() {
        let mut out = Vec::new();
        tokenize("a [...] b […] c", 0, &mut out, usize::MAX);
        let k: Vec<bool> = out.iter().map(|t| t.key == ELLIPSIS).collect();
        assert_eq!(k, [false, true, false, true, false]);
    }
}
