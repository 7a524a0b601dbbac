//! The store file as the `outlook-pst` crate sees it: where its bytes
//! are, what its header says (PST or OST, ANSI or Unicode, page size), the
//! header fields patched where the crate is stricter than the format, and
//! every read counted against a budget the walk resets per folder, per
//! message and per attachment (see [`super::pst`] for why).

use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

/// Where the store's bytes are: a file on disk, read in place, or a copy
/// in memory of a store found inside an archive.
pub(crate) enum StoreBytes {
    File(PathBuf),
    Memory(Arc<Vec<u8>>),
}

trait SendReader: Read + Seek + Send {}
impl<T: Read + Seek + Send> SendReader for T {}

impl StoreBytes {
    fn open(&self) -> io::Result<Box<dyn SendReader>> {
        Ok(match self {
            StoreBytes::File(path) => Box::new(io::BufReader::new(std::fs::File::open(path)?)),
            StoreBytes::Memory(bytes) => Box::new(io::Cursor::new(ArcBytes(bytes.clone()))),
        })
    }
}

struct ArcBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// What the first bytes of a `!BDN` file say about it (MS-PST 2.2.2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub unicode: bool,
    pub ost: bool,
    /// `wVer`: 14 or 15 ANSI, 23 Unicode, 36 Unicode with 4 KiB pages and
    /// compressed blocks (OSTs of Outlook 2013 and later).
    pub version: u16,
}

impl Header {
    /// The 4 KiB page layout (`wVer` 36).
    pub fn pages_4k(&self) -> bool {
        self.version == 36
    }

    pub fn format(&self) -> &'static str {
        if self.ost {
            "ost"
        } else {
            "pst"
        }
    }
}

/// The header of a PST or OST, or why it is none. The `.ost` name only
/// breaks a tie when the client magic is neither PST's nor OST's.
pub(crate) fn header(head: &[u8], name_hint: &str) -> Option<Header> {
    if !head.starts_with(b"!BDN") || head.len() < 16 {
        return None;
    }
    let client = &head[8..10];
    let version = u16::from_le_bytes([head[10], head[11]]);
    let ost = match client {
        b"SM" => false,
        b"SO" => true,
        _ => name_hint.to_ascii_lowercase().ends_with(".ost"),
    };
    Some(Header {
        unicode: version >= 23,
        ost,
        version,
    })
}

/// Per-folder, per-message and per-attachment bounds on what the crate may read.
struct Budget {
    max_bytes: u64,
    max_reads: u64,
    /// Bytes a read call is counted as at least: what one block read from
    /// the file may inflate to, so that the byte budget bounds what the
    /// crate holds in memory, not only what it reads.
    min_charge: u64,
}

/// Stores with 4 KiB pages hold zlib-compressed blocks of up to 64 KiB
/// inflated, each read whole in one call (usually one read of the file); 512
/// bytes of file (the smallest block) can thus become 64 KiB in memory. Each
/// read call of such a store is counted as that much.
const MIN_CHARGE_4K: u64 = 64 << 10;

/// Read calls allowed per budget. Each level of a hostile self-referencing
/// tree costs the crate one read and one stack frame; at this many reads
/// the deepest recursion stays far inside the reader thread's stack
/// (`pst::STACK_BYTES`; measured: 200,000 levels of a looping XBLOCK in a
/// debug build fit in it).
const MAX_READS: u64 = 200_000;

/// Opens the store's bytes for the crate: the header patched if need be,
/// reads counted in the returned [`Spent`] against a budget of
/// `max_bytes` (and [`MAX_READS`]) between two resets.
pub(crate) fn open(
    bytes: &StoreBytes,
    header: Header,
    max_bytes: u64,
) -> Result<(Guard, Rc<Spent>), String> {
    let mut inner = bytes.open().map_err(|e| format!("cannot open: {e}"))?;
    let patch = header_patch(inner.as_mut(), header.unicode)
        .map_err(|e| format!("cannot read the header: {e}"))?;
    inner
        .seek(SeekFrom::Start(0))
        .map_err(|e| format!("cannot read the header: {e}"))?;
    let spent = Rc::new(Spent::default());
    let guard = Guard {
        inner,
        patch,
        pos: 0,
        spent: spent.clone(),
        budget: Budget {
            max_bytes,
            max_reads: MAX_READS,
            min_charge: if header.pages_4k() { MIN_CHARGE_4K } else { 0 },
        },
    };
    Ok((guard, spent))
}

