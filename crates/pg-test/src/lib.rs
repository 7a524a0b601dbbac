//! A schema of its own in the test PostgreSQL (`fixtures/postgres/start.sh`)
//! for each test, so tests run in parallel, and one rule for when there is
//! no server: the test is skipped, saying why, outside CI, and fails under
//! `CI=true`, so a broken fixture cannot pass as skipped tests.

use std::path::Path;

use postgres::{Client, NoTls};

/// A test's schema, dropped with it.
pub struct PgSchema {
    pub url: String,
    pub schema: String,
}

impl PgSchema {
    /// The schema `<prefix>_<test>_<pid>`, empty; `None` (saying why) when
    /// no test PostgreSQL is set up outside CI. The URL is `TAMIS_PG_URL`,
    /// else what start.sh wrote to `target/pg/url`.
    pub fn new(prefix: &str, test: &str) -> Option<PgSchema> {
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
        let schema = format!("{prefix}_{test}_{}", std::process::id());
        let db = PgSchema { url, schema };
        db.connect()
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", db.schema))
            .unwrap();
        Some(db)
    }

    pub fn connect(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("connect to the test PostgreSQL")
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.url, NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}
