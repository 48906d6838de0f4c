//! The rules that name shapes: answers named after the concept they carry (rule 2), unnamed
//! shapes after their field and parent (rule 3), request bodies after resource and verb (rule
//! 4), and the stem a colliding name is prefixed with.

use std::collections::{BTreeSet, HashMap};

use super::graph::{Parent, Use};
use super::{Names, OpName, camel, singular, stem, words};
use crate::ir::{Defs, TypeBody, TypeDef};

/// A reference name that names an operation's answer (`…Response`).
pub(super) fn is_answer_name(name: &str) -> bool {
    camel(name).ends_with("Response")
}

/// The concept an answer type stands for, if any (rule 2).
pub(super) fn concept_name(
    def: &TypeDef,
    uses: &HashMap<String, Vec<Use>>,
    ops: &[OpName],
) -> Option<String> {
    let def_uses = uses.get(&def.id).map(Vec::as_slice).unwrap_or(&[]);
    let fields: BTreeSet<String> = def_uses
        .iter()
        .filter(|u| matches!(u.parent, Parent::Def(_)))
        .map(|u| singular(&u.field))
        .collect();
    if fields.len() >= 2 {
        return fields
            .iter()
            .min_by_key(|f| (f.len(), (*f).clone()))
            .map(|f| camel(f));
    }
    def_uses.iter().find_map(|u| match u.parent {
        Parent::Result { op, list: true } => ops.get(op).map(|o| o.noun.clone()),
        _ => None,
    })
}

/// Rule 3 and 4: names of unnamed shapes.
pub(super) fn shape_name(def: &TypeDef, uses: &[Use], names: &Names, ops: &[OpName]) -> String {
    let Some(first) = uses.first() else {
        return format!("Shape{}", def.id.trim_start_matches('~'));
    };
    match first.parent {
        Parent::Body(op) => {
            let o = &ops[op];
            // A body several operations of one resource share (PUT and PATCH) is the resource's
            // request, not one verb's.
            let shared = uses.iter().filter_map(|u| match u.parent {
                Parent::Body(other) => ops.get(other),
                _ => None,
            });
            let verbs: BTreeSet<&str> = shared.clone().map(|x| x.verb.as_str()).collect();
            if verbs.len() > 1 && shared.clone().all(|x| x.noun == o.noun) {
                return format!("{}Request", o.noun);
            }
            return format!("{}{}Request", o.noun, o.verb);
        }
        Parent::Result { op, .. } => {
            let o = &ops[op];
            return format!("{}{}Result", o.noun, o.verb);
        }
        _ => {}
    }
    let field = camel(&singular(&first.field));
    let is_object = matches!(def.body, TypeBody::Object { .. });
    let parents: BTreeSet<String> = uses.iter().map(|u| format!("{:?}", u.parent)).collect();
    let fields: BTreeSet<&str> = uses.iter().map(|u| u.field.as_str()).collect();
    if is_object && (parents.len() >= 2 || fields.len() >= 2) {
        let shortest = fields
            .iter()
            .map(|f| singular(f))
            .min_by_key(|f| (f.len(), f.clone()))
            .unwrap_or_default();
        return camel(&shortest);
    }
    let stem = parent_stem(&first.parent, names, ops);
    if stem.ends_with(&field) {
        // `routes[]` of `RouteBulkUpdateRequest` is a `Route`, not a `RouteRoute`.
        return field;
    }
    format!("{stem}{field}")
}

/// The prefix for a colliding name: the camel words every parent's stem ends with
/// (`GreTunnel`, `IpsecTunnel` -> `Tunnel`), else the first parent's stem.
pub(super) fn shared_stem(
    uses: &[Use],
    names: &Names,
    ops: &[OpName],
    defs: &Defs<'_>,
) -> Option<String> {
    // A parent not named yet (names are decided parents first, but a shape has many parents)
    // contributes its reference name; an unnamed one contributes nothing.
    let stems: Vec<Vec<String>> = uses
        .iter()
        .filter_map(|u| match &u.parent {
            Parent::Def(p) => match names.types.get(p) {
                Some(n) => Some(stem(n).to_string()),
                None => defs
                    .get(p.as_str())
                    .and_then(|d| d.name.as_deref())
                    .map(|n| stem(&camel(n)).to_string()),
            },
            _ => None,
        })
        .map(|s| words(&s))
        .collect();
    let first = uses.first().map(|u| parent_stem(&u.parent, names, ops));
    let Some(shortest) = stems.iter().map(Vec::len).min() else {
        return first;
    };
    let common = (1..=shortest)
        .take_while(|&n| {
            stems
                .iter()
                .all(|s| s[s.len() - n..] == stems[0][stems[0].len() - n..])
        })
        .last()
        .unwrap_or(0);
    let distinct: BTreeSet<&Vec<String>> = stems.iter().collect();
    if distinct.len() > 1 && common > 0 {
        let s = &stems[0];
        return Some(s[s.len() - common..].concat());
    }
    first
}

pub(super) fn parent_stem(parent: &Parent, names: &Names, ops: &[OpName]) -> String {
    match parent {
        Parent::Def(id) => stem(names.of(id)).to_string(),
        Parent::Body(op) | Parent::Result { op, .. } | Parent::Param(op) => ops
            .get(*op)
            .map(|o| format!("{}{}", o.noun, o.verb))
            .unwrap_or_default(),
    }
}

/// `Type.field` key for a rename of an unnamed shape, from its first use.
pub(super) fn rename_key(u: &Use, defs: &Defs<'_>) -> Option<String> {
    match &u.parent {
        Parent::Def(id) => defs
            .get(id.as_str())
            .and_then(|d| d.name.clone())
            .map(|n| format!("{n}.{}", u.field)),
        _ => None,
    }
}
