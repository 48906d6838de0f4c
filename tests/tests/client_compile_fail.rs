//! Mistakes the generated client turns into compile errors: one small program per mistake in
//! `tests/ui/` (the glob below is relative to this crate), each with the expected compiler
//! output beside it in a `.stderr` file; `tests/ui/macros/` holds one case per error of the
//! `#[wire]` and `#[wire_enum]` attributes.
//!
//! To regenerate the expected output after a deliberate change:
//! `TRYBUILD=overwrite cargo test -p magic-api-tests --test client_compile_fail`, then read
//! every changed `.stderr` to check it still reports the intended error.

/// One trybuild run for both sets (each run builds `magic-api` once in its own target).
#[test]
fn misuse_of_the_generated_client_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    // Every error `#[wire]` and `#[wire_enum]` can give, each pointing at what is wrong.
    cases.compile_fail("ui/macros/*.rs");
}
