//! Claiming, renewing and finishing one unit.
//!
//! A holder is a worker name and an attempt number: the attempt count,
//! raised by every claim, fences off a worker that comes back after losing
//! the unit, even one restarted under the same name.

use std::time::Duration;

use postgres::Transaction;

use crate::{lease_seconds, Claims, Error, State, Unit};

impl Claims {
    /// Hands `worker` the first unit in dump order that is pending or whose
    /// holder's lease has passed, held for `lease` from now on the database's
    /// clock; `None` when there is none at this instant (see
    /// [`Claims::all_done`]). `FOR UPDATE SKIP LOCKED`: a unit another claim
    /// is taking at this instant is skipped, never waited for.
    pub fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<Unit>, Error> {
        self.give_up_exhausted()?;
        let units = self.table("work_units");
        let row = self.client.query_opt(
            &format!(
                "UPDATE {units}
                 SET state = 'claimed', worker = $2, attempts = attempts + 1,
                     lease_until = now() + make_interval(secs => $3)
                 WHERE run = $1 AND id = (
                     SELECT id FROM {units}
                     WHERE run = $1 AND attempts < $4
                       AND (state = 'pending' OR (state = 'claimed' AND lease_until < now()))
                     ORDER BY id LIMIT 1
                     FOR UPDATE SKIP LOCKED)
                 RETURNING id, path, size, attempts"
            ),
            &[
                &self.run,
                &worker,
                &lease_seconds(lease),
                &self.max_attempts,
            ],
        )?;
        Ok(row.map(|row| Unit {
            id: row.get(0),
            path: row.get(1),
            size: row.get::<_, i64>(2) as u64,
            attempts: row.get(3),
        }))
    }

    /// Units handed out as often as allowed and not finished (their last
    /// holder failed them, or died and its lease passed) are failed for good
    /// rather than handed out again.
    fn give_up_exhausted(&mut self) -> Result<(), Error> {
        let units = self.table("work_units");
        self.client.execute(
            &format!(
                "UPDATE {units} SET state = 'failed', lease_until = NULL,
                     error = format('given up after %s attempts; the last %s', attempts,
                         CASE WHEN state = 'claimed'
                              THEN 'one''s lease passed (worker ' || worker || ' stopped)'
                              ELSE 'failed: ' || coalesce(error, '?') END)
                 WHERE (run, id) IN (
                     SELECT run, id FROM {units}
                     WHERE run = $1 AND attempts >= $2
                       AND (state = 'pending' OR (state = 'claimed' AND lease_until < now()))
                     FOR UPDATE SKIP LOCKED)"
            ),
            &[&self.run, &self.max_attempts],
        )?;
        Ok(())
    }

    /// Extends the lease on `unit` to `lease` from now, if `worker` still
    /// holds it; [`Error::Lost`] if another worker took it after the lease
    /// passed (or it was finished). A lease that passed but that nobody took
    /// is simply renewed.
    pub fn renew(&mut self, unit: &Unit, worker: &str, lease: Duration) -> Result<(), Error> {
        let updated = self.client.execute(
            &format!(
                "UPDATE {} SET lease_until = now() + make_interval(secs => $5)
                 WHERE run = $1 AND id = $2 AND worker = $3 AND attempts = $4
                   AND state = 'claimed'",
                self.table("work_units")
            ),
            &[
                &self.run,
                &unit.id,
                &worker,
                &unit.attempts,
                &lease_seconds(lease),
            ],
        )?;
        self.held(updated, unit, worker)
    }

    /// Marks `unit` done inside `tx`, the transaction that writes the unit's
    /// results, so both commit or neither does. Call it first in that
    /// transaction: it locks the unit's row, so no one takes the unit over
    /// while the results are written, and a unit already lost is known
    /// before any work is spent writing. [`Error::Lost`]: roll back. Stop
    /// renewing first: a renew would wait on the row this locks until `tx`
    /// ends, then find the unit done.
    pub fn complete(
        &self,
        tx: &mut Transaction<'_>,
        unit: &Unit,
        worker: &str,
    ) -> Result<(), Error> {
        let updated = tx.execute(
            &format!(
                "UPDATE {} SET state = 'done', lease_until = NULL
                 WHERE run = $1 AND id = $2 AND worker = $3 AND attempts = $4
                   AND state = 'claimed'",
                self.table("work_units")
            ),
            &[&self.run, &unit.id, &worker, &unit.attempts],
        )?;
        self.held(updated, unit, worker)
    }

    /// Gives `unit` up after an error: back to pending for another try, or
    /// failed for good, with `error`, once it has been handed out as often
    /// as allowed. Returns which.
    pub fn fail(&mut self, unit: &Unit, worker: &str, error: &str) -> Result<State, Error> {
        let row = self.client.query_opt(
            &format!(
                "UPDATE {} SET state = CASE WHEN attempts >= $6 THEN 'failed' ELSE 'pending' END,
                     lease_until = NULL, error = $5
                 WHERE run = $1 AND id = $2 AND worker = $3 AND attempts = $4
                   AND state = 'claimed'
                 RETURNING state",
                self.table("work_units")
            ),
            &[
                &self.run,
                &unit.id,
                &worker,
                &unit.attempts,
                &error,
                &self.max_attempts,
            ],
        )?;
        match row {
            Some(row) => Ok(State::from_db(row.get(0))),
            None => self.held(0, unit, worker).map(|()| State::Failed),
        }
    }

    fn held(&self, updated: u64, unit: &Unit, worker: &str) -> Result<(), Error> {
        if updated == 1 {
            Ok(())
        } else {
            Err(Error::Lost {
                run: self.run.clone(),
                unit: unit.id,
                worker: worker.to_owned(),
            })
        }
    }
}
