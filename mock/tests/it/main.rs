//! The mock's own tests, one binary (each test binary links the whole HTTP stack; one link is
//! cheaper than several):
//!
//! - stateless, with requests built from the IR: [`routing`] (every operation reached, the most
//!   specific template winning), [`parameters`], [`bodies`], [`security`] (authentication,
//!   hostile identifiers), [`scripted`] answers and [`raw_http`] (what no client sends);
//! - stateful: [`crud`] (one case per collection), [`store`] (nesting, bulk updates, PCAP
//!   states, seeding, Cloudflare-shaped refusals) and [`state`] (actions, filtered telemetry,
//!   objects seeded directly);
//! - [`limits`]: the bounded log, oversize and slow bodies, refusal messages, faults as text,
//!   the control endpoint;
//! - [`process`]: the binary started, used and killed as a user runs it: idle and trickling
//!   connections, memory under large requests, tolerated bodies, `--fail`.
//!
//! The client drives the mock as an HTTP client here; the generated client's own behaviour
//! against the mock is tested in `tests/` (`magic-api-tests`).

mod support;

mod bodies;
mod crud;
mod limits;
mod parameters;
mod process;
mod raw_http;
mod routing;
mod scripted;
mod security;
mod state;
mod store;
