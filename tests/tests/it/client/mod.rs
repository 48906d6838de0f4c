//! The generated client over real HTTP, against the IR-driven mock. The mock's own behaviour
//! (routing, refusals, the store) is tested with it, in `mock/tests/`.

mod faults;
mod ops;
mod security;
mod stateful;
mod tasks;
