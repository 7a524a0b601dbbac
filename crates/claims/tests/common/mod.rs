//! What these tests do in their own schema of the test PostgreSQL
//! (`tamis-pg-test`: a schema per test, skipped or failed without a server).
#![allow(dead_code)]

use std::ops::Deref;
use std::time::Duration;

use postgres::Client;
use tamis_claims::{Claims, NewUnit};
use tamis_pg_test::PgSchema;

pub const LONG_LEASE: Duration = Duration::from_secs(600);

/// The test's schema ([`PgSchema`]), with what these tests do in it.
pub struct TestDb(PgSchema);

impl Deref for TestDb {
    type Target = PgSchema;
    fn deref(&self) -> &PgSchema {
        &self.0
    }
}

impl TestDb {
    /// `None` (saying why) when no test PostgreSQL is set up outside CI.
    pub fn new(test: &str) -> Option<TestDb> {
        PgSchema::new("claims", test).map(TestDb)
    }

    /// A worker's claims on `run`, tables created.
    pub fn claims(&self, run: &str) -> Claims {
        let mut claims = Claims::new(self.connect(), &self.schema, run);
        claims.migrate().unwrap();
        claims
    }

    /// A table where workers write a row per unit they finish, in the same
    /// transaction as the completion: what "done exactly once" is read from.
    pub fn create_results(&self) {
        self.connect()
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {0};
                 CREATE TABLE {0}.results (unit integer NOT NULL, worker text NOT NULL)",
                self.schema
            ))
            .unwrap();
    }

    /// Units finished per result row: (unit, how many rows), in unit order.
    pub fn result_counts(&self) -> Vec<(i32, i64)> {
        self.connect()
            .query(
                &format!(
                    "SELECT unit, count(*) FROM {}.results GROUP BY unit ORDER BY unit",
                    self.schema
                ),
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    }

    /// (id, state, worker, attempts) of every unit of `run`, in dump order.
    pub fn units(&self, run: &str) -> Vec<(i32, String, Option<String>, i32)> {
        self.connect()
            .query(
                &format!("SELECT id, state, worker, attempts FROM {}.work_units WHERE run = $1 ORDER BY id", self.schema),
                &[&run],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect()
    }
}

/// `count` units named like a dump's top-level files.
pub fn dump(count: usize) -> Vec<NewUnit> {
    (0..count)
        .map(|i| NewUnit {
            path: format!("dump/mailbox-{i:04}.mbox"),
            size: 1000 + i as u64,
        })
        .collect()
}

/// Writes the unit's result and completes it in one transaction, as an
/// ingest worker does.
pub fn finish_unit(
    claims: &Claims,
    results: &mut Client,
    schema: &str,
    unit: &tamis_claims::Unit,
    worker: &str,
) -> Result<(), tamis_claims::Error> {
    let mut tx = results.transaction().unwrap();
    claims.complete(&mut tx, unit, worker)?;
    tx.execute(
        &format!("INSERT INTO {schema}.results (unit, worker) VALUES ($1, $2)"),
        &[&unit.id, &worker],
    )
    .unwrap();
    tx.commit().unwrap();
    Ok(())
}
