//! Numbers as a newsroom prints them.

/// `71848` → `71,848`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `part` as a share of `whole`, one decimal: `29.3%`; a dash when there is no whole.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// `1 message`, `2 messages`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(71_848), "71,848");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn shares_have_one_decimal_and_survive_an_empty_case() {
        assert_eq!(percent(21_075, 71_848), "29.3%");
        assert_eq!(percent(0, 0), "–");
    }

    #[test]
    fn plural_agrees_with_the_count() {
        assert_eq!(plural(1, "message", "messages"), "1 message");
        assert_eq!(plural(1200, "message", "messages"), "1,200 messages");
    }
}
