//! A schema of its own in the test PostgreSQL (fixtures/postgres/start.sh),
//! so tests run in parallel, and the skip-or-fail rule of the claims tests:
//! skipped when there is no server outside CI, failed under `CI=true`.
#![allow(dead_code)]

use std::path::Path;

use postgres::{Client, NoTls};
use tamis_search_pg::PgSearch;

pub struct TestDb {
    pub url: String,
    pub schema: String,
}

impl TestDb {
    /// `None` (saying why) when no test PostgreSQL is set up outside CI.
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
            eprintln!("SKIPPED {test}: PostgreSQL at {url} does not answer ({e})");
            return None;
        }
        // The process id too: two checkouts may share the cluster on one port.
        let schema = format!("search_{test}_{}", std::process::id());
        let db = TestDb { url, schema };
        db.connect()
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", db.schema))
            .unwrap();
        Some(db)
    }

    pub fn connect(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("connect to the test PostgreSQL")
    }

    /// A search over this test's schema, tables created.
    pub fn search(&self) -> PgSearch {
        let search = PgSearch::new(self.connect(), &self.schema);
        search.migrate().unwrap();
        search
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.url, NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}
