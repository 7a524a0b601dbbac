//! Outlook `.msg` files (MS-OXMSG): one message in an OLE2 compound file.
//!
//! The layout: `__properties_version1.0` holds the fixed-size properties
//! (16-byte records after a header of 32 bytes for the top message, 24 for
//! an embedded one, 8 for a recipient or attachment); each variable-size
//! property is a stream `__substg1.0_IIIITTTT` (property id and type in
//! hex); recipients are storages `__recip_version1.0_#XXXXXXXX`,
//! attachments `__attach_version1.0_#XXXXXXXX`, and an attached message is
//! the storage `__substg1.0_3701000D` of its attachment, laid out like the
//! top message. The message is read into the same model as a PST message
//! and rebuilt the same way ([`super::rebuild`]).
//!
//! A `.msg` is one message, so it gets no [`StoreTally`](tamis_items::StoreTally):
//! it is a `RebuiltMessage` at the file's own origin, or one
//! `store-message-unreadable` that says what could be read. Embedded
//! messages are items of their own at `<file>!<attachment name>`.
//!
//! Bounds: the file is in memory already (at most `max_item_bytes`), every
//! stream is read through a cap of what is left of that, directory entries
//! looked at are capped, embedded messages nest at most `max_depth` deep,
//! and the `cfb` crate runs under `catch_unwind`.

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::props::{id, Attachment, Content, OutlookMessage, Props, Value};

type Ole<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const PROPERTIES: &str = "__properties_version1.0";
const RECIPIENT_PREFIX: &str = "__recip_version1.0_#";
const ATTACHMENT_PREFIX: &str = "__attach_version1.0_#";
const EMBEDDED: &str = "__substg1.0_3701000D";
/// Recipients and attachments read per message.
const MAX_CHILDREN: usize = 4096;

pub(crate) fn is_ole2(bytes: &[u8]) -> bool {
    bytes.starts_with(OLE2_MAGIC)
}

/// Whether an OLE2 file is an Outlook message: its root has the property
/// stream and at least one property of its own. A .doc or .xls has neither.
pub(crate) fn is_msg(bytes: &[u8]) -> bool {
    if !is_ole2(bytes) {
        return false;
    }
    catch_unwind(|| {
        let Ok(ole) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
            return false;
        };
        let mut properties = false;
        let mut substg = false;
        for entry in ole.read_root_storage().take(100_000) {
            properties |= entry.is_stream() && entry.name() == PROPERTIES;
            substg |= entry.name().starts_with("__substg1.0_");
        }
        properties && substg
    })
    .unwrap_or(false)
}

/// Reads the message of a `.msg` file.
pub(crate) fn read(bytes: &[u8], max_depth: usize) -> Result<OutlookMessage, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut ole = cfb::CompoundFile::open(Cursor::new(bytes))
            .map_err(|e| format!("not a readable OLE2 file: {e}"))?;
        let mut left = bytes.len() as u64;
        message(&mut ole, "/", 32, max_depth, None, &mut left)
    }))
    .unwrap_or_else(|_| Err("the OLE2 reader panicked on this file".to_string()))
}

fn join(storage: &str, name: &str) -> String {
    if storage.ends_with('/') {
        format!("{storage}{name}")
    } else {
        format!("{storage}/{name}")
    }
}

fn message(
    ole: &mut Ole<'_>,
    storage: &str,
    header_len: usize,
    depth: usize,
    codepage: Option<u32>,
    left: &mut u64,
) -> Result<OutlookMessage, String> {
    let mut props = bag(ole, storage, header_len, left)?;
    let own = props.declared_codepage();
    props.set_codepage(own.or(codepage));
    let codepage = props.codepage();
    let children: Vec<String> = ole
        .read_storage(storage)
        .map_err(|e| format!("cannot list {storage}: {e}"))?
        .filter(|e| e.is_storage())
        .map(|e| e.name().to_string())
        .take(2 * MAX_CHILDREN)
        .collect();
    let mut recipients = Vec::new();
    let mut attachments = Vec::new();
    let mut names: Vec<&String> = children.iter().collect();
    names.sort();
    for name in names {
        let path = join(storage, name);
        if name.starts_with(RECIPIENT_PREFIX) && recipients.len() < MAX_CHILDREN {
            let mut r = bag(ole, &path, 8, left).unwrap_or_default();
            if r.declared_codepage().is_none() {
                r.set_codepage(codepage);
            }
            recipients.push(r);
        } else if name.starts_with(ATTACHMENT_PREFIX) && attachments.len() < MAX_CHILDREN {
            attachments.push(attachment(ole, &path, depth, codepage, left));
        }
    }
    Ok(OutlookMessage {
        props,
        recipients,
        attachments,
    })
}

