use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an item was found: the file given on the command line (or found
/// under a directory given there), then each container entry on the way in,
/// then, for a message cut out of an mbox, the byte offset of its `From `
/// line in the innermost container.
///
/// Displayed as `dump.zip!inbox.mbox@1234` (`!` enters an archive entry,
/// `@` is a byte offset), the way a reader finds the bytes again by hand.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Origin {
    /// Path of the file on disk, as given or as walked from a given directory.
    pub file: String,
    /// Archive entries from the outermost container inwards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<OriginStep>,
    /// Byte offset of the message in the innermost container (mbox only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// One archive entry on the way to an item.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OriginStep {
    /// The entry name exactly as stored in the archive (it may be hostile:
    /// `../x`, absolute, not UTF-8 — never used as a filesystem path).
    pub entry: String,
}

impl Origin {
    pub fn file(path: impl Into<String>) -> Self {
        Origin {
            file: path.into(),
            entries: Vec::new(),
            offset: None,
        }
    }

    /// The origin of an entry inside the container this origin points at.
    pub fn entry(&self, name: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.entries.push(OriginStep { entry: name.into() });
        next.offset = None;
        next
    }

    /// The origin of a message at `offset` inside the container this origin points at.
    pub fn at_offset(&self, offset: u64) -> Self {
        let mut next = self.clone();
        next.offset = Some(offset);
        next
    }

    /// How many containers deep this origin is.
    pub fn depth(&self) -> usize {
        self.entries.len()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        for step in &self.entries {
            write!(f, "!{}", step.entry)?;
        }
        if let Some(offset) = self.offset {
            write!(f, "@{offset}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_origin_displays_entries_then_offset() {
        let origin = Origin::file("dump.zip")
            .entry("box/inbox.mbox")
            .at_offset(1234);
        assert_eq!(origin.to_string(), "dump.zip!box/inbox.mbox@1234");
        assert_eq!(origin.depth(), 1);
    }
}
