//! Integration tests for the magic-api workspace live under `tests/tests/`.

/// The README, so that `cargo test --doc` compiles its Rust examples (doctests run only for
/// library targets, hence here rather than under `tests/tests/`).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
