//! The emit plan: every decision about the generated code, made once from the IR, before any
//! code is printed.
//!
//! [`names`] decides what every type and operation is called; [`build`] then decides, per
//! definition, its Rust name, fields (wire name, identifier, Rust type, typed id, doc, preset),
//! variants, enum literals and traits, and per operation its handle, method, arguments, body,
//! option set, what awaiting it gives and how it pages; last, [`docs`] decides what the
//! documentation says from all of that (each operation's example, aliases and summary, each
//! type's summary and the calls that use it). The printers in [`crate::emit`] (data
//! types, unions, client, paging, the test case table) only spell out what the plan holds, and
//! the API snapshot (`magic-api/api.json`) is a serialization of it, so the snapshot the change
//! report compares cannot disagree with the code.

pub mod docs;
mod fields;
mod id_choices;
mod index;
mod kept_names;
pub mod names;
mod ops;
mod options;
mod paging;
mod ty;
mod types;
mod unions;

pub use docs::DocsPlan;
pub use fields::FieldPlan;
pub use id_choices::{IdAccessorPlan, IdChoicePlan};
pub use index::Index;
pub use ops::{ArgPlan, BodyPlan, HandlePlan, IdPlan, OpPlan, ParamPlan, PathValue, ReceivePlan};
pub use options::{OptionFieldPlan, OptionSetPlan};
pub use paging::{StreamPlan, StreamSplit};
pub use ty::RustTy;
pub use types::{EnumPlan, ItemPlan, LiteralPlan, Shape, StructPlan};
pub use unions::{AccessorArm, AccessorPlan, KindPlan, UnionPlan, UnionStrategy, VariantPlan};

use crate::ir::Ir;
use names::Names;

/// Everything the generated code is, decided.
pub struct Plan<'a> {
    /// The IR it was built from (printers read only operation templates and titles from it).
    pub ir: &'a Ir,
    /// The naming table (`cargo xtask names` prints it).
    pub names: Names,
    /// Every item of the data-types file, sorted by Rust name (the file's order).
    pub items: Vec<ItemPlan>,
    /// The typed identifiers, by Rust name.
    pub ids: Vec<IdPlan>,
    /// The enums of id kinds that union readers return (`AppId`), by Rust name.
    pub id_choices: Vec<IdChoicePlan>,
    /// The resource handles, nested as the paths nest.
    pub handles: Vec<HandlePlan>,
    /// Every operation, in IR order.
    pub ops: Vec<OpPlan>,
    /// Every operation's option set (one each, empty or not), by Rust name.
    pub option_sets: Vec<OptionSetPlan>,
    /// How each paged result type splits into items and the next page, by result type.
    pub streams: Vec<StreamPlan>,
    /// What the documentation says beyond each item's own text: examples, summaries, aliases.
    pub docs: DocsPlan,
}

impl Plan<'_> {
    /// The item with this Rust name.
    pub fn item(&self, rust: &str) -> Option<&ItemPlan> {
        self.items
            .binary_search_by(|i| i.rust.as_str().cmp(rust))
            .ok()
            .and_then(|i| self.items.get(i))
    }
}

/// Decides everything: names first, then items, identifiers, operations and handles.
pub fn build(ir: &Ir) -> Result<Plan<'_>, String> {
    let ops = names::op_names(ir)?;
    let names = names::decide(ir, &ir.renames, &ops)?;
    let (mut items, op_plans, ids, handles, option_sets, streams) = {
        let index = Index::new(ir, &names);
        let mut items = types::items(&index);
        kept_names::add(&mut items, &ir.kept_names)?;
        let ids = ops::ids(&index);
        let built = ops::operations(&index)?;
        (
            items,
            built.ops,
            ids,
            built.handles,
            built.option_sets,
            built.streams,
        )
    };
    // Option types are imported into the resource modules beside the data types.
    if let Some(set) = option_sets.iter().find(|s| {
        items
            .binary_search_by(|i| i.rust.as_str().cmp(&s.rust))
            .is_ok()
    }) {
        return Err(format!(
            "the option type `{}` has the name of a data type",
            set.rust
        ));
    }
    // Last: the documentation reads every other decision (and rewrites the items' docs).
    let docs = docs::plan(
        &docs::Parts {
            ir,
            ops: &op_plans,
            handles: &handles,
            option_sets: &option_sets,
            streams: &streams,
        },
        &mut items,
    );
    let id_choices = id_choices::collect(&mut items, &ids);
    Ok(Plan {
        ir,
        names,
        items,
        ids,
        id_choices,
        handles,
        ops: op_plans,
        option_sets,
        streams,
        docs,
    })
}
