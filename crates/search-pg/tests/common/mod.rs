//! What these tests do in their own schema of the test PostgreSQL
//! (`tamis-pg-test`: a schema per test, skipped or failed without a server).
#![allow(dead_code)]

use std::ops::Deref;

use tamis_pg_test::PgSchema;
use tamis_search_pg::PgSearch;

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
        PgSchema::new("search", test).map(TestDb)
    }

    /// A search over this test's schema, tables created.
    pub fn search(&self) -> PgSearch {
        let search = PgSearch::new(self.connect(), &self.schema);
        search.migrate().unwrap();
        search
    }
}
