//! The API the mock serves: the workspace's `spec/` documents, compiled into the binary and
//! parsed into the same IR the client is generated from. When Cloudflare changes the reference
//! and `cargo xtask regenerate` runs, the mock changes with it; nothing about Magic Transit is
//! written in this crate.

use std::sync::{Arc, OnceLock};

use codegen::{Document, Ir, SpecErrors};

/// Every document of `spec/`, by the name `codegen::read_spec_dir` gives it. A test checks this
/// list against the directory, so a document added there cannot be missed here.
pub const DOCUMENTS: &[(&str, &str)] = &[
    (
        "magic-transit.md",
        include_str!("../../spec/magic-transit.md"),
    ),
    (
        "pages/cf-interconnects-bulk-update.txt",
        include_str!("../../spec/pages/cf-interconnects-bulk-update.txt"),
    ),
];

/// `spec/refinements.toml`, the reviewed facts the reference leaves out.
pub const REFINEMENTS: &str = include_str!("../../spec/refinements.toml");

/// Parses the compiled-in documents into the IR.
pub fn build() -> Result<Ir, SpecErrors> {
    let docs: Vec<Document> = DOCUMENTS
        .iter()
        .map(|(name, text)| Document {
            name: (*name).to_owned(),
            text: (*text).to_owned(),
        })
        .collect();
    let refinements = Document {
        name: codegen::REFINEMENTS.to_owned(),
        text: REFINEMENTS.to_owned(),
    };
    codegen::build_ir(&docs, Some(&refinements)).map(|(ir, _)| ir)
}

/// The IR of the compiled-in spec, parsed once per process. `'static` so that parameter names
/// can be handed to APIs that take `&'static str`.
///
/// # Panics
///
/// If the compiled-in spec does not parse. `cargo xtask regenerate` refuses such a spec, and
/// this crate's tests parse it, so a build of this crate never carries one.
pub fn spec_ir() -> &'static Arc<Ir> {
    static IR: OnceLock<Arc<Ir>> = OnceLock::new();
    IR.get_or_init(|| match build() {
        Ok(ir) => Arc::new(ir),
        Err(e) => panic!("the compiled-in spec does not parse:\n{e}"),
    })
}

/// The index in [`Ir::operations`] of `METHOD path`. `path` is the template as the reference
/// writes it (`/accounts/{account_id}/magic/routes/{route_id}`), or the same without the
/// `/accounts/{account_id}` prefix every operation shares.
pub fn find_operation(ir: &Ir, method: &str, path: &str) -> Option<usize> {
    let full = if path.starts_with("/accounts/") {
        path.to_owned()
    } else {
        format!("/accounts/{{account_id}}{path}")
    };
    ir.operations
        .iter()
        .position(|op| op.method.as_str().eq_ignore_ascii_case(method) && op.path == full)
}

/// [`find_operation`] in the compiled-in spec.
///
/// # Panics
///
/// If there is no such operation: meant for tests, where a misspelt template should fail
/// loudly and say what it looked for.
pub fn op_index(method: &str, path: &str) -> usize {
    find_operation(spec_ir(), method, path)
        .unwrap_or_else(|| panic!("no operation {method} {path} in the spec"))
}
