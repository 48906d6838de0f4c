//! The unions' plan: variants, the decoding strategy the IR recorded (`spec/FORMAT.md` and the
//! IR's `Discrimination` say which), `From` impls, shared-field readers and `kind()`.

use std::collections::BTreeSet;

use super::fields::{FieldPlan, describe, field_plans, literal_idents};
use super::id_choices::{IdAccessorPlan, IdChoicePlan, id_accessor};
use super::names::{camel, ref_id, words};
use super::{Index, RustTy};
use crate::ir::{Alternative, Discrimination, Origin, Ty, TypeBody};

/// A union.
#[derive(Debug, Clone)]
pub struct UnionPlan {
    /// How a decoder tells the forms apart.
    pub strategy: UnionStrategy,
    /// One variant per alternative, in the reference's order.
    pub variants: Vec<VariantPlan>,
    /// Readers for fields every form has with one type (`pcap.status()`).
    pub accessors: Vec<AccessorPlan>,
    /// `kind()`, when a refined enum names the tag values.
    pub kind: Option<KindPlan>,
    /// The reader of an id every form holds under its own name (`app.id()`), with its enum.
    pub id_accessor: Option<Box<(IdAccessorPlan, IdChoicePlan)>>,
}

/// How a decoder tells a union's forms apart (the IR's `Discrimination`, with what the printer
/// needs spelled out).
#[derive(Debug, Clone)]
pub enum UnionStrategy {
    /// Untagged: each JSON kind is one form; an unknown value is kept in `Other`.
    JsonKind,
    /// The forms are tried in order; an unknown value is kept in `Other`.
    Ordered,
    /// A tag field with one literal per form.
    Tag {
        /// The tag field.
        field: String,
        /// Per variant: its literal.
        values: Vec<String>,
    },
    /// Per variant: the required field only it has.
    RequiredField {
        /// Per variant: the field.
        fields: Vec<String>,
    },
    /// The form whose required fields are present and that knows most of the keys.
    BestFit {
        /// Per variant: its required fields.
        required: Vec<Vec<String>>,
        /// Per variant: every field it declares.
        declared: Vec<Vec<String>>,
    },
}

impl UnionStrategy {
    /// Whether the catch-all variant is `Other(Value)` (untagged unions) rather than
    /// `Unknown(Object)` (unions decided on an object).
    pub fn keeps_any_value(&self) -> bool {
        matches!(self, UnionStrategy::JsonKind | UnionStrategy::Ordered)
    }

    /// The catch-all variant's name.
    pub fn catch_all(&self) -> &'static str {
        if self.keeps_any_value() {
            "Other"
        } else {
            "Unknown"
        }
    }
}

/// One variant.
#[derive(Debug, Clone)]
pub struct VariantPlan {
    /// Its identifier.
    pub ident: String,
    /// What it holds.
    pub ty: RustTy,
    /// Its documentation.
    pub doc: String,
    /// Whether the union gets `From` its payload (no other variant holds the same type).
    pub from: bool,
}

/// A reader for a field every form has.
#[derive(Debug, Clone)]
pub struct AccessorPlan {
    /// The method (the first form's field identifier).
    pub method: String,
    /// The wire name.
    pub wire: String,
    /// The field's type; the reader gives `Option<&T>`.
    pub ty: RustTy,
    /// Per variant: how its field is read.
    pub arms: Vec<AccessorArm>,
}

/// How one variant's field is read.
#[derive(Debug, Clone)]
pub struct AccessorArm {
    /// The field's identifier in that variant's struct.
    pub field: String,
    /// Whether it is always there (`Some(&value.f)`) or optional (`value.f.as_ref()`).
    pub required: bool,
}

/// `kind()` of a tagged union.
#[derive(Debug, Clone)]
pub struct KindPlan {
    /// The refined enum that names the tag values (`EventKind`).
    pub enum_rust: String,
    /// Per variant: the enum's literal.
    pub literals: Vec<String>,
}

