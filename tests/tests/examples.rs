//! Every documented example decodes into its operation's generated type and re-encodes to an
//! equal JSON value. The case table is generated (`tests/generated/cases.rs`); the checks are in
//! `support/examples.rs`.

#[path = "../support/examples.rs"]
mod examples;

#[rustfmt::skip]
#[path = "../generated/cases.rs"]
mod cases;

#[test]
fn every_documented_example_round_trips() {
    examples::run(cases::cases());
}
