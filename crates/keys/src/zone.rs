use crate::{KeyLookup, TxtLookup};
use std::path::Path;

/// TXT records read from one key file.
pub struct KeyFile {}

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    Syntax {
        path: String,
        line: usize,
        reason: String,
    },
}

impl KeyFile {
    /// Read a key file; records get provenance `PATH:LINE`.
    pub fn load(path: &Path) -> Result<KeyFile, KeyFileError> {
        let _ = path;
        todo!()
    }

    /// Parse key file text; `source_name` prefixes each record's provenance.
    pub fn parse(text: &str, source_name: &str) -> Result<KeyFile, KeyFileError> {
        let _ = (text, source_name);
        todo!()
    }
}

impl KeyLookup for KeyFile {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        let _ = name;
        todo!()
    }
}
