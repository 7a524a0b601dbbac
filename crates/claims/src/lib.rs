//! Work claims: how several `tamis ingest` workers, on one machine or
//! several, share the work of one dump in a shared case (issue 8).
//!
//! The design, and why:
//!
//! - **The database is the only coordinator.** Workers already need the
//!   case's PostgreSQL; a coordinator process of our own would be one more
//!   thing to run, to reach and to lose. Every decision (who takes which
//!   unit, who runs the end-of-run job) is one statement or one transaction
//!   in the database, so it holds whatever the workers do.
//! - **Units are a dump's top-level source files**, numbered in dump order
//!   by [`Claims::plan`]; workers take them in that order, so a shared run
//!   meets things in nearly the order a single worker would.
//! - **Leases, not heartbeats to a coordinator.** A claim holds a unit until
//!   a time *on the database's clock* (workers' clocks may disagree). A
//!   worker that keeps working renews it ([`Claims::renew`]); one that dies
//!   or hangs just stops, and once its lease has passed the next
//!   [`Claims::claim`] hands the unit to someone else. Nothing has to notice
//!   the death; a worker that comes back late learns it lost the unit
//!   ([`Error::Lost`]) and drops what it did.
//! - **`FOR UPDATE SKIP LOCKED`.** A claim locks the first free row it can
//!   and skips rows another claim holds at that instant, so concurrent
//!   workers neither wait for each other nor get the same unit.
//! - **Completion commits with the results.** [`Claims::complete`] runs in
//!   the caller's transaction, the one writing the unit's results: both
//!   commit or neither does. A worker killed mid-unit leaves no half-written
//!   unit and an unfinished claim, which goes back after its lease.
//! - **The end-of-run job once** ([`Claims::finish`]): also in the caller's
//!   transaction, and decided on the run's row lock, so of several workers
//!   finishing together exactly one does it, and if that one dies before
//!   committing, a waiting one takes over.

mod error;
mod plan;
mod units;

use std::time::Duration;

use postgres::Client;

pub use error::Error;

/// How many times a unit is handed out (claims that ended in [`Claims::fail`]
/// or in an expired lease) before it is marked failed for good, unless
/// [`Claims::with_max_attempts`] says otherwise. A unit whose input kills
/// the worker every time must not take the whole fleet down in turn.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 3;

/// A unit to plan: one top-level source file of the dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub path: String,
    pub size: u64,
}

/// A unit a worker holds after [`Claims::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Position in dump order, from 0.
    pub id: i32,
    pub path: String,
    pub size: u64,
    /// Times it was handed out, this claim included.
    pub attempts: i32,
}

/// Where a unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    Claimed,
    Done,
    Failed,
}

impl State {
    fn from_db(text: &str) -> State {
        match text {
            "pending" => State::Pending,
            "claimed" => State::Claimed,
            "done" => State::Done,
            _ => State::Failed,
        }
    }
}

/// Units per state, for the progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub pending: u64,
    pub claimed: u64,
    pub done: u64,
    pub failed: u64,
}

impl Progress {
    pub fn total(&self) -> u64 {
        self.pending + self.claimed + self.done + self.failed
    }
}

/// The claims of one run (one dump ingested into a case) for one worker's
/// connection. `schema` is where the case's tables live; `run` names the
/// dump, the same for every worker ingesting it (the caller derives it, for
/// example from the dump's paths).
pub struct Claims {
    client: Client,
    schema: String,
    run: String,
    max_attempts: i32,
}

impl Claims {
    pub fn new(client: Client, schema: &str, run: &str) -> Claims {
        Claims {
            client,
            schema: quote_ident(schema),
            run: run.to_owned(),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    pub fn with_max_attempts(mut self, max_attempts: i32) -> Claims {
        self.max_attempts = max_attempts.max(1);
        self
    }

    pub fn run(&self) -> &str {
        &self.run
    }

    /// `schema.name`, quoted, for the SQL text.
    fn table(&self, name: &str) -> String {
        format!("{}.{}", self.schema, name)
    }
}

/// Seconds for `make_interval`: the lease is computed by the database, on
/// its clock.
fn lease_seconds(lease: Duration) -> f64 {
    lease.as_secs_f64()
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_identifiers_cannot_escape_their_quotes() {
        assert_eq!(quote_ident("case"), "\"case\"");
        assert_eq!(quote_ident("a\"; DROP"), "\"a\"\"; DROP\"");
    }

    #[test]
    fn progress_total_adds_every_state() {
        let p = Progress {
            pending: 1,
            claimed: 2,
            done: 3,
            failed: 4,
        };
        assert_eq!(p.total(), 10);
    }
}
