//! Turns Cloudflare's Magic Transit API reference into the `magic-api` crate.
//!
//! The pipeline is visible in the modules: [`spec`] reads the documents, [`ir`] resolves and
//! checks them into one intermediate representation.

pub mod ir;
pub mod spec;

use std::path::Path;

pub use ir::{Ir, Stats};
pub use spec::{Document, SpecError, SpecErrors};

/// Parses documents into the IR.
pub fn parse(docs: &[Document]) -> Result<(Ir, Stats), SpecErrors> {
    ir::build(docs)
}

/// Reads and parses every document in a spec directory.
pub fn parse_dir(dir: &Path) -> Result<(Ir, Stats), SpecErrors> {
    let docs = spec::read_dir(dir).map_err(|e| {
        SpecErrors(vec![SpecError {
            document: dir.display().to_string(),
            section: String::new(),
            offset: 0,
            excerpt: String::new(),
            message: format!("cannot read the spec directory: {e}"),
        }])
    })?;
    parse(&docs)
}
