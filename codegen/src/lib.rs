//! Turns Cloudflare's Magic Transit API reference into the `magic-api` crate.
//!
//! The pipeline is visible in the modules: [`parse`] reads the documents, [`ir`] resolves and
//! checks them into one intermediate representation, [`plan`] decides every name, type and
//! signature of the generated code, [`emit`] prints the plan as Rust code and the API snapshot,
//! and [`report`] tells what changed in the public API between two generations.

pub mod emit;
pub mod ir;
pub mod parse;
pub mod plan;
pub mod report;

use std::path::Path;

pub use ir::{Ir, Stats};
pub use parse::{Document, SpecError, SpecErrors};

/// The refinements file's name inside the spec directory.
pub const REFINEMENTS: &str = "refinements.toml";

/// 1. Reads every document in a spec directory, and its refinements file if there is one.
pub fn read_spec_dir(dir: &Path) -> Result<(Vec<Document>, Option<Document>), SpecErrors> {
    let docs = parse::read_dir(dir).map_err(|e| SpecErrors(vec![e]))?;
    let path = dir.join(REFINEMENTS);
    let refinements = if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            SpecErrors(vec![SpecError {
                document: path.display().to_string(),
                section: String::new(),
                offset: 0,
                excerpt: String::new(),
                message: format!("cannot read: {e}"),
            }])
        })?;
        Some(Document {
            name: REFINEMENTS.to_string(),
            text,
        })
    } else {
        None
    };
    Ok((docs, refinements))
}

/// 2. Parses documents into the checked IR, applying the refinements file if given (read once:
///    what the emitter needs from it is recorded in the IR).
pub fn build_ir(
    docs: &[Document],
    refinements: Option<&Document>,
) -> Result<(Ir, Stats), SpecErrors> {
    ir::build(docs, refinements)
}

/// 3. Generates every file of the `magic-api` crate's generated part from the IR.
pub fn generate(ir: &Ir) -> Result<emit::Output, String> {
    emit::generate(ir)
}
