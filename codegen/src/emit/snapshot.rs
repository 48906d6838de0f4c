//! The API snapshot: a compact, deterministic summary of the public API as generated
//! (`magic-api/api.json`), the input of the change report that `cargo xtask regenerate` prints.
//!
//! It records every public item a caller can depend on, as the plan decided it: each
//! operation's call path, argument list, option type and setters, the type of the `Call` it
//! returns and what awaiting it gives, and its parameters; each type's Rust name, the reference
//! name it comes from, its fields (Rust name, type, required), enum values and union variants,
//! whether a struct is `#[non_exhaustive]`, the traits the crate implements for it (`Default`
//! included, which is a decision of its own: see `plan::types::derives_default`), and whether it
//! has a builder and which fields that builder's `build()` needs. Prose is kept as a short hash,
//! enough to tell a documentation-only change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ir::ParamLocation;
use crate::plan::{BodyPlan, ItemPlan, OpPlan, Plan, ReceivePlan, RustTy, Shape};

/// What the snapshot's `@generated` key says (JSON has no comments for the usual header).
pub const GENERATED_NOTE: &str = "by `cargo xtask regenerate`, do not edit";

/// The whole public API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// [`GENERATED_NOTE`].
    #[serde(rename = "@generated", default)]
    pub generated: String,
    /// By `METHOD /path`.
    pub operations: BTreeMap<String, OpEntry>,
    /// By Rust name.
    pub types: BTreeMap<String, TypeEntry>,
}

/// One operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpEntry {
    /// The resource's heading (`LANs`), for grouping the report.
    pub resource: String,
    /// How it is called: `sites().lans().list`.
    pub call: String,
    /// The method's arguments as declared, in order (`site_id: &SiteId`, `body: &SiteCreateRequest`).
    #[serde(default)]
    pub args: Vec<String>,
    /// What the method returns (`Call<'a, Json<SiteListResponse>, SitesListOptions>`).
    #[serde(default)]
    pub returns: String,
    /// Parameters by wire name.
    pub params: BTreeMap<String, ParamEntry>,
    /// The option type of the call (`Call<…, SitesListOptions>`): every operation has its own.
    #[serde(default)]
    pub options: String,
    /// The call's setters for optional parameters, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setters: Vec<String>,
    /// What awaiting the call gives (`()` without a JSON body).
    pub result: String,
    /// Hash of the title and description.
    pub doc: String,
}

/// One parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamEntry {
    /// `path`, `query` or `header`.
    #[serde(rename = "in")]
    pub location: String,
    /// Its type, as the IR gives it.
    #[serde(rename = "type")]
    pub ty: String,
    /// Required parameters are arguments of the method; optional ones are setters.
    pub required: bool,
    /// Hash of the description.
    pub doc: String,
}

/// One public type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeEntry {
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: String,
    /// The reference's name, when it has one (renames are told by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Fields (structs), values (enums) or variants (unions) can be added without breaking
    /// callers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_exhaustive: bool,
    /// The traits the crate implements for it, sorted (none for an alias: its target's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<String>,
    /// Callers build it with `Type::builder()`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub builder: bool,
    /// The fields the builder's `build()` needs set (Rust names, in order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub builder_required: Vec<String>,
    /// Struct fields by wire name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldEntry>,
    /// Enum values (wire spellings), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Union variants: Rust variant name -> its type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
    /// For aliases: the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// A deprecated alias: the name the type had before the reference renamed it
    /// (`[kept_names]`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Hash of the description.
    pub doc: String,
}

/// One struct field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldEntry {
    /// The Rust field name.
    pub rust: String,
    /// Its Rust type (without the `Option` of an optional field).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the field must be present.
    pub required: bool,
    /// Hash of the description.
    pub doc: String,
}

impl Snapshot {
    /// The snapshot as committed: JSON indented down to each parameter, field and variant, which
    /// stands on one line of its own, so a diff of the file reads like the change.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut text = String::new();
        write_value(&value, 0, &mut text);
        text.push('\n');
        escape_bidi(text)
    }

    /// Reads a committed snapshot.
    pub fn from_json(text: &str) -> Result<Snapshot, String> {
        serde_json::from_str(text).map_err(|e| format!("the API snapshot does not parse: {e}"))
    }
}