fn attachment(
    ole: &mut Ole<'_>,
    path: &str,
    depth: usize,
    codepage: Option<u32>,
    left: &mut u64,
) -> Attachment {
    let mut props = match bag(ole, path, 8, left) {
        Ok(props) => props,
        Err(e) => {
            return Attachment {
                props: Props::default(),
                content: Content::Missing(e),
            }
        }
    };
    if props.declared_codepage().is_none() {
        props.set_codepage(codepage);
    }
    let embedded = join(path, EMBEDDED);
    let content = if ole.is_storage(&embedded) {
        if depth <= 1 {
            Content::Missing("embedded message nested deeper than max_depth".into())
        } else {
            match message(ole, &embedded, 24, depth - 1, codepage, left) {
                Ok(inner) => Content::Embedded(Box::new(inner)),
                Err(e) => Content::Missing(e),
            }
        }
    } else if let Some(Value::Binary(data)) = props.get(id::ATTACH_DATA) {
        Content::Data(data.clone())
    } else {
        let method = props.int(id::ATTACH_METHOD).unwrap_or(0);
        Content::Missing(format!(
            "no attachment data (method {method}: by reference, or the data stream is missing)"
        ))
    };
    Attachment { props, content }
}

/// The properties of one storage: fixed-size ones from its property
/// stream, variable-size ones from their own streams.
fn bag(
    ole: &mut Ole<'_>,
    storage: &str,
    header_len: usize,
    left: &mut u64,
) -> Result<Props, String> {
    let mut props = Props::default();
    let stream = read_stream(ole, &join(storage, PROPERTIES), left)
        .map_err(|e| format!("no property stream in {storage}: {e}"))?;
    for record in stream
        .get(header_len..)
        .unwrap_or_default()
        .chunks_exact(16)
    {
        let tag = u32::from_le_bytes([record[0], record[1], record[2], record[3]]);
        let (prop, kind) = ((tag >> 16) as u16, tag as u16);
        let value = &record[8..16];
        let le32 = || i64::from(i32::from_le_bytes([value[0], value[1], value[2], value[3]]));
        let le64 = || i64::from_le_bytes(value.try_into().expect("8 bytes"));
        let parsed = match kind {
            0x0002 => Some(Value::Int(i64::from(i16::from_le_bytes([
                value[0], value[1],
            ])))),
            0x0003 => Some(Value::Int(le32())),
            0x0014 => Some(Value::Int(le64())),
            0x000B => Some(Value::Bool(value[0] != 0)),
            0x0040 => Some(Value::Time(le64())),
            _ => None,
        };
        if let Some(v) = parsed {
            props.insert(prop, v);
        }
    }
    let names: Vec<String> = ole
        .read_storage(storage)
        .map_err(|e| format!("cannot list {storage}: {e}"))?
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .filter(|n| n.starts_with("__substg1.0_") && n.len() == 20)
        .take(MAX_CHILDREN * 4)
        .collect();
    for name in names {
        let Ok(tag) = u32::from_str_radix(&name[12..20], 16) else {
            continue;
        };
        let (prop, kind) = ((tag >> 16) as u16, tag as u16);
        if !matches!(kind, 0x001F | 0x001E | 0x0102) {
            continue;
        }
        let Ok(data) = read_stream(ole, &join(storage, &name), left) else {
            continue;
        };
        let value = match kind {
            0x001F => {
                let units: Vec<u16> = data
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                let end = units.iter().position(|&u| u == 0).unwrap_or(units.len());
                Value::Text(String::from_utf16_lossy(&units[..end]))
            }
            0x001E => {
                let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
                Value::Text8(data[..end].to_vec())
            }
            _ => Value::Binary(data),
        };
        props.insert(prop, value);
    }
    Ok(props)
}

/// A stream's bytes, within what is left of the file's worth of reading
/// (a damaged FAT can make streams share sectors, so the sum could exceed
/// the file many times over).
fn read_stream(ole: &mut Ole<'_>, path: &str, left: &mut u64) -> Result<Vec<u8>, String> {
    let stream = ole.open_stream(path).map_err(|e| e.to_string())?;
    let mut data = Vec::new();
    stream
        .take(*left + 1)
        .read_to_end(&mut data)
        .map_err(|e| e.to_string())?;
    if data.len() as u64 > *left {
        return Err("streams add up to more than the file".into());
    }
    *left -= data.len() as u64;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_ole2_document_is_not_a_message() {
        let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        ole.create_stream("/WordDocument").unwrap();
        let bytes = ole.into_inner().into_inner();
        assert!(is_ole2(&bytes));
        assert!(!is_msg(&bytes));
        assert!(!is_msg(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 truncated"));
    }
}
