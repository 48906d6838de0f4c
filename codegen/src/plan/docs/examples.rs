//! Each operation's example, decided from the plan's facts: the call path, its typed ids and
//! numbers (from the reference's examples), the body built with its builder from the
//! reference's request example, the option setters worth showing, and what is done with the
//! result (a field read, a stream consumed, a file written), by what awaiting the call gives.

use serde_json::Value as Json;

use super::super::names::{singular, snake};
use super::super::{
    ArgPlan, BodyPlan, OpPlan, OptionSetPlan, PathValue, ReceivePlan, RustTy, Shape, StreamPlan,
};
use super::values::{ExampleValue, SetterValue, Types};
use crate::ir::{Operation, Response, Role};

/// One operation's example.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamplePlan {
    /// Values the reference gives no example for: parameters of the example's (hidden)
    /// function, with their types.
    pub inputs: Vec<(String, RustTy)>,
    /// The bindings before the call (ids, the body), in order.
    pub bindings: Vec<(String, ExampleValue)>,
    /// A comment above the body's binding.
    pub body_note: Option<String>,
    /// The method's arguments, in order.
    pub args: Vec<ExampleArg>,
    /// Option setters on the call.
    pub setters: Vec<SetterValue>,
    /// What is done with the result.
    pub outcome: Outcome,
}

/// One argument.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleArg {
    /// A binding, borrowed (`&site_id`, `&body`).
    Borrow(String),
    /// A value passed as it is.
    Value(ExampleValue),
}

/// What an example does with what awaiting its call gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing comes back: the call is awaited.
    Done,
    /// The result, bound to `name`, then read.
    Json {
        /// The binding.
        name: String,
        /// The read.
        read: Read,
    },
    /// A DELETE's result, present unless the API confirmed with `null`.
    Deleted {
        /// The binding.
        name: String,
        /// The read.
        read: Read,
    },
    /// The list streamed across its pages.
    Stream {
        /// The stream's binding.
        stream: String,
        /// Each item's binding.
        item: String,
        /// The read of an item.
        read: Read,
    },
    /// A download written to a file.
    Download {
        /// The file's name.
        file: String,
    },
}

/// A read of a value, printed in one line (or one loop around one).
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    /// A field: `{}` where the value displays, `{:?}` otherwise.
    Field {
        /// The field's identifier.
        field: String,
        /// Whether it prints with `{}`.
        display: bool,
    },
    /// A union's reader of a field every form has (`pcap.id()`).
    Accessor {
        /// The reader.
        method: String,
    },
    /// Each item of a list: the value itself, or one of its fields (and whether that field is
    /// required).
    Each {
        /// The list field, if the list is a field.
        field: Option<(String, bool)>,
        /// Each item's binding.
        item: String,
        /// The read of an item.
        read: Box<Read>,
    },
    /// The one object a value wraps (`{ gre_tunnel: GreTunnel }`).
    Within {
        /// The field.
        field: String,
        /// Whether it is required (else read only when present, bound to `name`).
        required: bool,
        /// Its binding when optional.
        name: String,
        /// The read of it.
        read: Box<Read>,
    },
    /// A tagged union's kind (`event.e.kind()`).
    Kind,
    /// A secret, read with `expose()` (it never prints).
    Secret {
        /// The field.
        field: String,
        /// Whether it is required.
        required: bool,
    },
    /// The whole value, `{:?}`.
    Debug,
}

/// What the example of one operation is built from.
pub(super) struct Input<'p> {
    pub op: &'p OpPlan,
    pub ir: &'p Operation,
    /// The module of the handle the operation is a method of.
    pub module: &'p str,
    pub options: Option<&'p OptionSetPlan>,
    pub stream: Option<&'p StreamPlan>,
}

/// The reference's documented result of an operation (the envelope's `result`).
fn documented_result(op: &Operation) -> Option<&Json> {
    let response = op.examples.response.as_ref()?;
    match &op.response {
        Response::Envelope { .. } => response.get("result"),
        _ => Some(response),
    }
}

