//! The generated client over real HTTP, against the IR-driven mock.

mod faults;
mod mock_server;
mod ops;
mod security;
mod stateful;
mod tasks;
