-- The tamis case database (case.sqlite), schema version 1.
--
-- The system of record of a case: everything the web UI, the JSON API and
-- the reports show comes from here. The search index (index/) is derived
-- from it and rebuilt from it when behind; the exact bytes of every item are
-- files under blobs/, named by their SHA-256.
--
-- Every statement is idempotent (IF NOT EXISTS): the writer runs this file
-- each time it opens a case.

-- Facts about the database itself.
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY, -- 'schema_version'
    value TEXT NOT NULL     -- '1' for this schema
);

-- One row per `tamis ingest` run, so that a published figure can be traced
-- to the run that produced it. A run that was killed is resumed in the same
-- row when the same command is run again.
CREATE TABLE IF NOT EXISTS runs (
    id            INTEGER PRIMARY KEY, -- 1 for the first run into the case, then 2, 3…
    started_at    TEXT NOT NULL,       -- when the run first started, RFC 3339, UTC
    finished_at   TEXT,                -- when it finished, RFC 3339, UTC; NULL while running or if it was killed
    paths         TEXT NOT NULL,       -- JSON array: the paths ingested, as given on the command line
    key_files     TEXT NOT NULL,       -- JSON array: the key files consulted for DKIM keys
    dns           INTEGER NOT NULL,    -- 1 when live DNS was also consulted for keys, else 0
    tamis_version TEXT NOT NULL,       -- version of tamis that ran it
    status        TEXT NOT NULL,       -- 'running', 'finished', or 'interrupted' (killed, and a later run had other parameters)
    counts        TEXT NOT NULL,       -- JSON object: messages, new_messages, duplicates, attachments, files, unreadable
    records_done  INTEGER NOT NULL DEFAULT 0 -- how many things of this run are committed; a resumed run counts only those after
);

-- Every distinct byte sequence in the case: messages as found, attachments
-- (decoded), other files. Two identical copies are one item, whatever the
-- run or place they came from. The bytes are the file blobs/<first 2 hex
-- digits>/<next 2>/<sha256>.
CREATE TABLE IF NOT EXISTS items (
    id        INTEGER PRIMARY KEY,            -- in the order items were first met
    sha256    TEXT NOT NULL UNIQUE,           -- SHA-256 of the bytes, lowercase hex: check with `sha256sum`
    size      INTEGER NOT NULL,               -- bytes
    kind      TEXT NOT NULL,                  -- how it was first met: 'message', 'attachment', 'file' or 'revision' (an earlier state of a document)
    first_run INTEGER NOT NULL REFERENCES runs(id) -- the run that first met it
);

-- Every place an item was found in a dump: one row per (item, place).
-- Attachments have no row here: they were found inside their message (see
-- attachments).
CREATE TABLE IF NOT EXISTS origins (
    id         INTEGER PRIMARY KEY,                -- in dump order
    item_id    INTEGER NOT NULL REFERENCES items(id), -- the bytes found there
    location   TEXT NOT NULL,                      -- 'file!entry!entry@offset': '!' enters an archive entry, '@' is a byte offset in an mbox
    origin     TEXT NOT NULL,                      -- the same place as JSON: {"file": …, "entries": [{"entry": …}], "offset": …}
    found_as   TEXT NOT NULL,                      -- what the dump held there: 'message', 'mbox-message' (cut out of an mbox), 'rebuilt-message' (rebuilt from a PST, OST or MSG store) or 'file'
    message_id INTEGER REFERENCES messages(id),    -- the message read from these bytes; NULL for other files and unreadable messages
    run_id     INTEGER NOT NULL REFERENCES runs(id), -- the run that first found it there
    UNIQUE (item_id, location)
);
CREATE INDEX IF NOT EXISTS origins_by_message ON origins(message_id);
CREATE INDEX IF NOT EXISTS origins_by_kind ON origins(found_as, item_id);

