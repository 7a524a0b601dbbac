use crate::{KeyLookup, TxtLookup};

/// Several key sources consulted together: records from all of them are
/// returned, in the order the sources were given.
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
        let _ = name;
        todo!()
    }
}
