//! Example values: a documented JSON value read as the Rust value an example writes, through the
//! planned types (a builder per request struct, an enum's variant, a union's variant, a list),
//! and the typed ids the reference's examples give values for.
//!
//! The printer only spells these out; every choice (which union variant, which setter, what a
//! required field the example leaves out is given) is made here.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::super::names::snake;
use super::super::{ItemPlan, RustTy, Shape, StructPlan, UnionPlan, UnionStrategy};

/// A value an example writes.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleValue {
    /// A string literal, where the receiver converts it (`impl Into<T>`: a `String`, an id, a
    /// `Secret`, an open enum).
    Str(String),
    /// A string where the receiver takes a `String` exactly (a union's string variant).
    Owned(String),
    /// A typed id where the receiver takes it exactly: `SiteId::from("…")`.
    Id {
        /// The id type.
        ty: String,
        /// Its text.
        value: String,
    },
    /// An integer literal (a `Number` setter takes one too).
    Int(i64),
    /// `true` or `false`.
    Bool(bool),
    /// A string enum's variant: `HealthCheckRate::Low`.
    Enum {
        /// The enum.
        ty: String,
        /// The variant.
        variant: String,
    },
    /// `Type::builder()`, its setters, `.build()`.
    Builder {
        /// The struct.
        ty: String,
        /// The setters, in the struct's field order.
        setters: Vec<SetterValue>,
    },
    /// A union's variant: `PcapCreateRequest::Simple(…)`.
    Variant {
        /// The union.
        union: String,
        /// The variant.
        variant: String,
        /// What it holds.
        value: Box<ExampleValue>,
    },
    /// A list: `[a, b]`.
    List(Vec<ExampleValue>),
    /// `Nullable::Null`: an explicit `null` where the reference gives it a meaning.
    Null,
    /// Any JSON, as `serde_json::json!(…)`, where the reference leaves the type open.
    Json(Json),
    /// A value the example's caller supplies: a name of the example function's parameters.
    Input(String),
}

/// One setter call of a builder or a call.
#[derive(Debug, Clone, PartialEq)]
pub struct SetterValue {
    /// The method.
    pub setter: String,
    /// Its argument.
    pub value: ExampleValue,
    /// A comment the example puts above it.
    pub note: Option<String>,
}

/// The planned types, looked up by Rust name.
pub(super) struct Types<'a> {
    items: &'a [ItemPlan],
    /// Per id type: the value the reference's examples give it.
    pub ids: BTreeMap<String, String>,
}

/// How deep a value may nest before the example stops descending (the reference's examples
/// nest three levels; a recursive type would never end).
const MAX_DEPTH: usize = 8;

impl<'a> Types<'a> {
    pub(super) fn new(items: &'a [ItemPlan]) -> Self {
        Types {
            items,
            ids: BTreeMap::new(),
        }
    }

