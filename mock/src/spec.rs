//! The API the mock serves: the IR `cargo xtask regenerate` writes into this crate
//! (`src/generated/ir.json`) from the workspace's `spec/`, the same IR the client is generated
//! from. When Cloudflare changes the reference and the generated files are regenerated, the
//! mock changes with it; nothing about Magic Transit is written in this crate, and neither the
//! generator nor the documents are needed at run time.

use std::sync::{Arc, OnceLock};

use magic_api_model::{Defs, Ir};

/// The compiled-in IR, as generated.
const IR_JSON: &str = include_str!("generated/ir.json");

/// Reads the compiled-in IR.
pub fn build() -> Result<Ir, String> {
    serde_json::from_str(IR_JSON).map_err(|e| {
        format!("the compiled-in IR (src/generated/ir.json) does not read: {e}; run `cargo xtask regenerate`")
    })
}

/// The IR of the compiled-in spec, read once per process. `'static` so that parameter names
/// can be handed to APIs that take `&'static str`.
///
/// # Panics
///
/// If the compiled-in IR does not read. `cargo xtask regenerate` writes it from the same types
/// this crate reads it with, and this crate's tests read it, so a build of this crate never
/// carries one that does not.
pub fn spec_ir() -> &'static Arc<Ir> {
    static IR: OnceLock<Arc<Ir>> = OnceLock::new();
    IR.get_or_init(|| match build() {
        Ok(ir) => Arc::new(ir),
        Err(e) => panic!("{e}"),
    })
}

/// The definitions of [`spec_ir`] by id, indexed once per process (every request's checks
/// look types up in it).
pub(crate) fn spec_defs() -> &'static Defs<'static> {
    static DEFS: OnceLock<Defs<'static>> = OnceLock::new();
    DEFS.get_or_init(|| spec_ir().defs())
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
