use serde::{Deserialize, Serialize};

/// What a reader of one message sees: addresses, subject, bodies, the
/// headers that thread it, and its attachments. Produced by the content
/// analyzer (`tamis-content`) from the message's original bytes; the case
/// store keeps it and the UI and search index read it.
///
/// Everything here is decoded text from hostile bytes: the HTML body is the
/// sender's HTML as written and must never be rendered without sanitizing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageContent {
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// In-Reply-To ids, without angle brackets, in header order.
    pub in_reply_to: Vec<String>,
    /// References ids, without angle brackets, oldest first.
    pub references: Vec<String>,
    /// Gmail labels of a message exported by Google Takeout
    /// (`X-Gmail-Labels`), decoded, in the order written: where the message
    /// sat in the mailbox (`Inbox`, `Sent`, `Spam`, user labels). Takeout
    /// adds them at export, unsigned: they say nothing about authenticity.
    #[serde(default)]
    pub gmail_labels: Vec<String>,
    /// Gmail's thread id of a Takeout message (`X-GM-THRID`, decimal).
    #[serde(default)]
    pub gmail_thread_id: Option<String>,
    pub from: Vec<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub bcc: Vec<Address>,
    pub reply_to: Vec<Address>,
    /// Decoded (RFC 2047) subject.
    pub subject: Option<String>,
    /// Seconds since the Unix epoch, when the Date header parses.
    pub date_unix: Option<i64>,
    /// Every header field in order, names as written, values decoded for display.
    pub headers: Vec<HeaderLine>,
    /// The plain-text body; when the message has only HTML, its text with tags removed.
    pub text_body: String,
    /// The HTML body as the sender wrote it (untrusted, unsanitized).
    pub html_body: Option<String>,
    pub attachments: Vec<Attachment>,
    /// What could not be read, in words (a part over a size cap, MIME nested
    /// too deep, an undecodable charset…). The message is still kept.
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Display name, decoded.
    pub name: Option<String>,
    /// The address as written (not lowercased).
    pub address: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderLine {
    pub name: String,
    pub value: String,
}

/// One attachment (or inline part that is a file, or an embedded message),
/// with its decoded bytes: it becomes an item of its own in a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The file name the sender gave, decoded; hostile (may hold `../`, NULs,
    /// be 10,000 characters long): never a filesystem path.
    pub filename: Option<String>,
    /// `type/subtype` lowercased, as declared.
    pub content_type: String,
    /// `attachment`, `inline` or `embedded-message`.
    pub disposition: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}