#[derive(Default)]
pub(crate) struct Spent {
    bytes: std::cell::Cell<u64>,
    reads: std::cell::Cell<u64>,
}

impl Spent {
    /// A fresh budget: for a folder, a message's properties, an attachment.
    pub fn reset(&self) {
        self.bytes.set(0);
        self.reads.set(0);
    }
}

/// The store file as the crate sees it: header fields patched where the
/// crate is stricter than the format, and reads counted against a budget.
pub(crate) struct Guard {
    inner: Box<dyn SendReader>,
    patch: Vec<u8>,
    pos: u64,
    spent: Rc<Spent>,
    budget: Budget,
}

impl Read for Guard {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let reads = self.spent.reads.get() + 1;
        self.spent.reads.set(reads);
        if reads > self.budget.max_reads || self.spent.bytes.get() > self.budget.max_bytes {
            return Err(io::Error::other(format!(
                "read budget exceeded ({} bytes in {reads} reads): the store's structure loops or expands past max_item_bytes",
                self.spent.bytes.get()
            )));
        }
        let n = self.inner.read(buf)?;
        let charge = if n == 0 {
            0
        } else {
            (n as u64).max(self.budget.min_charge)
        };
        self.spent.bytes.set(self.spent.bytes.get() + charge);
        let start = self.pos as usize;
        if start < self.patch.len() {
            let end = (start + n).min(self.patch.len());
            buf[..end - start].copy_from_slice(&self.patch[start..end]);
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Guard {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}

/// The header bytes with PST's client magic, client version and platform
/// bytes, if the store has other ones and its CRCs were right.
fn header_patch(reader: &mut dyn SendReader, unicode: bool) -> io::Result<Vec<u8>> {
    let mut head = vec![0u8; 528];
    reader.seek(SeekFrom::Start(0))?;
    let n = crate::stream::read_up_to(reader, &mut head)?;
    head.truncate(n);
    if head.len() < 512 {
        return Ok(Vec::new());
    }
    let wanted: [u8; 4] = [19, 0, 1, 1];
    if &head[8..10] == b"SM" && head[12..16] == wanted {
        return Ok(Vec::new());
    }
    let stored =
        |at: usize| u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    if stored(4) != crc(&head[8..479]) {
        return Ok(Vec::new());
    }
    let full_ok = unicode && head.len() >= 528 && stored(524) == crc(&head[8..524]);
    head[8..10].copy_from_slice(b"SM");
    head[12..16].copy_from_slice(&wanted);
    let partial = crc(&head[8..479]);
    head[4..8].copy_from_slice(&partial.to_le_bytes());
    if full_ok {
        let full = crc(&head[8..524]);
        head[524..528].copy_from_slice(&full.to_le_bytes());
    }
    Ok(head)
}

/// MS-PST 5.3: CRC-32 (reflected 0xEDB88320), initial value 0, no final XOR.
fn crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_tells_pst_from_ost() {
        let mut head = b"!BDN\0\0\0\0SM\x17\x00\x13\x00\x01\x01".to_vec();
        let pst = header(&head, "x").unwrap();
        assert_eq!((pst.unicode, pst.ost, pst.format()), (true, false, "pst"));
        head[8..10].copy_from_slice(b"SO");
        head[10] = 36;
        let ost = header(&head, "x.pst").unwrap();
        assert_eq!((ost.ost, ost.version), (true, 36));
        head[8..10].copy_from_slice(b"??");
        head[10] = 14;
        let ansi = header(&head, "Mail.OST").unwrap();
        assert_eq!((ansi.unicode, ansi.ost), (false, true));
        assert_eq!(header(b"!BDX", ""), None);
    }

    #[test]
    fn crc_matches_the_specification() {
        assert_eq!(crc(b""), 0);
        // CRC-32 without the usual pre- and post-inversion.
        assert_eq!(crc(b"123456789"), 0x2DFD_2D88);
    }
}
