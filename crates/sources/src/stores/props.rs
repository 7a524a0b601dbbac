//! A message as Outlook keeps it: bags of MAPI properties, not bytes.
//!
//! PST/OST ([`super::pst`]) and MSG ([`super::msg`]) both read into this
//! model and [`super::rebuild`] turns it into RFC 5322 bytes, so the two
//! readers share one notion of which property means what (MS-OXPROPS).

use std::collections::BTreeMap;

use encoding_rs::Encoding;

/// Property ids (the high 16 bits of a property tag) this reader uses.
pub(crate) mod id {
    pub const SUBJECT: u16 = 0x0037;
    pub const CLIENT_SUBMIT_TIME: u16 = 0x0039;
    pub const SENT_REPRESENTING_NAME: u16 = 0x0042;
    pub const SENT_REPRESENTING_EMAIL: u16 = 0x0065;
    pub const TRANSPORT_HEADERS: u16 = 0x007D;
    pub const RECIPIENT_TYPE: u16 = 0x0C15;
    pub const SENDER_NAME: u16 = 0x0C1A;
    pub const SENDER_EMAIL: u16 = 0x0C1F;
    pub const DISPLAY_CC: u16 = 0x0E03;
    pub const DISPLAY_TO: u16 = 0x0E04;
    pub const DELIVERY_TIME: u16 = 0x0E06;
    pub const BODY: u16 = 0x1000;
    pub const RTF_COMPRESSED: u16 = 0x1009;
    pub const HTML: u16 = 0x1013;
    pub const INTERNET_MESSAGE_ID: u16 = 0x1035;
    pub const INTERNET_REFERENCES: u16 = 0x1039;
    pub const IN_REPLY_TO: u16 = 0x1042;
    pub const DISPLAY_NAME: u16 = 0x3001;
    pub const EMAIL_ADDRESS: u16 = 0x3003;
    pub const ATTACH_DATA: u16 = 0x3701;
    pub const ATTACH_FILENAME: u16 = 0x3704;
    pub const ATTACH_METHOD: u16 = 0x3705;
    pub const ATTACH_LONG_FILENAME: u16 = 0x3707;
    pub const ATTACH_MIME_TAG: u16 = 0x370E;
    pub const ATTACH_CONTENT_ID: u16 = 0x3712;
    pub const SMTP_ADDRESS: u16 = 0x39FE;
    pub const INTERNET_CODEPAGE: u16 = 0x3FDE;
    pub const MESSAGE_CODEPAGE: u16 = 0x3FFD;
    pub const SENDER_SMTP_ADDRESS: u16 = 0x5D01;
    pub const SENT_REPRESENTING_SMTP: u16 = 0x5D02;
    pub const ATTACHMENT_HIDDEN: u16 = 0x7FFE;
}

/// `PidTagAttachMethod` of an embedded message (`afEmbeddedMessage`).
pub(crate) const ATTACH_EMBEDDED_MESSAGE: i64 = 5;

/// One property value, as far as rebuilding a message needs to tell them apart.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// A Unicode string (`PtypString`), already decoded.
    Text(String),
    /// An 8-bit string (`PtypString8`) in the bag's code page, kept as bytes
    /// until read, since the code page may be another property of the bag.
    Text8(Vec<u8>),
    Binary(Vec<u8>),
    Int(i64),
    Bool(bool),
    /// A FILETIME: 100 ns ticks since 1601-01-01 UTC.
    Time(i64),
}

/// The properties of one message, recipient or attachment.
#[derive(Clone, Debug, Default)]
pub(crate) struct Props {
    values: BTreeMap<u16, Value>,
    /// Code page of the `Text8` values, from the message (`PidTagInternetCodepage`
    /// or `PidTagMessageCodepage`); Windows-1252 when none is known.
    codepage: Option<u32>,
}

impl Props {
    pub fn insert(&mut self, id: u16, value: Value) {
        self.values.insert(id, value);
    }

    pub fn get(&self, id: u16) -> Option<&Value> {
        self.values.get(&id)
    }

    /// The code page this bag's own properties declare, if any.
    pub fn declared_codepage(&self) -> Option<u32> {
        [id::INTERNET_CODEPAGE, id::MESSAGE_CODEPAGE]
            .iter()
            .filter_map(|&i| self.int(i))
            .find_map(|cp| u32::try_from(cp).ok().filter(|&cp| cp != 0))
    }

    pub fn set_codepage(&mut self, codepage: Option<u32>) {
        self.codepage = codepage;
    }

    pub fn codepage(&self) -> Option<u32> {
        self.codepage
    }

    /// A string property, decoded; empty strings count as absent.
    pub fn text(&self, id: u16) -> Option<String> {
        let text = match self.values.get(&id)? {
            Value::Text(text) => text.clone(),
            Value::Text8(bytes) => decode(bytes, self.codepage),
            _ => return None,
        };
        (!text.is_empty()).then_some(text)
    }

    /// A binary property, or a string one as its bytes (UTF-8 for Unicode).
    pub fn bytes(&self, id: u16) -> Option<&[u8]> {
        match self.values.get(&id)? {
            Value::Binary(bytes) | Value::Text8(bytes) => Some(bytes),
            Value::Text(text) => Some(text.as_bytes()),
            _ => None,
        }
    }

