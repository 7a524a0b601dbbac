//! A schema of its own in the test PostgreSQL (fixtures/postgres/start.sh),
//! so tests run in parallel, and the skip-or-fail rule when there is none.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use postgres::{Client, NoTls};
use tamis_claims::{Claims, NewUnit};

pub const LONG_LEASE: Duration = Duration::from_secs(600);

pub struct TestDb {
    pub url: String,
    pub schema: String,
}

impl TestDb {
    /// `None` (with a message saying why) when no test PostgreSQL is set up
    /// outside CI; in CI (`CI=true`) a missing database is a failure, so a
    /// broken fixture cannot pass as skipped tests.
    pub fn new(test: &str) -> Option<TestDb> {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let url_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pg/url");
        let url = std::env::var("TAMIS_PG_URL").ok().or_else(|| {
            std::fs::read_to_string(&url_file)
                .ok()
                .map(|s| s.trim().to_owned())
        });
        let Some(url) = url else {
            assert!(
                !in_ci,
                "CI=true but no test PostgreSQL: run fixtures/postgres/start.sh"
            );
            eprintln!("SKIPPED {test}: no PostgreSQL (set TAMIS_PG_URL or run fixtures/postgres/start.sh)");
            return None;
        };
        if let Err(e) = Client::connect(&url, NoTls) {
            assert!(
                !in_ci,
                "CI=true but the test PostgreSQL at {url} does not answer: {e}"
            );
            eprintln!("SKIPPED {test}: PostgreSQL at {url} does not answer ({e}); run fixtures/postgres/start.sh");
            return None;
        }
        // The process id too: two checkouts may share the cluster on one port.
        let schema = format!("claims_{test}_{}", std::process::id());
        let db = TestDb { url, schema };
        db.connect()
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", db.schema))
            .unwrap();
        Some(db)
    }

    pub fn connect(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("connect to the test PostgreSQL")
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

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.url, NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
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
