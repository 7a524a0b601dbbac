//! Key sources: where the public keys that DKIM and ARC signatures point at
//! come from, and the provenance a reader needs to trust them.
//!
//! Keys are historical facts (DESIGN.md): the same selector may have had
//! several keys over the years, and every one known is returned, each with
//! the file and line (or DNS lookup time) it came from.
//!
//! - [`KeyFile`]: zone-style TXT records as `dig` prints them, or the bare
//!   `NAME RECORD` lines of Mail::DKIM's FAKE_DNS.dat.
//! - `DnsLookup` (feature `dns`): live DNS, only when the user opts in.
//! - [`KeySources`]: several sources consulted together.

mod caveat;
mod chain;
#[cfg(feature = "dns")]
mod dns;
mod lookup;
mod zone;

pub use caveat::{CaveatScope, KeyCaveat};
pub use chain::KeySources;
#[cfg(feature = "dns")]
pub use dns::{DnsAnswer, DnsLookup};
pub use lookup::{KeyLookup, TxtLookup, TxtRecord};
pub use zone::{KeyFile, KeyFileError};
