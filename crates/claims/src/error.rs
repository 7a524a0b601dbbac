/// What a claim operation can refuse.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("work claims: {0}")]
    Db(#[from] postgres::Error),
    /// The worker no longer holds the unit: its lease passed and another
    /// worker took it, or it was already finished. Whatever the worker did
    /// for it must be dropped (roll back the transaction).
    #[error("unit {unit} of run {run} is no longer held by worker {worker}")]
    Lost {
        run: String,
        unit: i32,
        worker: String,
    },
    /// The run was planned before with other units: two workers were given
    /// different dumps under one run name.
    #[error("run {run} was planned with other units: unit {unit} is {planned:?}, not {given:?}")]
    PlanMismatch {
        run: String,
        unit: usize,
        planned: String,
        given: String,
    },
    #[error("run {run} was planned with {planned} units, not {given}")]
    PlanLength {
        run: String,
        planned: usize,
        given: usize,
    },
    #[error("a dump of {0} top-level files is more than work claims can number")]
    TooManyUnits(usize),
}