    pub fn int(&self, id: u16) -> Option<i64> {
        match self.values.get(&id)? {
            Value::Int(n) => Some(*n),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    pub fn bool(&self, id: u16) -> bool {
        self.int(id).is_some_and(|n| n != 0)
    }

    pub fn time(&self, id: u16) -> Option<i64> {
        match self.values.get(&id)? {
            Value::Time(t) => Some(*t),
            _ => None,
        }
    }

    /// The subject without the `\x01<len>` marker MAPI may put in front of
    /// a subject to say how long its prefix ("RE: ") is.
    pub fn subject(&self) -> Option<String> {
        let subject = self.text(id::SUBJECT)?;
        let mut chars = subject.chars();
        if chars.next() == Some('\u{1}') {
            chars.next();
            return Some(chars.as_str().to_string()).filter(|s| !s.is_empty());
        }
        Some(subject)
    }
}

/// A message read from a store, before it becomes bytes.
#[derive(Clone, Debug, Default)]
pub(crate) struct OutlookMessage {
    pub props: Props,
    pub recipients: Vec<Props>,
    pub attachments: Vec<Attachment>,
}

#[derive(Clone, Debug)]
pub(crate) struct Attachment {
    pub props: Props,
    pub content: Content,
}

#[derive(Clone, Debug)]
pub(crate) enum Content {
    Data(Vec<u8>),
    /// An attached message (`afEmbeddedMessage`).
    Embedded(Box<OutlookMessage>),
    /// Listed but its bytes could not be had; the reason is kept, and the
    /// rebuilt message carries a text part saying so.
    Missing(String),
}

impl Attachment {
    /// The attachment's file name as the sender gave it.
    pub fn name(&self) -> Option<String> {
        self.props
            .text(id::ATTACH_LONG_FILENAME)
            .or_else(|| self.props.text(id::ATTACH_FILENAME))
            .or_else(|| self.props.text(id::DISPLAY_NAME))
    }

    /// A label for origins and reports: the file name, or for an embedded
    /// message its subject, or its position.
    pub fn label(&self, index: usize) -> String {
        if let Some(name) = self.name() {
            return name;
        }
        if let Content::Embedded(message) = &self.content {
            if let Some(subject) = message.props.subject() {
                return format!("{subject}.msg");
            }
        }
        format!("attachment {index}")
    }
}

/// The encoding of a Windows code page; Windows-1252 for unknown ones,
/// which is what Outlook itself falls back to.
pub(crate) fn encoding_for(codepage: Option<u32>) -> &'static Encoding {
    let label = match codepage.unwrap_or(1252) {
        65001 => "utf-8",
        20127 | 28591 | 1252 => "windows-1252",
        1200 => "utf-16le",
        1201 => "utf-16be",
        932 => "shift_jis",
        936 => "gbk",
        54936 => "gb18030",
        949 | 51949 => "euc-kr",
        950 => "big5",
        20932 | 51932 => "euc-jp",
        50220..=50222 => "iso-2022-jp",
        20866 => "koi8-r",
        21866 => "koi8-u",
        874 => "windows-874",
        cp @ 1250..=1258 => return windows(cp),
        cp @ 28592..=28606 => return iso8859(cp - 28590),
        _ => "windows-1252",
    };
    Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
}

fn windows(cp: u32) -> &'static Encoding {
    Encoding::for_label(format!("windows-{cp}").as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
}

fn iso8859(part: u32) -> &'static Encoding {
    Encoding::for_label(format!("iso-8859-{part}").as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
}

/// Bytes in a code page as text; malformed sequences become U+FFFD.
pub(crate) fn decode(bytes: &[u8], codepage: Option<u32>) -> String {
    let (text, _, _) = encoding_for(codepage).decode(bytes);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_bit_strings_use_the_bag_code_page() {
        let mut props = Props::default();
        props.insert(id::SUBJECT, Value::Text8(b"caf\xe9".to_vec()));
        assert_eq!(props.subject().as_deref(), Some("café"));
        props.set_codepage(Some(1251));
        assert_eq!(props.subject().as_deref(), Some("cafй"));
        props.set_codepage(Some(65001));
        props.insert(id::SUBJECT, Value::Text8("Привет".as_bytes().to_vec()));
        assert_eq!(props.subject().as_deref(), Some("Привет"));
    }

    #[test]
    fn subject_prefix_marker_is_dropped() {
        let mut props = Props::default();
        props.insert(id::SUBJECT, Value::Text("\u{1}\u{4}RE: hi".into()));
        assert_eq!(props.subject().as_deref(), Some("RE: hi"));
    }

    #[test]
    fn code_pages_map_to_encodings() {
        assert_eq!(encoding_for(Some(28592)).name(), "ISO-8859-2");
        assert_eq!(encoding_for(Some(1251)).name(), "windows-1251");
        assert_eq!(encoding_for(Some(932)).name(), "Shift_JIS");
        assert_eq!(encoding_for(None).name(), "windows-1252");
        assert_eq!(encoding_for(Some(99999)).name(), "windows-1252");
    }
}
