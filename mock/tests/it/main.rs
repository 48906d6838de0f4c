//! The mock's own tests, one binary (each test binary links the whole HTTP stack; one link is
//! cheaper than several):
//!
//! - stateless, with requests built from the IR: [`routing`] (every operation reached, the most
//!   specific template winning), [`parameters`], [`bodies`], [`security`] (authentication,
//!   hostile identifiers), [`scripted`] answers and [`raw_http`] (what no client sends);
//! - stateful: [`crud`] (one case per collection) and [`store`] (nesting, bulk updates, PCAP
//!   states, seeding, Cloudflare-shaped refusals);
//! - [`process`]: the binary started, used and killed as a user runs it.
//!
//! The client drives the mock as an HTTP client here; the generated client's own behaviour
//! against the mock is tested in `tests/` (`magic-api-tests`).

mod support;

mod bodies;
mod crud;
mod parameters;
mod process;
mod raw_http;
mod routing;
mod scripted;
mod security;
mod store;
