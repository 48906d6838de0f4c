//! The generated files and what they promise.

mod docs;
mod exact;
mod examples;
mod fresh;
mod golden;
mod names;
mod snapshot_agrees;
mod types;
