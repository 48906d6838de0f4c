//! The hand-written runtime, against a scripted loopback server.

mod errors;
mod retry;
mod security;
mod streams;
mod tracing_events;