/// Plans a union.
pub(super) fn union(
    ix: &Index<'_>,
    union_rust: &str,
    alternatives: &[Alternative],
    how: &Discrimination,
) -> UnionPlan {
    let idents = match how {
        Discrimination::JsonKind { kinds } => kinds.iter().map(|k| camel(k)).collect(),
        _ => alternative_idents(ix, alternatives),
    };
    let tys: Vec<RustTy> = alternatives.iter().map(|a| ix.rust_ty(&a.ty)).collect();
    let variants = idents
        .into_iter()
        .zip(alternatives)
        .zip(&tys)
        .map(|((ident, a), ty)| VariantPlan {
            ident,
            ty: ty.clone(),
            doc: alternative_doc(ix, a),
            // Two alternatives of one Rust type (an alias of `String` and `string`) would give
            // two conflicting impls: neither gets one.
            from: tys.iter().filter(|other| *other == ty).count() == 1,
        })
        .collect::<Vec<_>>();
    let strategy = strategy(ix, alternatives, how);
    let accessors = accessors(ix, alternatives, &strategy);
    let kind = match how {
        Discrimination::Tag { values, .. } => kind(ix, values),
        _ => None,
    };
    let id_accessor = id_accessor(ix, union_rust, alternatives, &strategy, &variants)
        .filter(|(a, _)| !accessors.iter().any(|other| other.method == a.method))
        .map(Box::new);
    UnionPlan {
        strategy,
        variants,
        accessors,
        kind,
        id_accessor,
    }
}

fn strategy(ix: &Index<'_>, alternatives: &[Alternative], how: &Discrimination) -> UnionStrategy {
    match how {
        Discrimination::JsonKind { .. } => UnionStrategy::JsonKind,
        Discrimination::Ordered => UnionStrategy::Ordered,
        Discrimination::Tag { field, values } => UnionStrategy::Tag {
            field: field.clone(),
            values: values.clone(),
        },
        Discrimination::RequiredField { fields } => UnionStrategy::RequiredField {
            fields: fields.clone(),
        },
        Discrimination::BestFit { .. } => {
            let (required, declared) = alternatives
                .iter()
                .map(|a| {
                    let fields = ix.defs.object_fields(&a.ty).unwrap_or(&[]);
                    (
                        fields
                            .iter()
                            .filter(|f| f.required)
                            .map(|f| f.name.clone())
                            .collect(),
                        fields.iter().map(|f| f.name.clone()).collect(),
                    )
                })
                .unzip();
            UnionStrategy::BestFit { required, declared }
        }
    }
}

fn alternative_doc(ix: &Index<'_>, a: &Alternative) -> String {
    match (&a.ty, ref_id(&a.ty).and_then(|id| ix.def(id))) {
        (_, Some(target)) if !target.description.is_empty() => target.description.clone(),
        (Ty::Ref { .. }, Some(target)) => describe(ix, target),
        (Ty::Ref { id }, None) => format!("A [`{}`].", ix.name(id)),
        (ty, _) => format!("The {} form.", kind_name(ty).to_ascii_lowercase()),
    }
}

