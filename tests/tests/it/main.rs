//! The workspace's integration tests, one binary laid out like the pipeline:
//!
//! - [`parse`]: malformed and hostile spec input gives located errors, never a panic;
//! - [`ir`]: the IR of the real spec (counts, examples, unions, refinements, determinism);
//! - [`emit`]: the generated files (fresh, deterministic, golden fixtures, every example and every
//!   response the reference allows round-trip, the API snapshot);
//! - [`client`]: the generated client against the IR-driven loopback mock;
//! - [`runtime`]: the hand-written runtime against a scripted loopback server;
//! - [`readme`]: the README's commands and example;
//! - [`report`]: the API change report's classes, held to what the compiler says.
//!
//! The support code (the scripted server, the client set-up, the example cases) is compiled
//! once, here; the mock is the workspace crate `magic-api-mock`.
//! The compile-fail suite (`client_compile_fail.rs`, trybuild) and the compiled golden fixtures
//! (`golden_compile.rs`) are binaries of their own.

#[path = "../../support/examples.rs"]
mod examples;
// The mock is the workspace crate `magic-api-mock`, as users' tests see it.
use magic_api_mock as mock;
#[path = "../../support/server.rs"]
mod server;
#[path = "../../support/setup.rs"]
mod setup;
#[path = "../../support/wire_gen.rs"]
mod wire_gen;

#[rustfmt::skip]
#[path = "../../generated/calls.rs"]
mod calls;
#[rustfmt::skip]
#[path = "../../generated/cases.rs"]
mod cases;

mod client;
mod emit;
mod ir;
mod parse;
mod readme;
mod report;
mod runtime;
