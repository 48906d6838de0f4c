//! Turns Cloudflare's Magic Transit API reference into the `magic-api` crate.
//!
//! The pipeline is visible in the modules: [`spec`] reads the documents, [`ir`] resolves and
//! checks them into one intermediate representation, [`emit`] writes the Rust code, and
//! [`report`] tells what changed in the public API between two generations.

pub mod emit;
pub mod ir;
pub mod report;
pub mod spec;

use std::path::Path;

pub use ir::{Ir, Stats};
pub use spec::{Document, SpecError, SpecErrors};

/// The refinements file's name inside the spec directory.
pub const REFINEMENTS: &str = "refinements.toml";

/// Parses documents into the IR, without refinements (numbers stay `number`).
pub fn parse(docs: &[Document]) -> Result<(Ir, Stats), SpecErrors> {
    ir::build(docs, None)
}

/// Parses documents into the IR and applies the refinements file.
pub fn parse_refined(docs: &[Document], refinements: &Document) -> Result<(Ir, Stats), SpecErrors> {
    ir::build(docs, Some(refinements))
}

/// Reads every document in a spec directory, and its refinements file if there is one.
pub fn read_spec_dir(dir: &Path) -> Result<(Vec<Document>, Option<Document>), SpecErrors> {
    let io_error = |path: &Path, e: std::io::Error| {
        SpecErrors(vec![SpecError {
            document: path.display().to_string(),
            section: String::new(),
            offset: 0,
            excerpt: String::new(),
            message: format!("cannot read: {e}"),
        }])
    };
    let docs = spec::read_dir(dir).map_err(|e| SpecErrors(vec![e]))?;
    let path = dir.join(REFINEMENTS);
    let refinements = if path.exists() {
        Some(Document {
            name: REFINEMENTS.to_string(),
            text: std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?,
        })
    } else {
        None
    };
    Ok((docs, refinements))
}

/// Reads and parses every document in a spec directory, with its refinements.
pub fn parse_dir(dir: &Path) -> Result<(Ir, Stats), SpecErrors> {
    let (docs, refinements) = read_spec_dir(dir)?;
    ir::build(&docs, refinements.as_ref())
}

/// Everything `cargo xtask regenerate` needs: the IR and the refinements it was built with.
pub struct Spec {
    /// The checked IR.
    pub ir: Ir,
    /// Counts from parsing.
    pub stats: Stats,
    /// The refinements (empty when the spec has no refinements file).
    pub refinements: ir::Refinements,
}

/// Reads and parses a spec directory, keeping the refinements for the emitter.
pub fn load(dir: &Path) -> Result<Spec, SpecErrors> {
    let (docs, refinements_doc) = read_spec_dir(dir)?;
    let (ir, stats) = ir::build(&docs, refinements_doc.as_ref())?;
    let refinements = match &refinements_doc {
        Some(doc) => ir::Refinements::parse(&doc.text).map_err(|message| {
            SpecErrors(vec![SpecError {
                document: doc.name.clone(),
                section: String::new(),
                offset: 0,
                excerpt: String::new(),
                message,
            }])
        })?,
        None => ir::Refinements::default(),
    };
    Ok(Spec {
        ir,
        stats,
        refinements,
    })
}

/// The whole pipeline in memory: spec directory to generated files.
pub fn generate(spec_dir: &Path) -> Result<emit::Output, String> {
    let spec = load(spec_dir).map_err(|e| e.to_string())?;
    emit::generate(&spec.ir, &spec.refinements)
}