/// Variant names for union alternatives: the alternatives' type names with the words they all
/// share at the front and at the back removed (`MagicAccountApp`/`MagicManagedApp` ->
/// `Account`/`Managed`), unless that would leave one empty.
fn alternative_idents(ix: &Index<'_>, alternatives: &[Alternative]) -> Vec<String> {
    let full: Vec<String> = alternatives
        .iter()
        .map(|a| match (&a.ty, &a.name) {
            (Ty::Ref { id }, _) => ix.name(id).to_string(),
            (_, Some(n)) => camel(n),
            (ty, None) => kind_name(ty).to_string(),
        })
        .collect();
    let split: Vec<Vec<String>> = full.iter().map(|n| words(n)).collect();
    let common = |from_back: bool| {
        let mut n = 0;
        loop {
            let word = |w: &Vec<String>| {
                if from_back {
                    w.len().checked_sub(n + 1).and_then(|i| w.get(i)).cloned()
                } else {
                    w.get(n).cloned()
                }
            };
            let first = split.first().and_then(word);
            if first.is_none() || !split.iter().all(|w| word(w) == first) {
                return n;
            }
            n += 1;
        }
    };
    let (front, back) = (common(false), common(true));
    let trimmed: Vec<String> = split
        .iter()
        .map(|w| {
            w.iter()
                .skip(front)
                .take(w.len().saturating_sub(front + back))
                .cloned()
                .collect::<String>()
        })
        .collect();
    let usable = split.len() > 1
        && trimmed.iter().all(|t| !t.is_empty())
        && trimmed.iter().collect::<BTreeSet<_>>().len() == trimmed.len();
    let chosen = if usable { trimmed } else { full };
    chosen.iter().map(|n| camel(n)).collect()
}

fn kind_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::String | Ty::Literal { .. } => "String",
        Ty::Integer | Ty::Number => "Number",
        Ty::Boolean | Ty::True => "Boolean",
        Ty::Array { .. } => "Array",
        Ty::Map { .. } | Ty::Ref { .. } => "Object",
        Ty::Unknown => "Value",
    }
}

/// For a union of objects: a reader for each field every alternative has with the same Rust
/// type (`pcap.status()`, `pcap.id()`), `None` when the field is absent or the value is one this
/// version does not know. Fields whose `null` means something are left out.
fn accessors(
    ix: &Index<'_>,
    alternatives: &[Alternative],
    strategy: &UnionStrategy,
) -> Vec<AccessorPlan> {
    if strategy.keeps_any_value() {
        return Vec::new();
    }
    // Per alternative: its struct's fields as planned (identifiers decided as the struct's are).
    let mut objects: Vec<Vec<FieldPlan>> = Vec::new();
    for a in alternatives {
        let Some(def) = ref_id(&a.ty).and_then(|id| ix.def(id)) else {
            return Vec::new();
        };
        let TypeBody::Object { fields } = &def.body else {
            return Vec::new();
        };
        objects.push(field_plans(ix, def, fields));
    }
    let Some(first) = objects.first() else {
        return Vec::new();
    };
    let find = |fields: &'_ [FieldPlan], f: &FieldPlan| -> Option<AccessorArm> {
        fields
            .iter()
            .find(|g| g.wire == f.wire && !g.nullable && g.ty.inner() == f.ty.inner())
            .map(|g| AccessorArm {
                field: g.ident.clone(),
                required: g.required,
            })
    };
    let tagged = matches!(strategy, UnionStrategy::Tag { .. });
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for f in first.iter().filter(|f| !f.nullable) {
        let arms: Option<Vec<AccessorArm>> = objects.iter().map(|o| find(o, f)).collect();
        // `kind()` is the tag's, when there is one, and a name already read is not read twice.
        let taken = f.ident == "kind" && tagged;
        let Some(arms) = arms else { continue };
        if taken || !seen.insert(f.ident.clone()) {
            continue;
        }
        out.push(AccessorPlan {
            method: f.ident.clone(),
            wire: f.wire.clone(),
            ty: f.ty.inner().clone(),
            arms,
        });
    }
    out
}

/// `kind()` for a tagged union whose tag values a refined enum names (`EventKind`).
fn kind(ix: &Index<'_>, values: &[String]) -> Option<KindPlan> {
    let refined = ix.ir.shapes.iter().find(|d| {
        d.origin == Origin::Refined
            && matches!(&d.body, TypeBody::Enum { values: v, .. } if v == values)
    })?;
    Some(KindPlan {
        enum_rust: ix.name(&refined.id).to_string(),
        literals: literal_idents(values),
    })
}
