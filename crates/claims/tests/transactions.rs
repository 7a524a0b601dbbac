//! Completion commits with the unit's results, and the end-of-run job is
//! taken by exactly one worker.

mod common;

use std::sync::{Arc, Barrier};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{dump, finish_unit, TestDb, LONG_LEASE};

const SHORT_LEASE: Duration = Duration::from_secs(1);

#[test]
fn a_rolled_back_completion_leaves_no_results_and_the_unit_claimable_after_its_lease() {
    let Some(db) = TestDb::new("rollback") else {
        return;
    };
    db.create_results();
    let (mut a, mut b) = (db.claims("run"), db.claims("run"));
    a.plan(&dump(1)).unwrap();
    let unit = a.claim("worker-a", SHORT_LEASE).unwrap().unwrap();
    let mut results = db.connect();
    let mut tx = results.transaction().unwrap();
    a.complete(&mut tx, &unit, "worker-a").unwrap();
    tx.execute(
        &format!("INSERT INTO {}.results VALUES ($1, 'worker-a')", db.schema),
        &[&unit.id],
    )
    .unwrap();
    tx.rollback().unwrap();

    assert!(db.result_counts().is_empty());
    assert_eq!(db.units("run")[0].1, "claimed");
    sleep(SHORT_LEASE + Duration::from_millis(300));
    let again = b
        .claim("worker-b", LONG_LEASE)
        .unwrap()
        .expect("the unit back after the lease");
    assert_eq!((again.id, again.attempts), (0, 2));
    finish_unit(&b, &mut results, &db.schema, &again, "worker-b").unwrap();
    assert_eq!(db.result_counts(), vec![(0, 1)]);
}

#[test]
fn a_worker_killed_mid_unit_leaves_nothing_and_another_finishes_the_unit() {
    let Some(db) = TestDb::new("killed") else {
        return;
    };
    db.create_results();
    let mut b = db.claims("run");
    b.plan(&dump(1)).unwrap();
    {
        // The killed worker: claimed, wrote results, completed, never
        // committed; its connections close without a word.
        let mut a = db.claims("run");
        let unit = a.claim("worker-a", SHORT_LEASE).unwrap().unwrap();
        let mut results = db.connect();
        let mut tx = results.transaction().unwrap();
        a.complete(&mut tx, &unit, "worker-a").unwrap();
        tx.execute(
            &format!("INSERT INTO {}.results VALUES ($1, 'worker-a')", db.schema),
            &[&unit.id],
        )
        .unwrap();
        std::mem::forget(tx);
        drop(results);
    }
    // While the dead worker's lease runs, the unit is not handed out.
    assert_eq!(b.claim("worker-b", LONG_LEASE).unwrap(), None);
    sleep(SHORT_LEASE + Duration::from_millis(300));
    let unit = b
        .claim("worker-b", LONG_LEASE)
        .unwrap()
        .expect("the dead worker's unit");
    finish_unit(&b, &mut db.connect(), &db.schema, &unit, "worker-b").unwrap();
    assert_eq!(db.result_counts(), vec![(0, 1)]);
    assert!(b.all_done().unwrap());
}

/// `workers` workers each finish one unit at once, then all ask for the
/// end-of-run job at once, each holding its transaction open a moment
/// before it commits. Returns the winners' names.
fn race_for_the_end_of_run(db: Arc<TestDb>, workers: usize) -> Vec<String> {
    db.claims("run").plan(&dump(workers)).unwrap();
    let (finished, asking) = (
        Arc::new(Barrier::new(workers)),
        Arc::new(Barrier::new(workers)),
    );
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let (db, finished, asking) =
                (Arc::clone(&db), Arc::clone(&finished), Arc::clone(&asking));
            std::thread::spawn(move || {
                let worker = format!("worker-{w}");
                let mut claims = db.claims("run");
                let mut results = db.connect();
                let unit = claims.claim(&worker, LONG_LEASE).unwrap().unwrap();
                finish_unit(&claims, &mut results, &db.schema, &unit, &worker).unwrap();
                finished.wait();
                assert!(claims.all_done().unwrap());
                asking.wait();
                let mut tx = results.transaction().unwrap();
                let won = claims.finish(&mut tx, &worker).unwrap();
                sleep(Duration::from_millis(200));
                tx.commit().unwrap();
                won.then_some(worker)
            })
        })
        .collect();
    handles
        .into_iter()
        .filter_map(|h| h.join().unwrap())
        .collect()
}

#[test]
fn exactly_one_of_several_workers_finishing_together_runs_the_end_of_run_job() {
    let Some(db) = TestDb::new("end_of_run") else {
        return;
    };
    db.create_results();
    let db = Arc::new(db);
    let winners = race_for_the_end_of_run(Arc::clone(&db), 4);
    assert_eq!(winners.len(), 1, "{winners:?}");
    let finished_by: Option<String> = db
        .connect()
        .query_one(
            &format!(
                "SELECT finished_by FROM {}.work_runs WHERE run = 'run'",
                db.schema
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(finished_by.as_ref(), Some(&winners[0]));
    // A worker arriving later (a rerun of the same dump) does not run it again.
    let mut late = db.claims("run");
    let mut client = db.connect();
    let mut tx = client.transaction().unwrap();
    assert!(!late.finish(&mut tx, "worker-late").unwrap());
    assert!(late.all_done().unwrap());
}

#[test]
fn a_worker_asking_while_the_winner_works_waits_and_takes_the_job_if_the_winner_rolls_back() {
    let Some(db) = TestDb::new("end_of_run_rollback") else {
        return;
    };
    db.create_results();
    let mut claims = db.claims("run");
    claims.plan(&dump(1)).unwrap();
    let unit = claims.claim("worker-0", LONG_LEASE).unwrap().unwrap();
    finish_unit(&claims, &mut db.connect(), &db.schema, &unit, "worker-0").unwrap();

    let mut winner_client = db.connect();
    let mut winner = winner_client.transaction().unwrap();
    assert!(claims.finish(&mut winner, "worker-0").unwrap());
    let db = Arc::new(db);
    let waiting = {
        let db = Arc::clone(&db);
        std::thread::spawn(move || {
            let claims = db.claims("run");
            let mut client = db.connect();
            let mut tx = client.transaction().unwrap();
            let asked = Instant::now();
            let won = claims.finish(&mut tx, "worker-1").unwrap();
            tx.commit().unwrap();
            (won, asked.elapsed())
        })
    };
    sleep(Duration::from_millis(500));
    // worker-0 dies in the middle of the end-of-run job.
    winner.rollback().unwrap();
    let (won, waited) = waiting.join().unwrap();
    assert!(won, "nobody ran the end-of-run job");
    assert!(
        waited >= Duration::from_millis(300),
        "worker-1 did not wait for worker-0's outcome: {waited:?}"
    );
}

#[test]
fn the_end_of_run_job_is_not_handed_out_while_units_are_open() {
    let Some(db) = TestDb::new("end_of_run_early") else {
        return;
    };
    let mut claims = db.claims("run");
    claims.plan(&dump(2)).unwrap();
    let unit = claims.claim("worker-a", LONG_LEASE).unwrap().unwrap();
    let mut client = db.connect();
    let mut tx = client.transaction().unwrap();
    claims.complete(&mut tx, &unit, "worker-a").unwrap();
    assert!(
        !claims.finish(&mut tx, "worker-a").unwrap(),
        "unit 1 is still pending"
    );
    tx.commit().unwrap();
    assert!(!claims.all_done().unwrap());
}
