//! Planning a run: once, in dump order, whoever plans first.

mod common;

use std::sync::{Arc, Barrier};

use common::{dump, TestDb};
use tamis_claims::{Error, NewUnit};

#[test]
fn workers_planning_the_same_dump_at_once_register_one_set_of_units_in_order() {
    let Some(db) = TestDb::new("plan_together") else {
        return;
    };
    let db = Arc::new(db);
    let start = Arc::new(Barrier::new(4));
    let planners: Vec<_> = (0..4)
        .map(|_| {
            let (db, start) = (Arc::clone(&db), Arc::clone(&start));
            std::thread::spawn(move || {
                // Each worker creates the tables too, as a starting worker does.
                let mut claims = db.claims("run");
                start.wait();
                claims.plan(&dump(200)).unwrap()
            })
        })
        .collect();
    let mut registered: Vec<usize> = planners.into_iter().map(|p| p.join().unwrap()).collect();
    registered.sort();
    assert_eq!(
        registered,
        vec![0, 0, 0, 200],
        "exactly one planner registers the units"
    );

    let stored: Vec<(String, i64)> = db
        .connect()
        .query(
            &format!(
                "SELECT path, size FROM {}.work_units WHERE run = 'run' ORDER BY id",
                db.schema
            ),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let expected: Vec<(String, i64)> = dump(200)
        .into_iter()
        .map(|u| (u.path, u.size as i64))
        .collect();
    assert_eq!(stored, expected);
    assert_eq!(db.claims("run").progress().unwrap().pending, 200);
}

#[test]
fn planning_a_run_again_with_another_dump_is_refused() {
    let Some(db) = TestDb::new("plan_mismatch") else {
        return;
    };
    let mut claims = db.claims("run");
    assert_eq!(claims.plan(&dump(3)).unwrap(), 3);
    assert_eq!(claims.plan(&dump(3)).unwrap(), 0);
    assert!(matches!(
        claims.plan(&dump(4)),
        Err(Error::PlanLength {
            planned: 3,
            given: 4,
            ..
        })
    ));
    let mut reordered = dump(3);
    reordered.swap(0, 1);
    assert!(matches!(
        claims.plan(&reordered),
        Err(Error::PlanMismatch { unit: 0, .. })
    ));
    let mut resized = dump(3);
    resized[2] = NewUnit {
        path: resized[2].path.clone(),
        size: 1,
    };
    assert!(matches!(
        claims.plan(&resized),
        Err(Error::PlanMismatch { unit: 2, .. })
    ));
}

#[test]
fn runs_in_one_case_keep_their_units_apart() {
    let Some(db) = TestDb::new("two_runs") else {
        return;
    };
    let (mut first, mut second) = (db.claims("first"), db.claims("second"));
    first.plan(&dump(2)).unwrap();
    second.plan(&dump(5)).unwrap();
    let unit = first
        .claim("worker-a", common::LONG_LEASE)
        .unwrap()
        .unwrap();
    assert_eq!(unit.id, 0);
    assert_eq!(first.progress().unwrap().total(), 2);
    assert_eq!(second.progress().unwrap().pending, 5);
    assert_eq!(second.progress().unwrap().claimed, 0);
}

#[test]
fn an_unplanned_run_is_not_done() {
    let Some(db) = TestDb::new("unplanned") else {
        return;
    };
    let mut claims = db.claims("never-planned");
    assert!(
        !claims.all_done().unwrap(),
        "a worker must not run the end-of-run job before any plan"
    );
    assert_eq!(claims.claim("worker-a", common::LONG_LEASE).unwrap(), None);
}
