//! Building blocks of the self-contained pages tamis writes (the case
//! report, the spread report): every string in them comes from a leak or
//! a collection and is hostile, so escaping lives in one place.

pub mod escape;
pub mod numbers;
pub mod svg;