/// Plans one operation's example.
pub(super) fn example(types: &Types<'_>, input: &Input<'_>) -> ExamplePlan {
    let op = input.op;
    let result = documented_result(input.ir);
    let mut plan = ExamplePlan {
        inputs: Vec::new(),
        bindings: Vec::new(),
        body_note: None,
        args: Vec::new(),
        setters: Vec::new(),
        outcome: Outcome::Done,
    };
    for arg in &op.args {
        let (ident, ty, borrowed) = match arg {
            ArgPlan::Path { ident, ty, pass } => (ident, ty, *pass == PathValue::Borrowed),
            ArgPlan::Query { ident, ty, .. } => (ident, ty, false),
        };
        match ty {
            RustTy::Id(id) => {
                let value = ExampleValue::Id {
                    ty: id.clone(),
                    value: types.id_value(id),
                };
                if borrowed {
                    plan.bindings.push((ident.clone(), value));
                    plan.args.push(ExampleArg::Borrow(ident.clone()));
                } else {
                    plan.args.push(ExampleArg::Value(value));
                }
            }
            _ => match documented_number(ident, ty, result) {
                Some(n) => plan.args.push(ExampleArg::Value(ExampleValue::Int(n))),
                // The example's caller gives it, under the parameter's name.
                None => {
                    plan.inputs.push((ident.clone(), ty.clone()));
                    plan.args.push(if borrowed {
                        ExampleArg::Borrow(ident.clone())
                    } else {
                        ExampleArg::Value(ExampleValue::Input(ident.clone()))
                    });
                }
            },
        }
    }
    body(types, input, &mut plan);
    if let Some(set) = input.options {
        plan.setters = option_setters(types, set);
    }
    plan.outcome = outcome(types, input);
    plan
}

/// A number argument's documented value: the field it is named after (`event_t` is the
/// event's `t`) in the operation's documented result.
fn documented_number(ident: &str, ty: &RustTy, result: Option<&Json>) -> Option<i64> {
    if !matches!(ty, RustTy::I64 | RustTy::Number) {
        return None;
    }
    let field = ident.rsplit('_').next().unwrap_or(ident);
    result?.get(field)?.as_i64()
}

fn body(types: &Types<'_>, input: &Input<'_>, plan: &mut ExamplePlan) {
    let BodyPlan::Sent { ty, .. } = &input.op.body else {
        return;
    };
    let documented = input.ir.examples.request.as_ref();
    let value = match ty {
        Some(t) => documented
            .and_then(|json| types.value(t, json, true))
            .or_else(|| types.value(t, &Json::Object(Default::default()), true)),
        None => {
            let json = documented
                .cloned()
                .unwrap_or_else(|| Json::Object(Default::default()));
            plan.body_note = Some(format!(
                "The reference documents this body only as `{json}`; any `Serialize` value is \
                 sent as its JSON."
            ));
            Some(ExampleValue::Json(json))
        }
    };
    if let Some(value) = value {
        plan.bindings.push(("body".into(), value));
        plan.args.push(ExampleArg::Borrow("body".into()));
    }
}

/// The option setters an example shows: those that narrow what comes back by a value the
/// examples give (an id, a kind), not flags that change what the call does.
fn option_setters(types: &Types<'_>, set: &OptionSetPlan) -> Vec<SetterValue> {
    set.fields
        .iter()
        .filter_map(|f| {
            let value = match &f.ty {
                RustTy::Id(id) => ExampleValue::Str(types.id_value(id)),
                RustTy::Data(name) => match types.item(name).map(|i| &i.shape) {
                    Some(Shape::Enum(e)) => ExampleValue::Enum {
                        ty: name.clone(),
                        variant: e.literals.first()?.ident.clone(),
                    },
                    _ => return None,
                },
                _ => return None,
            };
            Some(SetterValue {
                setter: f.setter.clone(),
                value,
                note: None,
            })
        })
        .collect()
}

fn outcome(types: &Types<'_>, input: &Input<'_>) -> Outcome {
    let (result, awaited) = match &input.op.receive {
        ReceivePlan::Empty => return Outcome::Done,
        ReceivePlan::Binary => {
            return Outcome::Download {
                file: download_file(input),
            };
        }
        ReceivePlan::Json { result, awaited } => (result, awaited),
    };
    let one = singular(input.module);
    if let Some(stream) = input.stream {
        return Outcome::Stream {
            stream: plural(&one),
            read: headline(types, &stream.item, &one, 0),
            item: one,
        };
    }
    let read = headline(types, result, &one, 0);
    if matches!(awaited, RustTy::Option(_)) {
        return Outcome::Deleted {
            name: "deleted".into(),
            read,
        };
    }
    Outcome::Json {
        name: result_name(input, result),
        read,
    }
}

/// The result's binding: a list's items in the plural; else what the call did (`created`,
/// `validated`), or for a read the resource (`site`).
fn result_name(input: &Input<'_>, result: &RustTy) -> String {
    if let RustTy::Vec(_) = result {
        return plural(&singular(input.module));
    }
    match &input.ir.role {
        Role::Create | Role::CreateItem => "created".into(),
        Role::Update | Role::Edit | Role::BulkUpdate | Role::BulkEdit => "updated".into(),
        Role::Delete | Role::DeleteAll => "deleted".into(),
        Role::Get => singular(input.module),
        Role::List => snake(input.module),
        Role::Action { .. } => {
            let verb = input
                .op
                .method
                .rsplit('_')
                .next()
                .unwrap_or(&input.op.method);
            if verb.ends_with('e') {
                format!("{verb}d")
            } else {
                format!("{verb}ed")
            }
        }
    }
}

