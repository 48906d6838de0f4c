//! The API snapshot: a compact, deterministic summary of the public API as generated
//! (`magic-api/api.json`), the input of the change report that `cargo xtask regenerate` prints.
//!
//! It records what a caller can depend on: each operation's call path, parameters, body and
//! result; each type's Rust name, the reference name it comes from, its fields (Rust name, type,
//! required), enum values and union variants; whether a struct is `#[non_exhaustive]`. Prose is
//! kept as a short hash, enough to tell a documentation-only change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::names::field_names;
use super::types::Context;
use super::unions::alternative_idents;
use crate::ir::{ParamLocation, Response, Ty, TypeBody};

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
    /// Parameters by wire name.
    pub params: BTreeMap<String, ParamEntry>,
    /// The body's Rust type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
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
        // Bidirectional controls can only sit inside strings here; escaped, they cannot make
        // the file read differently from what it says.
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

    /// Reads a committed snapshot.
    pub fn from_json(text: &str) -> Result<Snapshot, String> {
        serde_json::from_str(text).map_err(|e| format!("the API snapshot does not parse: {e}"))
    }
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

/// A type as Rust spells it (names as decided, `Vec<…>`, `Option<…>`).
fn ty_text(cx: &Context<'_>, ty: &Ty) -> String {
    match ty {
        Ty::String | Ty::Literal { .. } => "String".into(),
        Ty::Integer => "i64".into(),
        Ty::Number => "Number".into(),
        Ty::Boolean | Ty::True => "bool".into(),
        Ty::Unknown => "Value".into(),
        Ty::Map { values } => format!("BTreeMap<String, {}>", ty_text(cx, values)),
        Ty::Array { items } => format!("Vec<{}>", ty_text(cx, items)),
        Ty::Ref { id } => cx.names.of(id).to_string(),
    }
}

/// Builds the snapshot; `calls` gives each operation's call path, in IR order.
pub fn snapshot(cx: &Context<'_>, calls: &[String]) -> Snapshot {
    let mut out = Snapshot {
        generated: GENERATED_NOTE.to_string(),
        ..Snapshot::default()
    };
    let titles = resource_titles(&cx.ir.resources);
    for (i, op) in cx.ir.operations.iter().enumerate() {
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
                    ty: ty_text(cx, &p.field.ty),
                    required: p.field.required,
                    doc: doc_hash(&p.field.description),
                };
                (p.field.name.clone(), entry)
            })
            .collect();
        let result = match &op.response {
            Response::Envelope { result, .. } | Response::Json { ty: result } => {
                let t = ty_text(cx, result);
                if op.method == crate::ir::Method::Delete {
                    format!("Option<{t}>")
                } else {
                    t
                }
            }
            Response::Binary { .. } => "Download".into(),
            Response::None => "()".into(),
        };
        let entry = OpEntry {
            resource: titles
                .get(op.resource.as_str())
                .cloned()
                .unwrap_or_default(),
            call: calls.get(i).cloned().unwrap_or_default(),
            params,
            // The call's body argument, as the caller writes it (none for a fixed `{}`).
            body: op
                .body
                .as_ref()
                .filter(|_| !super::client::sends_fixed_empty_body(op))
                .map(|b| ty_text(cx, &b.ty)),
            result,
            doc: doc_hash(&format!("{}\n{}", op.title, op.description)),
        };
        out.operations
            .insert(format!("{} {}", op.method.as_str(), op.path), entry);
    }
    for (id, name) in &cx.names.types {
        let Some(def) = cx.defs.get(id.as_str()) else {
            continue;
        };
        let mut entry = TypeEntry {
            reference: def.name.clone(),
            doc: doc_hash(&def.description),
            ..TypeEntry::default()
        };
        match &def.body {
            TypeBody::Object { fields } => {
                entry.kind = "struct".into();
                entry.non_exhaustive = !cx.is_request(id);
                let skip = cx.tag_field(id);
                let kept: Vec<_> = fields
                    .iter()
                    .filter(|f| Some(f.name.as_str()) != skip)
                    .collect();
                let wire: Vec<&str> = kept.iter().map(|f| f.name.as_str()).collect();
                for (f, rust) in kept.iter().zip(field_names(&wire)) {
                    let mut ty = cx
                        .id_of_field(id, &f.name)
                        .map_or_else(|| ty_text(cx, &f.ty), str::to_string);
                    if f.nullable {
                        ty = format!("Nullable<{ty}>");
                    }
                    let field = FieldEntry {
                        rust,
                        ty,
                        required: f.required,
                        doc: doc_hash(&f.description),
                    };
                    entry.fields.insert(f.name.clone(), field);
                }
            }
            TypeBody::Enum { values, .. } => {
                entry.kind = "enum".into();
                entry.non_exhaustive = true;
                entry.values = values.clone();
            }
            TypeBody::Union { alternatives, .. } => {
                entry.kind = "union".into();
                entry.non_exhaustive = true;
                let variants = alternative_idents(cx, alternatives);
                for (v, a) in variants.iter().zip(alternatives) {
                    entry.variants.insert(v.to_string(), ty_text(cx, &a.ty));
                }
            }
            TypeBody::Alias { target } => {
                entry.kind = "alias".into();
                entry.target = Some(ty_text(cx, target));
            }
        }
        out.types.insert(name.clone(), entry);
    }
    for (alias, target) in &cx.names.aliases {
        let entry = TypeEntry {
            kind: "alias".into(),
            reference: Some(alias.clone()),
            target: Some(cx.names.of(target).to_string()),
            ..TypeEntry::default()
        };
        out.types.insert(alias.clone(), entry);
    }
    out
}

/// Resource id -> heading, through the whole tree.
fn resource_titles(resources: &[crate::ir::Resource]) -> BTreeMap<&str, String> {
    let mut out = BTreeMap::new();
    for r in resources {
        out.insert(r.id.as_str(), r.title.clone());
        out.extend(resource_titles(&r.children));
    }
    out
}
