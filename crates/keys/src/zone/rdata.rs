//! The rdata of a TXT record in zone-file presentation format (RFC 1035
//! §5.1): character-strings, quoted or not, with `\X` and `\DDD` escapes,
//! `( )` grouping and `;` comments.

/// What one or more physical lines of rdata hold so far.
pub(super) struct Rdata {
    pub strings: Vec<Vec<u8>>,
    /// `(` minus `)`: above zero, the record continues on the next line.
    pub open_parens: i32,
}

impl Rdata {
    /// The character-strings joined with nothing between, as DKIM reads
    /// them (RFC 6376 §3.6.2.2).
    pub fn joined(self) -> Result<String, String> {
        if self.strings.is_empty() {
            return Err("TXT record with no character-strings".into());
        }
        String::from_utf8(self.strings.concat())
            .map_err(|_| "TXT record is not valid UTF-8 once escapes are decoded".into())
    }
}

pub(super) fn lex(text: &str) -> Result<Rdata, String> {
    let mut rdata = Rdata {
        strings: Vec::new(),
        open_parens: 0,
    };
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            // A comment runs to the end of its physical line only: a record
            // inside `( )` goes on after it.
            ';' => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        break;
                    }
                }
            }
            '(' | ')' => {
                rdata.open_parens += if c == '(' { 1 } else { -1 };
                if rdata.open_parens < 0 {
                    return Err("')' without '('".into());
                }
                chars.next();
            }
            c if c.is_whitespace() => {
                chars.next();
            }
            '"' => {
                chars.next();
                rdata.strings.push(string(&mut chars, true)?);
            }
            _ => rdata.strings.push(string(&mut chars, false)?),
        }
    }
    Ok(rdata)
}

/// One character-string; for a quoted one the opening quote is already
/// consumed and the closing one is consumed here.
fn string(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    quoted: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let Some(&c) = chars.peek() else {
            return if quoted {
                Err("unterminated quoted string".into())
            } else {
                Ok(out)
            };
        };
        if !quoted && (c.is_whitespace() || matches!(c, '"' | '(' | ')' | ';')) {
            return Ok(out);
        }
        chars.next();
        match c {
            '"' => return Ok(out),
            '\\' => escape(chars, &mut out)?,
            c => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

fn escape(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let Some(first) = chars.next() else {
        return Err("'\\' at end of line".into());
    };
    if !first.is_ascii_digit() {
        let mut buf = [0; 4];
        out.extend_from_slice(first.encode_utf8(&mut buf).as_bytes());
        return Ok(());
    }
    let mut value = first.to_digit(10).unwrap_or(0);
    for _ in 0..2 {
        match chars.next().and_then(|c| c.to_digit(10)) {
            Some(digit) => value = value * 10 + digit,
            None => return Err("'\\' escape needs exactly three digits (\\DDD)".into()),
        }
    }
    let byte = u8::try_from(value).map_err(|_| format!("escape \\{value:03} is above 255"))?;
    out.push(byte);
    Ok(())
}