/// A word in the plural (`pcap` -> `pcaps`, `ownership` -> `ownerships`).
fn plural(one: &str) -> String {
    if one.ends_with('s') {
        format!("{one}es")
    } else {
        format!("{one}s")
    }
}

/// A value's binding: its type's name in snake case.
fn binding_of(ty: &RustTy) -> String {
    match ty.data() {
        Some(name) => snake(name),
        None => "item".into(),
    }
}

/// Each item's binding in a list field: the field's name in the singular, or the resource's
/// when the field is only called `items`.
fn item_binding(field: &str, one: &str) -> String {
    if field == "items" {
        one.to_string()
    } else {
        singular(field)
    }
}

/// The file a download is written to: named after the resource, with the kind of file the
/// reference says it is as the extension when it names one (`a binary PCAP file`).
fn download_file(input: &Input<'_>) -> String {
    let one = singular(input.module);
    let note = match &input.ir.response {
        Response::Binary { note } => note.to_ascii_lowercase(),
        _ => String::new(),
    };
    let ext = if note.contains(&format!("{} file", one.replace('_', " "))) {
        one.clone()
    } else {
        "bin".into()
    };
    format!("{one}.{ext}")
}

/// The one line that says most about a value: its own id, its name, a secret it carries, the
/// items it lists, the object it wraps, a union's kind; else its first field that prints (an
/// enum first: a kind or a state says more than a count), else the value itself. `one` is the
/// resource's item in words (`event`), for items of a field only called `items`.
fn headline(types: &Types<'_>, ty: &RustTy, one: &str, depth: usize) -> Read {
    if depth > 4 {
        return Read::Debug;
    }
    if let RustTy::Vec(item) = ty {
        return Read::Each {
            field: None,
            item: one.to_string(),
            read: Box::new(headline(types, item, one, depth + 1)),
        };
    }
    if let Some((_, u)) = types.union(ty) {
        return ["id", "name"]
            .iter()
            .find_map(|want| u.accessors.iter().find(|a| a.wire == *want))
            .map(|a| Read::Accessor {
                method: a.method.clone(),
            })
            .or_else(|| u.kind.as_ref().map(|_| Read::Kind))
            .unwrap_or(Read::Debug);
    }
    let Some((_, s)) = types.structure(ty) else {
        return Read::Debug;
    };
    let field = |f: &super::super::FieldPlan| Read::Field {
        field: f.ident.clone(),
        display: f.required && types.displays(&f.ty),
    };
    if let Some(f) = s
        .fields
        .iter()
        .find(|f| f.wire == "id" && f.typed_id.is_some())
        .or_else(|| s.fields.iter().find(|f| f.wire == "name"))
    {
        return field(f);
    }
    if let Some(f) = s
        .fields
        .iter()
        .find(|f| matches!(f.ty.inner(), RustTy::Secret(_)))
    {
        return Read::Secret {
            field: f.ident.clone(),
            required: f.required,
        };
    }
    let lists: Vec<_> = s
        .fields
        .iter()
        .filter(|f| matches!(f.ty.inner(), RustTy::Vec(t) if t.data().is_some()))
        .collect();
    let objects: Vec<_> = s
        .fields
        .iter()
        .filter(|f| types.structure(f.ty.inner()).is_some() || types.union(f.ty.inner()).is_some())
        .collect();
    match (lists.as_slice(), objects.as_slice()) {
        ([list], _) => {
            if let RustTy::Vec(item) = list.ty.inner() {
                return Read::Each {
                    field: Some((list.ident.clone(), list.required)),
                    item: item_binding(&list.ident, one),
                    read: Box::new(headline(types, item, one, depth + 1)),
                };
            }
        }
        ([], [object]) => {
            return Read::Within {
                field: object.ident.clone(),
                required: object.required,
                name: binding_of(object.ty.inner()),
                read: Box::new(headline(types, object.ty.inner(), one, depth + 1)),
            };
        }
        _ => {}
    }
    let prints = |f: &&super::super::FieldPlan| f.required && types.displays(&f.ty);
    s.fields
        .iter()
        .filter(prints)
        .find(|f| matches!(f.ty, RustTy::Data(_)))
        .or_else(|| s.fields.iter().find(prints))
        .or_else(|| s.fields.first())
        .map_or(Read::Debug, field)
}
