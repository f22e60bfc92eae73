//! Hand-written tests (in `tests/`) of the behaviour of the crates oagen generates from `specs/*.yaml`; this library is empty.
