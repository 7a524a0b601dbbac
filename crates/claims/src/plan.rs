//! The tables, the plan of a run, and how the run ends.

use postgres::Transaction;

use crate::{Claims, Error, NewUnit, Progress, State};

impl Claims {
    /// Creates the claims tables in the case's schema if they are missing.
    /// Workers starting together may all call it: an advisory lock makes
    /// them take turns (`IF NOT EXISTS` alone races on the catalog).
    pub fn migrate(&mut self) -> Result<(), Error> {
        let (s, runs, units) = (
            &self.schema,
            self.table("work_runs"),
            self.table("work_units"),
        );
        let sql = format!(
            "SELECT pg_advisory_xact_lock(hashtext('tamis-claims migrate'));
             CREATE SCHEMA IF NOT EXISTS {s};
             CREATE TABLE IF NOT EXISTS {runs} (
                 run text PRIMARY KEY,
                 units integer NOT NULL,
                 planned_at timestamptz NOT NULL DEFAULT now(),
                 finished_by text,
                 finished_at timestamptz
             );
             CREATE TABLE IF NOT EXISTS {units} (
                 run text NOT NULL REFERENCES {runs} (run),
                 id integer NOT NULL,
                 path text NOT NULL,
                 size bigint NOT NULL,
                 state text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'claimed', 'done', 'failed')),
                 worker text,
                 lease_until timestamptz,
                 attempts integer NOT NULL DEFAULT 0,
                 error text,
                 PRIMARY KEY (run, id)
             );
             -- A claim looks for the first open unit: without this it would
             -- step over every finished one, each time.
             CREATE INDEX IF NOT EXISTS work_units_open ON {units} (run, id)
                 WHERE state IN ('pending', 'claimed');"
        );
        let mut tx = self.client.transaction()?;
        tx.batch_execute(&sql)?;
        tx.commit()?;
        Ok(())
    }

    /// Registers the run's units, in dump order, once: every worker plans
    /// the dump it was given, and the first one's plan is the run's. The
    /// others, even started at the same instant, wait on an advisory lock,
    /// then find the plan made and check theirs is the same. Returns how many
    /// units this call registered (0 when the run was already planned).
    pub fn plan(&mut self, units: &[NewUnit]) -> Result<usize, Error> {
        if i32::try_from(units.len()).is_err() {
            return Err(Error::TooManyUnits(units.len()));
        }
        let (runs, table) = (self.table("work_runs"), self.table("work_units"));
        let lock_key = format!("tamis-claims plan {} {}", self.schema, self.run);
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&lock_key])?;
        let planned = tx.query_opt(
            &format!("SELECT units FROM {runs} WHERE run = $1"),
            &[&self.run],
        )?;
        if planned.is_some() {
            let rows = tx.query(
                &format!("SELECT path, size FROM {table} WHERE run = $1 ORDER BY id"),
                &[&self.run],
            )?;
            tx.commit()?;
            return same_plan(&self.run, &rows, units).map(|()| 0);
        }
        let count = units.len() as i32;
        tx.execute(
            &format!("INSERT INTO {runs} (run, units) VALUES ($1, $2)"),
            &[&self.run, &count],
        )?;
        let ids: Vec<i32> = (0..count).collect();
        let paths: Vec<&str> = units.iter().map(|u| u.path.as_str()).collect();
        let sizes: Vec<i64> = units.iter().map(|u| size_to_db(u.size)).collect();
        tx.execute(
            &format!(
                "INSERT INTO {table} (run, id, path, size)
                 SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::bigint[])"
            ),
            &[&self.run, &ids, &paths, &sizes],
        )?;
        tx.commit()?;
        Ok(units.len())
    }

    /// Units per state, for the progress bar.
    pub fn progress(&mut self) -> Result<Progress, Error> {
        let rows = self.client.query(
            &format!(
                "SELECT state, count(*) FROM {} WHERE run = $1 GROUP BY state",
                self.table("work_units")
            ),
            &[&self.run],
        )?;
        let mut progress = Progress::default();
        for row in rows {
            let count = row.get::<_, i64>(1) as u64;
            match State::from_db(row.get(0)) {
                State::Pending => progress.pending = count,
                State::Claimed => progress.claimed = count,
                State::Done => progress.done = count,
                State::Failed => progress.failed = count,
            }
        }
        Ok(progress)
    }

    /// Whether the run is planned and every unit is done or failed. A
    /// worker that finds nothing to claim while this is false waits: a
    /// claimed unit may yet come back after its lease.
    pub fn all_done(&mut self) -> Result<bool, Error> {
        let row = self.client.query_one(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM {} WHERE run = $1)
                    AND NOT EXISTS (SELECT 1 FROM {} WHERE run = $1
                                    AND state IN ('pending', 'claimed'))",
                self.table("work_runs"),
                self.table("work_units")
            ),
            &[&self.run],
        )?;
        Ok(row.get(0))
    }

    /// Whether this worker is the one to run the end-of-run job (threads,
    /// findings across documents, corroborations), decided inside `tx`, the
    /// transaction that writes what the job computes. True for exactly one
    /// caller once every unit is done or failed: the run's row is marked
    /// with the worker and stays locked until `tx` ends, so a concurrent
    /// caller waits for the outcome. If the winner commits, the others get
    /// false; if it dies or rolls back, the job was not done, and one of
    /// them gets true in its place. `tx` must be READ COMMITTED (the
    /// default).
    pub fn finish(&self, tx: &mut Transaction<'_>, worker: &str) -> Result<bool, Error> {
        let updated = tx.execute(
            &format!(
                "UPDATE {} SET finished_by = $2, finished_at = now()
                 WHERE run = $1 AND finished_by IS NULL
                   AND NOT EXISTS (SELECT 1 FROM {} WHERE run = $1
                                   AND state IN ('pending', 'claimed'))",
                self.table("work_runs"),
                self.table("work_units")
            ),
            &[&self.run, &worker],
        )?;
        Ok(updated == 1)
    }
}

fn same_plan(run: &str, planned: &[postgres::Row], given: &[NewUnit]) -> Result<(), Error> {
    if planned.len() != given.len() {
        return Err(Error::PlanLength {
            run: run.to_owned(),
            planned: planned.len(),
            given: given.len(),
        });
    }
    for (unit, (row, new)) in planned.iter().zip(given).enumerate() {
        let (path, size): (&str, i64) = (row.get(0), row.get(1));
        if path != new.path || size != size_to_db(new.size) {
            return Err(Error::PlanMismatch {
                run: run.to_owned(),
                unit,
                planned: format!("{path} ({size} bytes)"),
                given: format!("{} ({} bytes)", new.path, new.size),
            });
        }
    }
    Ok(())
}

/// PostgreSQL has no unsigned integers; no file is 2^63 bytes.
fn size_to_db(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}
