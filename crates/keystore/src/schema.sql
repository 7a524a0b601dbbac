-- tamis key store (tamis-keystore): every DKIM public key known, where each
-- came from, and what `tamis keys check` concluded about it. One portable
-- SQLite file; `PRAGMA user_version` is the schema version (2; version 1
-- stores are upgraded in place when opened: 2 added provenance kind
-- 'recovered' and the table recovered_from).
--
-- Imports are idempotent: every insert is keyed on content (UNIQUE
-- constraints below) and done with INSERT OR IGNORE, so importing a file
-- twice adds nothing, and the same key from two sources is one row in
-- `keys` with two rows in `provenance`.

CREATE TABLE IF NOT EXISTS keys (
    id              INTEGER PRIMARY KEY, -- stable id of the key within this store
    domain          TEXT NOT NULL,       -- signing domain (d=), lower case, no trailing dot
    selector        TEXT NOT NULL,       -- selector (s=), lower case
    record          TEXT NOT NULL,       -- the TXT record text as first imported, character-strings joined
    key_type        TEXT NOT NULL        -- 'rsa' or 'ed25519'; 'revoked' for an empty p=; 'invalid' when the record does not parse
                    CHECK (key_type IN ('rsa', 'ed25519', 'revoked', 'invalid')),
    bits            INTEGER,             -- RSA modulus bits, 256 for Ed25519, NULL without a key
    spki_der        BLOB,                -- the public key as SubjectPublicKeyInfo DER, whatever form p= held (SPKI, bare PKCS#1, raw Ed25519); NULL without a key
    rsa_modulus_hex TEXT,                -- RSA modulus, lower-case hex without leading zeros, for batch GCD; NULL for other types
    identity        TEXT NOT NULL,       -- SHA-256 hex of spki_der, or of the record text when there is no key: what makes two imports the same key
    parse_error     TEXT,                -- why the record is not a usable key ('invalid' rows), else NULL
    UNIQUE (domain, selector, identity)
);

CREATE INDEX IF NOT EXISTS keys_by_identity ON keys (identity);

CREATE TABLE IF NOT EXISTS provenance (
    id           INTEGER PRIMARY KEY,
    key_id       INTEGER NOT NULL REFERENCES keys (id),
    kind         TEXT NOT NULL           -- 'file' (zone file), 'dns' (live lookup), 'archive' (JSON export of a key archive), 'published' (list of keys whose private half is public), 'recovered' (computed by tamis from signatures in a dump; rows of recovered_from say which)
                 CHECK (kind IN ('file', 'dns', 'archive', 'published', 'recovered')),
    source       TEXT NOT NULL,          -- file: the path as given on the command line; dns: the resolver; recovered: the dump paths the signatures came from
    line         INTEGER,                -- 1-based line in `source` (zone files, JSON lines); NULL otherwise
    entry        INTEGER,                -- 0-based index in a JSON array; NULL otherwise
    looked_up_at INTEGER,                -- dns: Unix time of the lookup; recovered: Unix time of the recovery; NULL otherwise
    first_seen   INTEGER,                -- archive: Unix time the archive first saw the record; NULL if not given
    last_seen    INTEGER                 -- archive: Unix time the archive last saw it (a date alone means its last second); NULL if not given
);

-- NULLs are distinct in a UNIQUE constraint, so the uniqueness that makes
-- re-imports add nothing is an index on the columns with NULL folded away.
CREATE UNIQUE INDEX IF NOT EXISTS provenance_once ON provenance (
    key_id, kind, source, ifnull(line, -1), ifnull(entry, -1),
    ifnull(looked_up_at, -1), ifnull(first_seen, -1), ifnull(last_seen, -1)
);

CREATE TABLE IF NOT EXISTS published_keys (
    id           INTEGER PRIMARY KEY,
    identity     TEXT NOT NULL,          -- SHA-256 hex of spki_der, matched against keys.identity
    spki_der     BLOB NOT NULL,          -- the public half of a key whose private half is public
    source       TEXT NOT NULL,          -- where the private half was published: an RFC section for the bundled keys, else the imported file and line
    published_at INTEGER,                -- Unix time the private half became public; NULL when unknown, taken as "always"
    UNIQUE (identity, source)
);

CREATE TABLE IF NOT EXISTS trust_flags (
    key_id       INTEGER NOT NULL REFERENCES keys (id),
    flag         TEXT NOT NULL           -- 'weak', 'private-key-published' or 'shared-factor'; 'outside-seen-window' depends on a message date and is never stored
                 CHECK (flag IN ('weak', 'private-key-published', 'shared-factor')),
    detail       TEXT NOT NULL,          -- the reason in words, as shown to a reader
    since        INTEGER,                -- private-key-published: Unix time of publication, NULL when unknown; NULL for the other flags
    PRIMARY KEY (key_id, flag)
);

-- The signatures a 'recovered' key was computed from, and every signature
-- checked against it afterwards: a recovered key is evidence that these
-- messages were signed by one consistent key, not of who held it.
CREATE TABLE IF NOT EXISTS recovered_from (
    key_id       INTEGER NOT NULL REFERENCES keys (id),
    message      TEXT NOT NULL,          -- SHA-256 hex of the message as found in the dump
    origin       TEXT NOT NULL,          -- where in the dump: path, and offset inside an mbox
    signed_at    INTEGER,                -- the signature's t= (Unix time), NULL without one
    PRIMARY KEY (key_id, message)
);