/// JSON text with every Unicode bidirectional control escaped (`\u202e`). They can only sit
/// inside strings, so the value is the same; escaped, they cannot make the file read
/// differently from what it says.
pub(super) fn escape_bidi(text: String) -> String {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
    if !text.contains(bidi) {
        return text;
    }
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if bidi(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Indents objects nested less than four deep; deeper values are written compactly.
fn write_value(value: &serde_json::Value, depth: usize, out: &mut String) {
    match value {
        serde_json::Value::Object(map) if depth < 4 && !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, v)) in map.iter().enumerate() {
                out.push_str(&"  ".repeat(depth + 1));
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_value(v, depth + 1, out);
                if i + 1 < map.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&"  ".repeat(depth));
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A short, stable hash of prose (FNV-1a), to notice documentation changes.
fn doc_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.trim().bytes() {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The snapshot of a plan: a plain mapping of what the plan decided, nothing recomputed.
pub fn snapshot(plan: &Plan<'_>) -> Snapshot {
    let mut out = Snapshot {
        generated: GENERATED_NOTE.to_string(),
        ..Snapshot::default()
    };
    for op in &plan.ops {
        out.operations.insert(op.key.clone(), op_entry(plan, op));
    }
    for item in &plan.items {
        out.types.insert(item.rust.clone(), type_entry(item));
    }
    out
}

fn op_entry(plan: &Plan<'_>, op: &OpPlan) -> OpEntry {
    let params = op
        .params
        .iter()
        .map(|p| {
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            };
            let entry = ParamEntry {
                location: location.into(),
                ty: p.ty.text(),
                required: p.required,
                doc: doc_hash(&p.prose),
            };
            (p.wire.clone(), entry)
        })
        .collect();
    // The arguments as the method declares them: the required parameters, then the body (none
    // for a fixed `{}`; any `Serialize` value where the reference leaves it untyped).
    let mut args: Vec<String> = op.args.iter().map(|a| a.declaration()).collect();
    match &op.body {
        BodyPlan::None | BodyPlan::FixedEmpty => {}
        BodyPlan::Sent { ty: None, .. } => args.push("body: &impl Serialize".to_string()),
        BodyPlan::Sent { ty: Some(t), .. } => args.push(format!("body: &{t}")),
    }
    let receive = match &op.receive {
        ReceivePlan::Json { awaited, .. } => format!("Json<{awaited}>"),
        ReceivePlan::Empty => "Empty".to_string(),
        ReceivePlan::Binary => "Binary".to_string(),
    };
    let options = plan.option_sets.iter().find(|s| s.rust == op.options);
    OpEntry {
        resource: op.resource.clone(),
        call: op.call.clone(),
        args,
        returns: format!("Call<'a, {receive}, {}>", op.options),
        params,
        options: op.options.clone(),
        setters: options
            .map(|s| s.fields.iter().map(|f| f.setter.clone()).collect())
            .unwrap_or_default(),
        result: op.receive.text(),
        doc: doc_hash(&format!("{}\n{}", op.title, op.description)),
    }
}

fn type_entry(item: &ItemPlan) -> TypeEntry {
    let mut entry = TypeEntry {
        reference: item.reference.clone(),
        traits: item.traits.iter().map(|t| t.to_string()).collect(),
        doc: item.prose.as_deref().map(doc_hash).unwrap_or_default(),
        ..TypeEntry::default()
    };
    match &item.shape {
        Shape::Struct(s) => {
            entry.kind = "struct".into();
            entry.non_exhaustive = s.non_exhaustive;
            entry.builder = s.builder;
            entry.builder_required = s.builder_required.clone();
            for f in &s.fields {
                // The field's type without the `Option` an optional field adds.
                let ty = match (&f.ty, f.required) {
                    (RustTy::Option(inner), false) => inner.text(),
                    (t, _) => t.text(),
                };
                let field = FieldEntry {
                    rust: f.ident.clone(),
                    ty,
                    required: f.required,
                    doc: doc_hash(&f.prose),
                };
                entry.fields.insert(f.wire.clone(), field);
            }
        }
        Shape::Enum(e) => {
            entry.kind = "enum".into();
            entry.non_exhaustive = true;
            entry.values = e.literals.iter().map(|l| l.wire.clone()).collect();
        }
        Shape::Union(u) => {
            entry.kind = "union".into();
            entry.non_exhaustive = true;
            for v in &u.variants {
                entry.variants.insert(v.ident.clone(), v.ty.text());
            }
        }
        Shape::Alias(target) => {
            entry.kind = "alias".into();
            entry.target = Some(target.text());
        }
        Shape::ReferenceName(target) => {
            entry.kind = "alias".into();
            entry.target = Some(target.clone());
        }
        Shape::KeptName(target) => {
            entry.kind = "alias".into();
            entry.target = Some(target.clone());
            entry.deprecated = true;
        }
    }
    entry
}
