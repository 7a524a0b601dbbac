//! Concurrent workers share a run's units: each done exactly once, in dump
//! order, none waiting on another.

mod common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{dump, finish_unit, TestDb, LONG_LEASE};

#[test]
fn four_workers_claiming_two_hundred_units_concurrently_finish_each_exactly_once() {
    let Some(db) = TestDb::new("four_workers") else {
        return;
    };
    db.create_results();
    db.claims("run").plan(&dump(200)).unwrap();
    let db = Arc::new(db);
    let start = Arc::new(Barrier::new(4));
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (db, start) = (Arc::clone(&db), Arc::clone(&start));
            std::thread::spawn(move || {
                let worker = format!("worker-{w}");
                let mut claims = db.claims("run");
                let mut results = db.connect();
                let mut claimed = Vec::new();
                start.wait();
                while let Some(unit) = claims.claim(&worker, LONG_LEASE).unwrap() {
                    finish_unit(&claims, &mut results, &db.schema, &unit, &worker).unwrap();
                    claimed.push(unit.id);
                }
                claimed
            })
        })
        .collect();
    let per_worker: Vec<Vec<i32>> = workers.into_iter().map(|w| w.join().unwrap()).collect();

    assert_eq!(
        db.result_counts(),
        (0..200).map(|u| (u, 1)).collect::<Vec<_>>()
    );
    let units = db.units("run");
    assert!(
        units
            .iter()
            .all(|(_, state, _, attempts)| state == "done" && *attempts == 1),
        "{units:?}"
    );
    // Each worker takes units in dump order.
    for ids in &per_worker {
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    }
    assert_eq!(per_worker.iter().map(Vec::len).sum::<usize>(), 200);
    let busy = per_worker.iter().filter(|ids| !ids.is_empty()).count();
    assert!(
        busy >= 2,
        "the workers did not run concurrently: {per_worker:?}"
    );
    let mut claims = db.claims("run");
    assert!(claims.all_done().unwrap());
    assert_eq!(claims.progress().unwrap().done, 200);
}

#[test]
fn a_claim_skips_a_unit_another_claim_is_locking_instead_of_waiting() {
    let Some(db) = TestDb::new("skip_locked") else {
        return;
    };
    db.claims("run").plan(&dump(3)).unwrap();
    // Another worker's claim in flight: unit 0's row locked, not committed.
    let mut other = db.connect();
    let mut in_flight = other.transaction().unwrap();
    in_flight
        .execute(
            &format!(
                "SELECT id FROM {}.work_units WHERE id = 0 FOR UPDATE",
                db.schema
            ),
            &[],
        )
        .unwrap();

    let mut client = db.connect();
    // A claim that waited for the lock would fail here rather than hang.
    client
        .batch_execute("SET statement_timeout = '5s'")
        .unwrap();
    let mut claims = tamis_claims::Claims::new(client, &db.schema, "run");
    let started = Instant::now();
    let unit = claims
        .claim("worker-b", LONG_LEASE)
        .unwrap()
        .expect("a free unit");
    assert_eq!(unit.id, 1);
    assert!(started.elapsed() < Duration::from_secs(2));
    in_flight.rollback().unwrap();
    assert_eq!(
        claims.claim("worker-b", LONG_LEASE).unwrap().map(|u| u.id),
        Some(0)
    );
}

#[test]
fn claims_follow_dump_order_and_stop_when_none_is_free() {
    let Some(db) = TestDb::new("dump_order") else {
        return;
    };
    let mut claims = db.claims("run");
    let planned = dump(3);
    claims.plan(&planned).unwrap();
    for (id, new) in planned.iter().enumerate() {
        let unit = claims.claim("worker-a", LONG_LEASE).unwrap().unwrap();
        assert_eq!(
            (unit.id as usize, &unit.path, unit.size, unit.attempts),
            (id, &new.path, new.size, 1)
        );
    }
    assert_eq!(claims.claim("worker-a", LONG_LEASE).unwrap(), None);
    // All claimed, none finished: nothing to claim, and not done either.
    assert!(!claims.all_done().unwrap());
}
