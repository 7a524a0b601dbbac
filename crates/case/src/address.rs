//! How addresses are shown and grouped.

/// `Name <address>` when both are known, else whichever is.
pub fn display(name: Option<&str>, address: Option<&str>) -> Option<String> {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    let address = address.map(str::trim).filter(|a| !a.is_empty());
    match (name, address) {
        (Some(name), Some(address)) => Some(format!("{name} <{address}>")),
        (None, Some(address)) => Some(address.to_string()),
        (Some(name), None) => Some(name.to_string()),
        (None, None) => None,
    }
}

/// The lowercased domain of an address (after its last `@`), the key the
/// overview and the search facets group senders by.
pub fn domain(address: &str) -> Option<String> {
    let (_, domain) = address.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('>').trim_end_matches('.');
    (!domain.is_empty()).then(|| domain.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_the_name_when_there_is_one() {
        assert_eq!(
            display(Some("Claire Dubois"), Some("claire@example.fr")).as_deref(),
            Some("Claire Dubois <claire@example.fr>")
        );
        assert_eq!(
            display(Some(" "), Some("claire@example.fr")).as_deref(),
            Some("claire@example.fr")
        );
        assert_eq!(display(None, None), None);
    }

    #[test]
    fn the_sender_domain_is_lowercase_and_after_the_last_at() {
        assert_eq!(
            domain("Claire@Campagne.Example.FR").as_deref(),
            Some("campagne.example.fr")
        );
        assert_eq!(domain("\"a@b\"@c.example").as_deref(), Some("c.example"));
        assert_eq!(domain("no-domain"), None);
        assert_eq!(domain("trailing@"), None);
    }
}