-- One row per unique message. Copies of a message (the same message found
-- twice, or re-exported with other line endings or mbox escaping) are one
-- message with several origins.
CREATE TABLE IF NOT EXISTS messages (
    id               INTEGER PRIMARY KEY,  -- in ingest order; stable: the UI's /messages/<id>
    key              BLOB NOT NULL UNIQUE, -- 32-byte duplicate key: BLAKE3 of the bytes with exporter damage undone
    item_id          INTEGER NOT NULL REFERENCES items(id), -- the bytes of its first origin: the ones verified
    message_id       TEXT,    -- Message-ID header, without angle brackets
    from_name        TEXT,    -- display name of the first From address
    from_address     TEXT,    -- first From address, as written
    sender_domain    TEXT,    -- domain of the first From address, lowercase
    subject          TEXT,    -- Subject, decoded
    date             TEXT,    -- Date header in RFC 3339, with the sender's UTC offset
    date_unix        INTEGER, -- the same instant in seconds since 1970-01-01 UTC; NULL when the Date header does not parse
    month            TEXT,    -- 'YYYY-MM' of that instant in UTC, for timelines; NULL when undated
    verdict          TEXT NOT NULL, -- verified, verified-partial, weak, body-altered, headers-altered, key-revoked, key-missing, invalid-signature, unsigned, rebuilt
    reason           TEXT NOT NULL, -- why it got that verdict, in one sentence
    text_body        TEXT NOT NULL, -- plain-text body (or the HTML body's text when there is no plain one)
    html_body        TEXT,    -- HTML body as the sender wrote it: hostile, never open it in a browser unsanitized
    in_reply_to      TEXT NOT NULL, -- JSON array of In-Reply-To ids
    references_      TEXT NOT NULL, -- JSON array of References ids, oldest first
    headers          TEXT NOT NULL, -- JSON array of every header field in order: [{"name": …, "value": …}]
    problems         TEXT NOT NULL, -- JSON array of what could not be read in the content, in words
    report           TEXT NOT NULL, -- JSON: the full authenticity report, as `tamis verify --format jsonl` prints it (first origin only)
    attachment_count INTEGER NOT NULL -- rows in attachments for this message
    -- A message's thread is in `threads` (threads_by_message), not here:
    -- rows are wide, and SQLite rewrites the whole row, bodies and all, to
    -- change one column, which made rebuilding the threads of 20,000
    -- messages take 2 s.
);
CREATE INDEX IF NOT EXISTS messages_by_verdict ON messages(verdict);
CREATE INDEX IF NOT EXISTS messages_by_sender_domain ON messages(sender_domain);
CREATE INDEX IF NOT EXISTS messages_by_date ON messages(date_unix);
CREATE INDEX IF NOT EXISTS messages_by_month ON messages(month, verdict);
CREATE INDEX IF NOT EXISTS messages_by_from ON messages(from_address COLLATE NOCASE, from_name);
CREATE INDEX IF NOT EXISTS messages_by_message_id ON messages(message_id);

-- Every address on a message but the sender (who is in messages).
CREATE TABLE IF NOT EXISTS recipients (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    kind       TEXT NOT NULL,    -- 'to', 'cc', 'bcc' or 'reply-to'
    position   INTEGER NOT NULL, -- 0 for the first address of that kind
    name       TEXT,             -- display name, decoded
    address    TEXT,             -- the address as written
    PRIMARY KEY (message_id, kind, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recipients_by_address ON recipients(address COLLATE NOCASE, kind, name);

-- The files attached to a message (and inline files, and embedded
-- messages), each an item of its own: the same file attached to two
-- messages is one item with two rows here.
CREATE TABLE IF NOT EXISTS attachments (
    message_id   INTEGER NOT NULL REFERENCES messages(id),
    position     INTEGER NOT NULL, -- 0 for the first attachment of the message
    item_id      INTEGER NOT NULL REFERENCES items(id), -- the decoded bytes
    filename     TEXT,             -- the name the sender gave: hostile text, never a path on disk
    content_type TEXT NOT NULL,    -- 'type/subtype', lowercase, as declared
    disposition  TEXT NOT NULL,    -- 'attachment', 'inline' or 'embedded-message'
    size         INTEGER NOT NULL, -- bytes, decoded
    PRIMARY KEY (message_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attachments_by_item ON attachments(item_id);

-- One row per DKIM-Signature header, for SQL users (the full evidence is
-- in messages.report).
CREATE TABLE IF NOT EXISTS signatures (
    message_id          INTEGER NOT NULL REFERENCES messages(id),
    position            INTEGER NOT NULL, -- 0 for the first DKIM-Signature header
    domain              TEXT,    -- d= : the signing domain
    selector            TEXT,    -- s= : which of the domain's keys
    algorithm           TEXT,    -- a= : rsa-sha256, ed25519-sha256…
    canonicalization    TEXT,    -- c= : simple/relaxed
    key_bits            INTEGER, -- size of the key that decided
    key_source          TEXT,    -- where that key came from: 'keys.zone:12', a DNS answer…
    result              TEXT NOT NULL, -- this signature's verdict, same words as messages.verdict
    outcome             TEXT NOT NULL, -- the verifier's outcome in protocol terms: body-hash-mismatch…
    reason              TEXT NOT NULL, -- in words
    unsigned_body_bytes INTEGER NOT NULL, -- body bytes after l= that nobody signed
    PRIMARY KEY (message_id, position)
) WITHOUT ROWID;

-- What could not be read, where, and why: an archive truncated, an entry
-- over a size cap, a message whose header cannot be parsed. The run went on.
CREATE TABLE IF NOT EXISTS findings (
    id       INTEGER PRIMARY KEY, -- in dump order
    run_id   INTEGER NOT NULL REFERENCES runs(id), -- the run that first found it
    location TEXT NOT NULL,       -- 'file!entry@offset', as in origins
    origin   TEXT NOT NULL,       -- the same place as JSON
    code     TEXT NOT NULL,       -- stable machine code: archive-truncated, entry-too-large, header-unreadable…
    reason   TEXT NOT NULL,       -- what went wrong and what to do, in words
    UNIQUE (location, code)
);

-- Conversations (JWZ threading over Message-ID, In-Reply-To, References),
-- rebuilt over the whole case at the end of every run. One row per message
-- of a thread in display order, plus rows for messages the thread refers to
-- that are not in the case.
CREATE TABLE IF NOT EXISTS threads (
    thread_id         INTEGER NOT NULL, -- 1 for the thread whose first message is oldest
    position          INTEGER NOT NULL, -- display order within the thread, 0 first
    depth             INTEGER NOT NULL, -- 0 for the root, 1 for a reply to it…
    message_id_header TEXT,             -- the Message-ID of that node
    message           INTEGER REFERENCES messages(id), -- NULL for a message referred to but not in the case
    PRIMARY KEY (thread_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS threads_by_message ON threads(message);

-- Messages that cannot prove themselves (unsigned, altered, key missing…)
-- whose text a verified message quotes, forwards inline or carries as an
-- attachment: the verified message vouches for what they said. Rebuilt
-- over the whole case at the end of every run.
CREATE TABLE IF NOT EXISTS corroborations (
    message_id  INTEGER NOT NULL REFERENCES messages(id), -- the message corroborated
    by_message  INTEGER NOT NULL REFERENCES messages(id), -- the verified message that quotes it
    how         TEXT NOT NULL,  -- quoted, forwarded (inline), attached
    coverage    REAL NOT NULL,  -- share of the message's own words found in the quote, 0 to 1
    quoted      TEXT NOT NULL,  -- the quoted span as the verified message has it (bounded)
    differences TEXT NOT NULL,  -- JSON array of word-level differences; [] when they agree
    attribution TEXT,           -- the verified message's own line saying who wrote the quote and when
    PRIMARY KEY (message_id, by_message, how)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS corroborations_by ON corroborations(by_message);

-- What the victim's registry (`tamis ingest --registry`) says of each
-- item: one of registry-identical (a registered genuine item's bytes),
-- registry-altered (a near-duplicate of one), registry-decoy (a planted
-- decoy, with its recipient when a watermark survived), registry-unknown.
CREATE TABLE IF NOT EXISTS registry_matches (
    item_id INTEGER PRIMARY KEY REFERENCES items(id),
    code    TEXT NOT NULL,
    detail  TEXT NOT NULL,  -- JSON: the entry matched, figures, recipient, carriers, diff
    run_id  INTEGER NOT NULL REFERENCES runs(id)
);

-- Gmail labels (Google Takeout's X-Gmail-Labels), the union over every
-- copy of the message: one message exported under two labels is one
-- message with both. The exporter's, never signed.
CREATE TABLE IF NOT EXISTS message_labels (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    label      TEXT NOT NULL,
    PRIMARY KEY (message_id, label)
) WITHOUT ROWID;

-- Mail stores with an index of their own (PST, OST): what each store's
-- folder tables list against what was read from it, so that every message
-- is accounted for. A message listed but not read is also a finding, under
-- its folder and node id. The latest reading of a store replaces earlier ones.
CREATE TABLE IF NOT EXISTS mail_stores (
    location TEXT PRIMARY KEY,  -- the store file, as origins.location
    origin   TEXT NOT NULL,     -- the same place as JSON
    format   TEXT NOT NULL,     -- pst, ost
    claimed  INTEGER,           -- messages its folder tables list; NULL when they could not be read
    read     INTEGER NOT NULL,  -- messages read (embedded messages not counted)
    failed   INTEGER NOT NULL,  -- messages listed but not read
    folders  INTEGER NOT NULL,  -- folders walked
    run_id   INTEGER NOT NULL REFERENCES runs(id)
);

-- What the document analyzer (tamis-docs) read in each document item:
-- attachments and loose files. One row per item, whoever holds it.
CREATE TABLE IF NOT EXISTS documents (
    item_id          INTEGER PRIMARY KEY REFERENCES items(id),
    kind             TEXT NOT NULL,  -- pdf, ooxml, odf, ole2, jpeg, tiff, png, text, html
    author           TEXT,           -- as the document's metadata says (hostile text)
    last_modified_by TEXT,
    created          INTEGER,        -- Unix seconds, as the metadata claims
    modified         INTEGER,
    application      TEXT,
    report           TEXT NOT NULL,  -- the whole DocumentReport as JSON, text left out
    text             TEXT            -- extracted text for search, bounded; NULL without any
);

-- One row per finding on one document (codes in crates/docs), for SQL users.
CREATE TABLE IF NOT EXISTS document_findings (
    item_id  INTEGER NOT NULL REFERENCES items(id),
    position INTEGER NOT NULL,
    code     TEXT NOT NULL,  -- dates-inconsistent, pdf-revisions, anachronism…
    detail   TEXT NOT NULL,
    evidence TEXT NOT NULL,  -- JSON object: the values that show it
    PRIMARY KEY (item_id, position)
) WITHOUT ROWID;

-- Earlier states of a document (a PDF before each incremental update),
-- each an item of its own: what the document said before it was edited.
CREATE TABLE IF NOT EXISTS document_revisions (
    item_id          INTEGER NOT NULL REFERENCES items(id), -- the final document
    number           INTEGER NOT NULL,                      -- 1 = the original
    revision_item_id INTEGER NOT NULL REFERENCES items(id), -- its bytes then
    PRIMARY KEY (item_id, number)
) WITHOUT ROWID;

-- Findings only many documents show (edit bursts, an editor's script,
-- shared lineage), rebuilt over the whole case at the end of every run.
CREATE TABLE IF NOT EXISTS collection_findings (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL,
    detail   TEXT NOT NULL,
    evidence TEXT NOT NULL,  -- JSON object
    items    TEXT NOT NULL   -- JSON array of the item ids concerned
);
