//! `/api/search`'s query string → [`tamis_search::Query`], with a 400 that
//! names the parameter for anything wrong.
//!
//! Filters repeat (`verdict=weak&verdict=unsigned`: values of one filter are
//! ORed, different filters ANDed). An empty value is ignored, so a form can
//! send every field. An unknown parameter is an error rather than ignored:
//! a misspelt filter would otherwise silently widen the search.
//!
//! The free text `q` is passed as typed: the index reads any text (an
//! unknown `field:` or an unclosed quote is read as words), never failing.

use tamis_findings::Verdict;
use tamis_search::{DocKind, Query, Sort};

use crate::error::ApiError;

use tamis_search::{DEFAULT_LIMIT, MAX_LIMIT, UNDATED_MONTH};

/// Deep pages cost memory proportional to the offset in the index; past
/// this a narrower search is the way.
pub const MAX_OFFSET: usize = 10_000;
const MAX_VALUE_CHARS: usize = 255;

const PARAMETERS: &str = "q, verdict, sender_domain, month, has_attachment, attachment_type, \
                          kind, sort, offset, limit";

pub fn parse(raw: Option<&str>) -> Result<Query, ApiError> {
    let mut query = Query {
        limit: DEFAULT_LIMIT,
        ..Query::default()
    };
    let mut seen_single = Vec::new();
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.trim();
        let single = matches!(
            name.as_ref(),
            "q" | "has_attachment" | "sort" | "offset" | "limit"
        );
        if single {
            if seen_single.contains(&name) {
                return Err(ApiError::bad_request(format!(
                    "parameter `{name}` is given twice; it takes one value"
                )));
            }
            seen_single.push(name.clone());
        }
        if value.is_empty() {
            continue;
        }
        if name != "q" && value.chars().count() > MAX_VALUE_CHARS {
            return Err(ApiError::bad_request(format!(
                "parameter `{name}` is longer than {MAX_VALUE_CHARS} characters"
            )));
        }
        match name.as_ref() {
            "q" => query.text = value.to_string(),
            "verdict" => query.verdict.push(verdict(value)?),
            "sender_domain" => query.sender_domain.push(value.to_lowercase()),
            "month" => query.month.push(month(value)?),
            "has_attachment" => query.has_attachment = Some(boolean("has_attachment", value)?),
            "attachment_type" => query.attachment_type.push(media_type(value)?),
            "kind" => query.kind.push(kind(value)?),
            "sort" => query.sort = sort(value)?,
            "offset" => query.offset = number("offset", value, 0, MAX_OFFSET)?,
            // 0: the total and the facets only.
            "limit" => query.limit = number("limit", value, 0, MAX_LIMIT)?,
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{other}`; the parameters are {PARAMETERS}"
                )))
            }
        }
    }
    Ok(query)
}

fn verdict(value: &str) -> Result<String, ApiError> {
    Verdict::ALL
        .iter()
        .find(|v| v.as_str() == value)
        .map(|v| v.as_str().to_string())
        .ok_or_else(|| {
            let words: Vec<_> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
            ApiError::bad_request(format!(
                "`verdict={value}` is not a verdict; the verdicts are {}",
                words.join(", ")
            ))
        })
}

fn month(value: &str) -> Result<String, ApiError> {
    let bytes = value.as_bytes();
    if value == UNDATED_MONTH {
        return Ok(value.to_string());
    }
    let well_formed = bytes.len() == 7
        && bytes[4] == b'-'
        && bytes[..4].iter().chain(&bytes[5..]).all(u8::is_ascii_digit)
        && matches!(value[5..].parse::<u8>(), Ok(1..=12));
    if well_formed {
        Ok(value.to_string())
    } else {
        Err(ApiError::bad_request(format!(
            "`month={value}` is not a month; write it YYYY-MM, like 2017-05, or {UNDATED_MONTH}"
        )))
    }
}

fn kind(value: &str) -> Result<String, ApiError> {
    let kinds = [DocKind::Message, DocKind::Document].map(DocKind::as_str);
    if kinds.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(ApiError::bad_request(format!(
            "`kind={value}` is not a kind; the kinds are {}",
            kinds.join(", ")
        )))
    }
}

/// `yes`/`no` too: the `has_attachment` facet's values.
fn boolean(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(ApiError::bad_request(format!(
            "`{name}={value}` must be true or false (or yes or no)"
        ))),
    }
}

fn media_type(value: &str) -> Result<String, ApiError> {
    let lowered = value.to_ascii_lowercase();
    let token = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    match lowered.split_once('/') {
        Some((kind, subtype)) if token(kind) && token(subtype) => Ok(lowered),
        _ => Err(ApiError::bad_request(format!(
            "`attachment_type={value}` is not a media type; write it type/subtype, like application/pdf"
        ))),
    }
}

fn sort(value: &str) -> Result<Sort, ApiError> {
    match value {
        "relevance" => Ok(Sort::Relevance),
        "newest" => Ok(Sort::Newest),
        "oldest" => Ok(Sort::Oldest),
        _ => Err(ApiError::bad_request(format!(
            "`sort={value}` is not a sort order; use relevance, newest or oldest"
        ))),
    }
}

fn number(name: &str, value: &str, min: usize, max: usize) -> Result<usize, ApiError> {
    match value.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_request(format!(
            "`{name}={value}` must be a whole number from {min} to {max}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(raw: &str) -> String {
        parse(Some(raw)).unwrap_err().message
    }

    #[test]
    fn filters_repeat_and_empty_values_are_ignored() {
        let query = parse(Some(
            "q=%22compte+de+campagne%22&verdict=weak&verdict=unsigned&month=2017-04\
             &sender_domain=Campagne.Example.FR&has_attachment=true&attachment_type=Application/PDF\
             &sort=newest&offset=20&limit=50&verdict=",
        ))
        .unwrap();
        assert_eq!(query.text, "\"compte de campagne\"");
        assert_eq!(query.verdict, ["weak", "unsigned"]);
        assert_eq!(query.month, ["2017-04"]);
        assert_eq!(query.sender_domain, ["campagne.example.fr"]);
        assert_eq!(query.has_attachment, Some(true));
        assert_eq!(query.attachment_type, ["application/pdf"]);
        assert_eq!(query.sort, Sort::Newest);
        assert_eq!((query.offset, query.limit), (20, 50));
    }

    #[test]
    fn defaults_when_nothing_is_given() {
        let query = parse(None).unwrap();
        assert_eq!(query.text, "");
        assert_eq!((query.offset, query.limit), (0, DEFAULT_LIMIT));
        assert_eq!(query.sort, Sort::Relevance);
    }

    #[test]
    fn each_bad_value_names_its_parameter() {
        assert!(message("verdict=fake").contains("verdict=fake"));
        assert!(message("month=2017-13").contains("YYYY-MM"));
        assert!(message("month=17-01").contains("YYYY-MM"));
        assert!(message("has_attachment=maybe").contains("true or false"));
        assert!(message("month=someday").contains("YYYY-MM"));
        assert!(message("sort=random").contains("relevance, newest or oldest"));
        assert!(message("limit=-1").contains("limit"));
        assert!(message("limit=1000").contains("limit"));
        assert!(message("offset=-1").contains("offset"));
        assert!(message("offset=99999999").contains("offset"));
        assert!(message("attachment_type=pdf").contains("type/subtype"));
        assert!(message("verdicts=weak").contains("unknown parameter `verdicts`"));
        assert!(message("q=a&q=b").contains("twice"));
    }

    #[test]
    fn query_text_is_passed_as_typed() {
        let query = parse(Some(
            "q=from%3Apaul+subject%3A%22Budget+Lyon%22+Re%3A+%22open",
        ))
        .unwrap();
        assert_eq!(query.text, "from:paul subject:\"Budget Lyon\" Re: \"open");
    }

    #[test]
    fn facet_values_are_accepted_back_as_filters() {
        let query = parse(Some("has_attachment=no&month=undated&limit=0")).unwrap();
        assert_eq!(query.has_attachment, Some(false));
        assert_eq!(query.month, [UNDATED_MONTH]);
        assert_eq!(query.limit, 0);
    }
}
