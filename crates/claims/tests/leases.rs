//! Leases: a worker that keeps renewing keeps its unit; one that stops
//! loses it to another after the lease, and learns so; units that keep
//! failing are given up.

mod common;

use std::thread::sleep;
use std::time::Duration;

use common::{dump, finish_unit, TestDb, LONG_LEASE};
use tamis_claims::{Error, State};

const SHORT_LEASE: Duration = Duration::from_secs(1);

#[test]
fn a_worker_renewing_its_lease_keeps_its_unit_past_the_first_lease() {
    let Some(db) = TestDb::new("renewing") else {
        return;
    };
    let (mut a, mut b) = (db.claims("run"), db.claims("run"));
    a.plan(&dump(1)).unwrap();
    // 2 s leases renewed every 0.3 s: slack for a loaded machine.
    let lease = Duration::from_secs(2);
    let unit = a.claim("worker-a", lease).unwrap().unwrap();
    for _ in 0..10 {
        sleep(Duration::from_millis(300));
        a.renew(&unit, "worker-a", lease).unwrap();
        assert_eq!(b.claim("worker-b", lease).unwrap(), None);
    }
    // 3 s after the claim, past the first lease: still worker-a's.
    assert_eq!(db.units("run")[0].2.as_deref(), Some("worker-a"));
}

#[test]
fn a_worker_that_stops_renewing_loses_its_unit_and_its_late_renew_and_complete_are_refused() {
    let Some(db) = TestDb::new("lost_lease") else {
        return;
    };
    db.create_results();
    let (mut a, mut b) = (db.claims("run"), db.claims("run"));
    a.plan(&dump(1)).unwrap();
    let held_by_a = a.claim("worker-a", SHORT_LEASE).unwrap().unwrap();
    assert_eq!(
        b.claim("worker-b", SHORT_LEASE).unwrap(),
        None,
        "taken over before the lease passed"
    );

    sleep(SHORT_LEASE + Duration::from_millis(300));
    let held_by_b = b
        .claim("worker-b", LONG_LEASE)
        .unwrap()
        .expect("the unit after worker-a's lease");
    assert_eq!((held_by_b.id, held_by_b.attempts), (held_by_a.id, 2));

    assert!(matches!(
        a.renew(&held_by_a, "worker-a", SHORT_LEASE),
        Err(Error::Lost { unit: 0, .. })
    ));
    let mut results = db.connect();
    let late = finish_unit(&a, &mut results, &db.schema, &held_by_a, "worker-a");
    assert!(matches!(late, Err(Error::Lost { .. })), "{late:?}");
    assert!(
        db.result_counts().is_empty(),
        "worker-a's late results were kept"
    );

    finish_unit(&b, &mut results, &db.schema, &held_by_b, "worker-b").unwrap();
    assert_eq!(db.result_counts(), vec![(0, 1)]);
    assert_eq!(
        db.units("run"),
        vec![(0, "done".into(), Some("worker-b".into()), 2)]
    );
}

#[test]
fn a_restarted_worker_under_the_same_name_cannot_renew_its_previous_claim() {
    let Some(db) = TestDb::new("same_name") else {
        return;
    };
    let mut claims = db.claims("run");
    claims.plan(&dump(1)).unwrap();
    let first = claims.claim("worker-a", SHORT_LEASE).unwrap().unwrap();
    sleep(SHORT_LEASE + Duration::from_millis(300));
    let second = claims.claim("worker-a", LONG_LEASE).unwrap().unwrap();
    assert_eq!(second.attempts, 2);
    assert!(matches!(
        claims.renew(&first, "worker-a", LONG_LEASE),
        Err(Error::Lost { .. })
    ));
    claims.renew(&second, "worker-a", LONG_LEASE).unwrap();
}

#[test]
fn a_failed_unit_is_retried_until_its_attempts_run_out_then_failed_for_good() {
    let Some(db) = TestDb::new("fail_retry") else {
        return;
    };
    let mut claims = db.claims("run").with_max_attempts(2);
    claims.plan(&dump(1)).unwrap();
    let first = claims.claim("worker-a", LONG_LEASE).unwrap().unwrap();
    assert_eq!(
        claims.fail(&first, "worker-a", "disk read error").unwrap(),
        State::Pending
    );
    let second = claims
        .claim("worker-b", LONG_LEASE)
        .unwrap()
        .expect("a retry");
    assert_eq!((second.id, second.attempts), (0, 2));
    assert_eq!(
        claims.fail(&second, "worker-b", "disk read error").unwrap(),
        State::Failed
    );
    assert_eq!(claims.claim("worker-c", LONG_LEASE).unwrap(), None);
    let progress = claims.progress().unwrap();
    assert_eq!((progress.failed, progress.total()), (1, 1));
    assert!(
        claims.all_done().unwrap(),
        "a failed unit must not hold the run open"
    );
    // Failing a unit one no longer holds is refused like any late call.
    assert!(matches!(
        claims.fail(&first, "worker-a", "late"),
        Err(Error::Lost { .. })
    ));
}

#[test]
fn a_unit_whose_workers_keep_dying_is_given_up_after_its_attempts() {
    let Some(db) = TestDb::new("keep_dying") else {
        return;
    };
    let mut claims = db.claims("run").with_max_attempts(2);
    claims.plan(&dump(2)).unwrap();
    // Unit 0 kills whoever takes it: two claims, two leases that pass.
    for attempt in 1..=2 {
        let unit = claims
            .claim(&format!("doomed-{attempt}"), SHORT_LEASE)
            .unwrap()
            .unwrap();
        assert_eq!((unit.id, unit.attempts), (0, attempt));
        sleep(SHORT_LEASE + Duration::from_millis(300));
    }
    let next = claims
        .claim("worker-z", LONG_LEASE)
        .unwrap()
        .expect("unit 1");
    assert_eq!(next.id, 1);
    let error: String = db
        .connect()
        .query_one(
            &format!("SELECT error FROM {}.work_units WHERE id = 0", db.schema),
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        error.contains("given up after 2 attempts") && error.contains("doomed-2"),
        "{error}"
    );
    assert_eq!(db.units("run")[0].1, "failed");
}
