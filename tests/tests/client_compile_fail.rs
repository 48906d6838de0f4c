//! Mistakes the generated client turns into compile errors: one small program per mistake in
//! `tests/ui/` (the glob below is relative to this crate), each with the expected compiler
//! output beside it in a `.stderr` file.
//!
//! To regenerate the expected output after a deliberate change:
//! `TRYBUILD=overwrite cargo test -p magic-api-tests --test client_compile_fail`, then read
//! every changed `.stderr` to check it still reports the intended error.

#[test]
fn misuse_of_the_generated_client_does_not_compile() {
    trybuild::TestCases::new().compile_fail("ui/*.rs");
}
