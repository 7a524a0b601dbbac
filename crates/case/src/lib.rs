//! The case store: the one writer of a case directory, and the readers that
//! presentation uses.
//!
//! A case directory holds:
//! - `case.sqlite`, the system of record (tables documented in
//!   `schema.sql` and `SCHEMA.md`), readable with `sqlite3` or Datasette;
//! - `blobs/`, every distinct item's exact bytes (messages as found,
//!   attachments decoded, other files), in files named by their SHA-256;
//! - `index/`, the tantivy full-text index, derived from the database and
//!   caught up with it whenever a writer opens the case;
//! - `writer.lock`, locked by the one writer while it runs.
//!
//! [`CaseWriter`] is fed [`IngestRecord`]s in dump order by `tamis ingest`;
//! killing it at any point and running the same ingest again ends with the
//! same case as an uninterrupted run ([`canonical_dump`] tells). A
//! [`CaseReader`] serves `tamis serve` and `tamis report`, read-only.

mod address;
mod blobs;
mod canonical;
mod check;
mod index;
mod layout;
mod lock;
pub mod model;
mod place;
mod reader;
mod record;
mod rows;
mod schema;
mod spread;
mod time;
mod writer;

pub use canonical::canonical_dump;
pub use model::*;
pub use reader::CaseReader;
pub use record::{IngestRecord, RegistryFinding, RunCounts, RunParams};
pub use schema::SCHEMA_VERSION;
pub use spread::attach_spread_report;
pub use writer::{CaseWriter, WriterTimings};
