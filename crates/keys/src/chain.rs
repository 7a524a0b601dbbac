use crate::{KeyLookup, TxtLookup};

/// Several key sources consulted together: records from all of them are
/// returned, in the order the sources were given.
///
/// Every source is asked even after one has found records, because a key
/// file may hold the key a selector had years ago while DNS holds today's.
/// How the answers combine is [`TxtLookup::merge`]: records win, then
/// errors (each source's error text names the source), then NotFound.
#[derive(Default)]
pub struct KeySources {
    sources: Vec<Box<dyn KeyLookup>>,
}

impl KeySources {
    pub fn push(&mut self, source: Box<dyn KeyLookup>) {
        self.sources.push(source);
    }
}

impl KeyLookup for KeySources {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        TxtLookup::merge(self.sources.iter().map(|source| source.lookup_txt(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TxtRecord;
    use std::collections::HashMap;

    const NAME: &str = "s._domainkey.example.com";

    fn source(answer: TxtLookup) -> Box<dyn KeyLookup> {
        Box::new(HashMap::from([(NAME.to_owned(), answer)]))
    }

    fn found(value: &str) -> TxtLookup {
        TxtLookup::Found(vec![TxtRecord {
            value: value.into(),
            source: format!("{value}.zone:1"),
            ..TxtRecord::default()
        }])
    }

    fn chain(answers: impl IntoIterator<Item = TxtLookup>) -> KeySources {
        let mut sources = KeySources::default();
        for answer in answers {
            sources.push(source(answer));
        }
        sources
    }

    #[test]
    fn records_from_every_source_are_returned_in_source_order() {
        let sources = chain([found("a"), TxtLookup::NotFound, found("b")]);
        let TxtLookup::Found(records) = sources.lookup_txt(NAME) else {
            panic!("expected records");
        };
        let values: Vec<_> = records.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(values, ["a", "b"]);
    }

    #[test]
    fn records_win_over_another_source_erroring() {
        let sources = chain([TxtLookup::Error("dns: timeout".into()), found("a")]);
        assert!(matches!(sources.lookup_txt(NAME), TxtLookup::Found(r) if r.len() == 1));
    }

    #[test]
    fn not_found_only_when_every_source_says_so() {
        let sources = chain([TxtLookup::NotFound, TxtLookup::NotFound]);
        assert_eq!(sources.lookup_txt(NAME), TxtLookup::NotFound);
        assert_eq!(KeySources::default().lookup_txt(NAME), TxtLookup::NotFound);
    }

    #[test]
    fn error_when_nothing_found_names_every_failing_source() {
        let sources = chain([
            TxtLookup::Error("keys.zone:3: SERVFAIL".into()),
            TxtLookup::NotFound,
            TxtLookup::Error("dns:system: timed out".into()),
        ]);
        assert_eq!(
            sources.lookup_txt(NAME),
            TxtLookup::Error("keys.zone:3: SERVFAIL; dns:system: timed out".into())
        );
    }
}