    pub(super) fn item(&self, rust: &str) -> Option<&'a ItemPlan> {
        self.items
            .binary_search_by(|i| i.rust.as_str().cmp(rust))
            .ok()
            .and_then(|i| self.items.get(i))
    }

    /// The struct or union a data type is, through aliases.
    fn resolve(&self, rust: &str, depth: usize) -> Option<&'a ItemPlan> {
        let item = self.item(rust)?;
        match &item.shape {
            Shape::ReferenceName(target) if depth < MAX_DEPTH => self.resolve(target, depth + 1),
            Shape::Alias(RustTy::Data(target)) if depth < MAX_DEPTH => {
                self.resolve(target, depth + 1)
            }
            _ => Some(item),
        }
    }

    /// The struct a data type is, if it is one.
    pub(super) fn structure(&self, ty: &RustTy) -> Option<(&'a str, &'a StructPlan)> {
        let item = self.resolve(ty.data()?, 0)?;
        match &item.shape {
            Shape::Struct(s) => Some((&item.rust, s)),
            _ => None,
        }
    }

    /// The union a data type is, if it is one.
    pub(super) fn union(&self, ty: &RustTy) -> Option<(&'a str, &'a UnionPlan)> {
        let item = self.resolve(ty.data()?, 0)?;
        match &item.shape {
            Shape::Union(u) => Some((&item.rust, u)),
            _ => None,
        }
    }

    /// Whether a value of the type prints with `{}`.
    pub(super) fn displays(&self, ty: &RustTy) -> bool {
        match ty {
            RustTy::String | RustTy::I64 | RustTy::Number | RustTy::Bool | RustTy::Id(_) => true,
            RustTy::Data(name) => self.resolve(name, 0).is_some_and(|i| match &i.shape {
                Shape::Enum(_) => true,
                Shape::Alias(t) => !matches!(t, RustTy::Data(_)) && self.displays(t),
                _ => false,
            }),
            _ => false,
        }
    }

    /// Records the value of every typed-id field in a documented value of type `ty`.
    pub(super) fn learn_ids(&mut self, ty: &RustTy, json: &Json, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match (ty, json) {
            (RustTy::Option(t) | RustTy::Nullable(t) | RustTy::Secret(t), _) => {
                self.learn_ids(t, json, depth + 1);
            }
            (RustTy::Vec(t), Json::Array(items)) => {
                for item in items {
                    self.learn_ids(t, item, depth + 1);
                }
            }
            (RustTy::Data(_), Json::Object(object)) => {
                if let Some((_, s)) = self.structure(ty) {
                    for f in &s.fields {
                        let Some(value) = object.get(&f.wire) else {
                            continue;
                        };
                        match (&f.typed_id, value) {
                            // A value that is only its field's name (`"lan_id": "lan_id"`) is
                            // the reference's stand-in, not an example of the id.
                            (Some(_), Json::String(text)) if *text == f.wire => {}
                            (Some(id), Json::String(text)) => {
                                self.ids.entry(id.clone()).or_insert_with(|| text.clone());
                            }
                            _ => self.learn_ids(&f.ty, value, depth + 1),
                        }
                    }
                } else if let Some((_, u)) = self.union(ty) {
                    if let Some(v) = pick_variant(self, u, json).and_then(|i| u.variants.get(i)) {
                        self.learn_ids(&v.ty, json, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// The documented value `json` as a value of type `ty`; `exact` where the receiver takes
    /// the type itself rather than anything that converts into it.
    pub(super) fn value(&self, ty: &RustTy, json: &Json, exact: bool) -> Option<ExampleValue> {
        self.value_at(ty, json, exact, 0)
    }

    fn value_at(
        &self,
        ty: &RustTy,
        json: &Json,
        exact: bool,
        depth: usize,
    ) -> Option<ExampleValue> {
        if depth > MAX_DEPTH {
            return None;
        }
        let next = depth + 1;
        Some(match (ty, json) {
            (RustTy::Nullable(_), Json::Null) => ExampleValue::Null,
            (RustTy::Option(t) | RustTy::Nullable(t) | RustTy::Secret(t), _) => {
                return self.value_at(t, json, exact, next);
            }
            (RustTy::String, Json::String(s)) if exact => ExampleValue::Owned(s.clone()),
            (RustTy::String, Json::String(s)) => ExampleValue::Str(s.clone()),
            (RustTy::Id(id), Json::String(s)) if exact => ExampleValue::Id {
                ty: id.clone(),
                value: s.clone(),
            },
            (RustTy::Id(_), Json::String(s)) => ExampleValue::Str(s.clone()),
            // A number with a fraction has no literal a setter takes; it is left out.
            (RustTy::I64 | RustTy::Number, Json::Number(n)) => ExampleValue::Int(n.as_i64()?),
            (RustTy::Bool, Json::Bool(b)) => ExampleValue::Bool(*b),
            (RustTy::Value, _) => ExampleValue::Json(json.clone()),
            (RustTy::Vec(t), Json::Array(items)) => ExampleValue::List(
                items
                    .iter()
                    .map(|i| self.value_at(t, i, false, next))
                    .collect::<Option<Vec<_>>>()?,
            ),
            (RustTy::Data(name), _) => return self.data(name, json, exact, next),
            _ => return None,
        })
    }

    fn data(&self, name: &str, json: &Json, exact: bool, depth: usize) -> Option<ExampleValue> {
        let item = self.resolve(name, depth)?;
        match &item.shape {
            Shape::Struct(s) if s.builder => Some(ExampleValue::Builder {
                ty: item.rust.clone(),
                setters: self.setters(s, json.as_object()?, depth)?,
            }),
            Shape::Struct(_) | Shape::ReferenceName(_) | Shape::KeptName(_) => None,
            Shape::Enum(e) => {
                let text = json.as_str()?;
                match e.literals.iter().find(|l| l.wire == text) {
                    Some(l) => Some(ExampleValue::Enum {
                        ty: item.rust.clone(),
                        variant: l.ident.clone(),
                    }),
                    None if e.open && !exact => Some(ExampleValue::Str(text.to_string())),
                    None => None,
                }
            }
            Shape::Union(u) => {
                let v = u.variants.get(pick_variant(self, u, json)?)?;
                Some(ExampleValue::Variant {
                    union: item.rust.clone(),
                    variant: v.ident.clone(),
                    value: Box::new(self.value_at(&v.ty, json, true, depth)?),
                })
            }
            Shape::Alias(t) => self.value_at(t, json, exact, depth),
        }
    }

    /// A builder's setters for a documented object: every field the object gives a value that
    /// reads as the field's type (preset fields left to their preset), then every required
    /// field it leaves out, with a stand-in.
    fn setters(
        &self,
        s: &StructPlan,
        object: &serde_json::Map<String, Json>,
        depth: usize,
    ) -> Option<Vec<SetterValue>> {
        let mut out = Vec::new();
        for f in s.fields.iter().filter(|f| f.preset.is_none()) {
            let given = object
                .get(&f.wire)
                .and_then(|v| self.value_at(&f.ty, v, false, depth));
            let value = match given {
                Some(v) => v,
                None if f.required => self.stand_in(&f.ty, &f.wire, depth)?,
                None => continue,
            };
            let note = f.nullable.then(|| {
                format!(
                    "`{}` also takes `Nullable::Null`, which sends an explicit `null`.",
                    f.ident
                )
            });
            out.push(SetterValue {
                setter: setter_name(&f.ident),
                value,
                note,
            });
        }
        Some(out)
    }

    /// A value for a required field the example leaves out, as the reference's own examples
    /// fill one: a string is its field's name, a number `0`, a flag `false`, an id the value
    /// the examples give that id, an object its required fields, an enum its first value.
    fn stand_in(&self, ty: &RustTy, wire: &str, depth: usize) -> Option<ExampleValue> {
        if depth > MAX_DEPTH {
            return None;
        }
        let next = depth + 1;
        Some(match ty {
            RustTy::Option(t) | RustTy::Nullable(t) | RustTy::Secret(t) => {
                return self.stand_in(t, wire, next);
            }
            RustTy::String => ExampleValue::Str(wire.to_string()),
            RustTy::Id(id) => ExampleValue::Str(self.id_value(id)),
            RustTy::I64 | RustTy::Number => ExampleValue::Int(0),
            RustTy::Bool => ExampleValue::Bool(false),
            RustTy::Vec(t) => ExampleValue::List(vec![self.stand_in(t, wire, next)?]),
            RustTy::Value => ExampleValue::Json(Json::Object(Default::default())),
            RustTy::Map(_) => return None,
            RustTy::Data(name) => {
                let item = self.resolve(name, next)?;
                match &item.shape {
                    Shape::Struct(s) if s.builder => ExampleValue::Builder {
                        ty: item.rust.clone(),
                        setters: self.setters(s, &Default::default(), next)?,
                    },
                    Shape::Enum(e) => ExampleValue::Enum {
                        ty: item.rust.clone(),
                        variant: e.literals.first()?.ident.clone(),
                    },
                    Shape::Union(u) => {
                        let v = u.variants.first()?;
                        ExampleValue::Variant {
                            union: item.rust.clone(),
                            variant: v.ident.clone(),
                            value: Box::new(self.stand_in(&v.ty, wire, next)?),
                        }
                    }
                    Shape::Alias(t) => return self.stand_in(t, wire, next),
                    Shape::Struct(_) | Shape::ReferenceName(_) | Shape::KeptName(_) => return None,
                }
            }
        })
    }

    /// The value the reference's examples give an id type; for an id they never show, the one
    /// they give most ids (the reference's generic example id).
    pub(super) fn id_value(&self, id: &str) -> String {
        if let Some(v) = self.ids.get(id) {
            return v.clone();
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for v in self.ids.values() {
            *counts.entry(v).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(v, _)| v.to_string())
            .unwrap_or_else(|| snake(id))
    }
}

/// The builder's setter for a field: its identifier, except for the two names the builder
/// keeps for itself (`set_build`, `set_builder`; see the macro's builder).
fn setter_name(ident: &str) -> String {
    match ident {
        "build" | "builder" => format!("set_{ident}"),
        other => other.to_string(),
    }
}

/// Which variant a documented value is, by the union's own rule.
pub(super) fn pick_variant(types: &Types<'_>, u: &UnionPlan, json: &Json) -> Option<usize> {
    let object = json.as_object();
    let has = |key: &str| object.is_some_and(|o| o.contains_key(key));
    match &u.strategy {
        UnionStrategy::Tag { field, values } => {
            let tag = object?.get(field)?.as_str()?;
            values.iter().position(|v| v == tag)
        }
        UnionStrategy::RequiredField { fields } => fields.iter().position(|f| has(f)),
        UnionStrategy::BestFit { required, declared } => (0..u.variants.len())
            .filter(|&i| required.get(i).is_some_and(|r| r.iter().all(|f| has(f))))
            .max_by_key(|&i| {
                let known = declared
                    .get(i)
                    .map_or(0, |d| d.iter().filter(|f| has(f)).count());
                let size = declared.get(i).map_or(0, Vec::len);
                (known, std::cmp::Reverse(size), std::cmp::Reverse(i))
            }),
        UnionStrategy::JsonKind | UnionStrategy::Ordered => {
            u.variants.iter().position(|v| match json {
                Json::String(_) => matches!(v.ty, RustTy::String | RustTy::Id(_)),
                Json::Number(_) => matches!(v.ty, RustTy::I64 | RustTy::Number),
                Json::Bool(_) => v.ty == RustTy::Bool,
                Json::Array(_) => matches!(v.ty, RustTy::Vec(_)),
                Json::Object(_) => types.structure(&v.ty).is_some() || types.union(&v.ty).is_some(),
                Json::Null => false,
            })
        }
    }
}
