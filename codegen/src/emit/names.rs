//! Rust names for everything the emitter writes, decided once, before any code is written.
//!
//! Case conversion is acronym-aware (`GRETunnel` -> `GreTunnel`, `PCAPs` -> `Pcaps`, never heck's
//! `PcaPs`), because the reference's names glue acronyms and plurals together.
//!
//! Type names are claimed in a fixed order, and a name that is taken is never silently reused:
//!
//! 1. a rename from `spec/refinements.toml` `[names]` (keys: a reference name, or `Type.field`
//!    for an unnamed shape);
//! 2. the reference's own name, for named types. A name ending in `{Verb}Response` names an
//!    operation's answer, not a concept, so when the same definition is also a field's value
//!    under two or more field names (`gre_tunnel`, `gre_tunnels[]`, `modified_gre_tunnel`), the
//!    shortest singular field name names it instead (`GreTunnel`), and when it is the item of a
//!    list operation's result, the resource's singular name does (`Connector`);
//! 3. unnamed objects: the shortest singular field name when used under two or more field names
//!    or parents, else the parent's stem plus the field (`Snapshot` + `disks[]` -> `SnapshotDisk`);
//!    unnamed enums and unions always take the parent's stem plus the field (`PcapStatus`);
//! 4. request bodies: the resource's singular name, the operation's verb and `Request`
//!    (`GreTunnelCreateRequest`).
//!
//! On a collision the parent's stem is put in front; if that is taken too, a number is appended.
//! Every collision is reported (`cargo xtask regenerate` prints them).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ir::{Ir, Operation, Origin, Resource, Response, Segment, Ty, TypeBody, TypeDef};

/// Words of a reference name: `GRETunnelListResponse` -> `GRE`, `Tunnel`, `List`, `Response`;
/// `PCAPsPCAPs` -> `PCAPs`, `PCAPs`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if c == '_' || c == '-' || c == ' ' || c == '.' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            None => false,
            Some(p) => {
                // lower/digit -> Upper: `gre|Tunnel`.
                (c.is_ascii_uppercase() && (p.is_ascii_lowercase() || p.is_ascii_digit()))
                    // Upper run then Upper+lower: `GRE|Tunnel`, but not `PCAP|s`.
                    || (c.is_ascii_uppercase()
                        && p.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase())
                        && !(next == Some('s') && is_acronym_plural(&chars, i + 1)))
            }
        };
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether the `s` at `at` pluralizes the uppercase run before it (`PCAPs`), i.e. it follows two
/// or more capitals and is followed by a capital or the end.
fn is_acronym_plural(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&'s')
        && at >= 2
        && chars[at - 1].is_ascii_uppercase()
        && chars[at - 2].is_ascii_uppercase()
        && chars.get(at + 1).is_none_or(|c| c.is_ascii_uppercase())
}

/// `UpperCamelCase` from any reference name or snake_case name.
pub fn camel(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut cs = lower.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Whether a name is a Rust keyword (strict or reserved).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `snake_case` from any reference name or snake_case name.
pub fn snake(name: &str) -> String {
    // Most names (wire field names) already are snake case: nothing to split.
    let already = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.starts_with('_')
        && !name.ends_with('_')
        && !name.contains("__");
    if already {
        return name.to_string();
    }
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// English singular of a snake_case name's last word (`gre_tunnels` -> `gre_tunnel`,
/// `custom_remote_identities` -> `custom_remote_identity`, `addresses` -> `address`).
pub fn singular(name: &str) -> String {
    let (head, last) = match name.rfind('_') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let one = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if last.ends_with("sses")
        || last.ends_with("xes")
        || last.ends_with("ches")
        || last.ends_with("shes")
    {
        last[..last.len() - 2].to_string()
    } else if last.ends_with('s')
        && !last.ends_with("ss")
        && !last.ends_with("us")
        && last.len() > 2
    {
        last[..last.len() - 1].to_string()
    } else {
        last.to_string()
    };
    format!("{head}{one}")
}

/// Rust keywords that cannot be field names.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Rust field names for an object's wire names, in order: snake case, `type` becomes `kind`
/// (or `type_` when `kind` is taken), other keywords get a trailing `_`. The last entry is the
/// name of the catch-all map of unknown fields (`extra`, or `extra_fields` if `extra` is taken).
pub fn field_names(wire: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(wire.len() + 1);
    let plain: BTreeSet<String> = wire.iter().map(|w| snake(w)).collect();
    for w in wire {
        let s = snake(w);
        let name = if s == "type" {
            if plain.contains("kind") {
                "type_".to_string()
            } else {
                "kind".to_string()
            }
        } else if KEYWORDS.contains(&s.as_str()) {
            format!("{s}_")
        } else if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
            format!("field_{s}")
        } else {
            s
        };
        // Two wire names with one snake form (`fooBar`, `foo_bar`) get distinct fields.
        let mut unique = name.clone();
        let mut n = 2;
        while out.contains(&unique) {
            unique = format!("{name}_{n}");
            n += 1;
        }
        out.push(unique);
    }
    let mut extra = String::from("extra");
    while out.contains(&extra) || plain.contains(&extra) {
        extra.push_str("_fields");
    }
    out.push(extra);
    out
}

/// Names generated types never take.
const RESERVED: &[&str] = &[
    "ApiMessage",
    "ApiMessageSource",
    "ApiResponse",
    "Binary",
    "Call",
    "CallOptions",
    "Client",
    "ClientBuilder",
    "ConfigError",
    "Credentials",
    "Download",
    "Empty",
    "Error",
    "Number",
    "Nullable",
    "Json",
    "PathBuilder",
    "RawRequest",
    "Receive",
    "ResultInfo",
    "RetryPolicy",
    "Result",
    "Option",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
];

/// The verbs the operation names use, longest first (stripped from `{Stem}{Verb}Response`).
const VERBS: &[&str] = &[
    "BulkUpdate",
    "DeleteAll",
    "Create",
    "Update",
    "Delete",
    "List",
    "Edit",
    "Get",
    "Empty",
];

/// The stem of a type name for prefixing: `SnapshotGetResponse` -> `Snapshot`, `HealthCheck` ->
/// `HealthCheck`, `GreTunnelCreateRequest` -> `GreTunnel`.
pub fn stem(rust_name: &str) -> &str {
    for suffix in ["Response", "Request", "Result"] {
        if let Some(rest) = rust_name.strip_suffix(suffix) {
            for verb in VERBS {
                if let Some(stem) = rest.strip_suffix(verb) {
                    if !stem.is_empty() {
                        return stem;
                    }
                }
            }
            if !rest.is_empty() {
                return rest;
            }
        }
    }
    rust_name
}

/// Where a definition is used.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Parent {
    Def(String),
    Body(usize),
    Result { op: usize, list: bool },
    Param(usize),
}

#[derive(Debug, Clone)]
struct Use {
    parent: Parent,
    field: String,
}

/// How an operation is called and what its types are named after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpName {
    /// The method on the resource handle (`list`, `bulk_update`, `psk_generate`).
    pub method: String,
    /// `UpperCamel` verb for type names (`List`, `BulkUpdate`).
    pub verb: String,
    /// The resource's singular `UpperCamel` name (`GreTunnel`).
    pub noun: String,
}

/// Every name the emitter needs.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Definition id -> Rust type name, for every definition that is emitted.
    pub types: BTreeMap<String, String>,
    /// Reference names that are not emitted as types of their own, as `(alias, target id)`.
    pub aliases: Vec<(String, String)>,
    /// Per operation: method and type-name parts.
    pub ops: Vec<OpName>,
    /// Collisions found and how each was resolved.
    pub collisions: Vec<String>,
    /// Documentation for definitions the reference leaves undescribed, from where they are used.
    pub docs: BTreeMap<String, String>,
}

impl Names {
    /// Documentation for a definition without a description of its own.
    pub fn fallback_doc(&self, id: &str) -> String {
        self.docs
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("`{id}`."))
    }

    /// The Rust name of a definition (the id itself if it was never named, which the emitter
    /// reports as an error before writing anything).
    pub fn of<'a>(&'a self, id: &'a str) -> &'a str {
        self.types.get(id).map(String::as_str).unwrap_or(id)
    }
}

/// Operation names from path shape: relative to the resource prefix, an empty rest is the
/// collection (`list`, `create`, `bulk_update`, `bulk_edit`, `delete_all`), a lone parameter is
/// the item (`get`, `update`, `edit`, `delete`, `create_item`), and a trailing literal names an
/// action (`psk_generate`, `stop`, `validate`, `download`).
pub fn op_names(ir: &Ir) -> Result<Vec<OpName>, String> {
    let mut prefix_of: HashMap<usize, (&Resource, usize)> = HashMap::new();
    fn walk<'a>(r: &'a Resource, out: &mut HashMap<usize, (&'a Resource, usize)>) {
        let depth = r.path_prefix.matches('/').count();
        for &op in &r.operations {
            out.insert(op, (r, depth));
        }
        r.children.iter().for_each(|c| walk(c, out));
    }
    ir.resources.iter().for_each(|r| walk(r, &mut prefix_of));
    let mut out = Vec::with_capacity(ir.operations.len());
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, op) in ir.operations.iter().enumerate() {
        let Some((resource, depth)) = prefix_of.get(&i) else {
            return Err(format!(
                "{} {} belongs to no resource",
                op.method.as_str(),
                op.path
            ));
        };
        let rest = op.segments.get(*depth..).unwrap_or(&[]);
        let method = method_name(op, rest);
        let key = (resource.id.clone(), method.clone());
        if let Some(other) = seen.insert(key, i) {
            return Err(format!(
                "`{}` and `{}` would both be `{}.{method}`",
                ir.operations[other].title, op.title, resource.id
            ));
        }
        out.push(OpName {
            verb: camel(&method),
            noun: camel(&singular(&resource.module)),
            method,
        });
    }
    Ok(out)
}

fn method_name(op: &Operation, rest: &[Segment]) -> String {
    use crate::ir::Method::*;
    let is_param = |s: &Segment| !matches!(s, Segment::Literal { .. });
    match rest {
        [] => match op.method {
            Get => "list",
            Post => "create",
            Put => "bulk_update",
            Patch => "bulk_edit",
            Delete => "delete_all",
        }
        .to_string(),
        [p] if is_param(p) => match op.method {
            Get => "get",
            Post => "create_item",
            Put => "update",
            Patch => "edit",
            Delete => "delete",
        }
        .to_string(),
        _ => match rest.last() {
            Some(Segment::Literal { text }) => snake(text),
            _ => format!("{}_item", op.method.as_str().to_ascii_lowercase()),
        },
    }
}

/// Decides every type name. `renames` comes from the refinements' `[names]`.
pub fn decide(
    ir: &Ir,
    renames: &BTreeMap<String, String>,
    ops: &[OpName],
) -> Result<Names, String> {
    let defs: HashMap<&str, &TypeDef> = ir.defs().0;
    let emitted = reachable(ir, &defs);
    let uses = collect_uses(ir);
    let mut names = Names {
        ops: ops.to_vec(),
        ..Names::default()
    };
    // Names the crate root already exports (the runtime) or the prelude has: a generated type of
    // that name would be shadowed or shadow them.
    let mut taken: BTreeMap<String, String> = RESERVED
        .iter()
        .map(|r| (r.to_string(), format!("the crate's `{r}`")))
        .collect();
    let mut used_renames: BTreeSet<&str> = BTreeSet::new();

    let request_only = request_only(ir, &defs);
    // Takes the first free candidate; when all are taken, the first with a number appended.
    // Anything but the first candidate is a collision, and is reported.
    let claim = |id: &str,
                 candidates: Vec<String>,
                 names: &mut Names,
                 taken: &mut BTreeMap<String, String>| {
        let wanted = candidates
            .first()
            .cloned()
            .unwrap_or_else(|| id.to_string());
        let mut chosen = candidates.iter().find(|c| !taken.contains_key(*c)).cloned();
        if chosen.is_none() {
            let mut n = 2;
            while taken.contains_key(&format!("{wanted}{n}")) {
                n += 1;
            }
            chosen = Some(format!("{wanted}{n}"));
        }
        let chosen = chosen.unwrap_or_default();
        if chosen != wanted {
            names.collisions.push(format!(
                "`{wanted}` (for `{id}`) is taken by `{}`; named `{chosen}`",
                taken.get(&wanted).cloned().unwrap_or_default()
            ));
        }
        taken.insert(chosen.clone(), id.to_string());
        names.types.insert(id.to_string(), chosen);
    };
    // The fallbacks after a wanted name, in order: `…Request` for shapes only requests use, the
    // parents' shared stem in front, then the first parent's full name with `Item`/the name.
    let fallbacks =
        |id: &str, wanted: &str, stem: Option<String>, parent: Option<String>| -> Vec<String> {
            let mut out = vec![wanted.to_string()];
            if request_only.contains(id) {
                out.push(format!("{wanted}Request"));
            }
            if let Some(stem) = stem.filter(|s| !wanted.starts_with(s.as_str())) {
                out.push(format!("{stem}{wanted}"));
            }
            if let Some(parent) = parent {
                let base = parent.strip_suffix("Request").unwrap_or(&parent);
                let tail = if base.starts_with(wanted) {
                    "Item"
                } else {
                    wanted
                };
                out.push(format!("{base}{tail}"));
            }
            out
        };

    // Pass 1: reference names (and renames of them), in IR order.
    let mut pending: Vec<&TypeDef> = Vec::new();
    for def in ir.types.iter().chain(&ir.shapes) {
        if !emitted.contains(def.id.as_str()) || def.same_shape_as.is_some() {
            continue;
        }
        let Some(name) = &def.name else {
            pending.push(def);
            continue;
        };
        if let Some(rename) = renames.get(name) {
            used_renames.insert(name);
            claim(&def.id, vec![rename.clone()], &mut names, &mut taken);
            continue;
        }
        let answer = def.origin == Origin::Domain && is_answer_name(name);
        if answer && concept_name(def, &uses, ops).is_some() {
            pending.push(def);
            continue;
        }
        // Domain types sharing one name (`LatestListResponse` under events and under snapshots)
        // are all told apart by their parent resource: `EventLatestListResponse`.
        let shared = ir
            .types
            .iter()
            .filter(|t| t.name.as_deref() == Some(name.as_str()))
            .count()
            > 1;
        let resource_stem = def
            .resource
            .as_deref()
            .and_then(|r| r.rsplit('.').nth(1))
            .map(|parent_module| camel(&singular(parent_module)));
        let wanted = match (&resource_stem, shared) {
            (Some(stem), true) => format!("{stem}{}", camel(name)),
            _ => camel(name),
        };
        let candidates = fallbacks(&def.id, &wanted, resource_stem, None);
        claim(&def.id, candidates, &mut names, &mut taken);
    }
    // Pass 2: answers named as concepts, then unnamed shapes, parents before children.
    let order = parent_first(ir, &defs, &emitted);
    for id in order {
        if names.types.contains_key(id) {
            continue;
        }
        let Some(def) = defs.get(id) else { continue };
        if !pending.iter().any(|p| p.id == def.id) {
            continue;
        }
        let def_uses = uses.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let stem = shared_stem(def_uses, &names, ops, &defs);
        let parent_name = def_uses.first().map(|u| match &u.parent {
            Parent::Def(p) => names.of(p).to_string(),
            other => parent_stem(other, &names, ops),
        });
        if let Some(path_key) = def_uses.first().and_then(|u| rename_key(u, &defs)) {
            if let Some(rename) = renames.get(&path_key) {
                used_renames.insert(
                    renames
                        .get_key_value(&path_key)
                        .map(|(k, _)| k.as_str())
                        .unwrap_or(""),
                );
                claim(id, vec![rename.clone()], &mut names, &mut taken);
                continue;
            }
        }
        let wanted = match (
            &def.name,
            def.name
                .as_ref()
                .and_then(|_| concept_name(def, &uses, ops)),
        ) {
            // An answer whose concept name is taken keeps the reference's name.
            (Some(name), Some(concept)) if taken.contains_key(&concept) => camel(name),
            (_, Some(concept)) => concept,
            _ => shape_name(def, def_uses, &names, ops),
        };
        let candidates = fallbacks(id, &wanted, stem, parent_name);
        claim(id, candidates, &mut names, &mut taken);
    }
    for key in renames.keys() {
        if !used_renames.contains(key.as_str()) {
            return Err(format!(
                "spec/refinements.toml [names] `{key}`: expected a reference name or \
                 `Type.field` of an emitted type. The reference may have renamed or removed it: \
                 point the entry at the new name or delete it (`cargo xtask diff \
                 <last-good-revision>` lists what changed)"
            ));
        }
    }
    // Documentation for undescribed definitions, from their first use.
    for (id, def_uses) in &uses {
        let Some(first) = def_uses.first() else {
            continue;
        };
        let text = match &first.parent {
            Parent::Def(parent) => format!("The `{}` of [`{}`].", first.field, names.of(parent)),
            Parent::Body(op) => {
                let o = &ir.operations[*op];
                format!(
                    "The request body of {} (`{} {}`).",
                    o.title,
                    o.method.as_str(),
                    o.path
                )
            }
            Parent::Result { op, .. } => {
                let o = &ir.operations[*op];
                format!(
                    "The result of {} (`{} {}`).",
                    o.title,
                    o.method.as_str(),
                    o.path
                )
            }
            Parent::Param(op) => {
                let o = &ir.operations[*op];
                format!(
                    "The `{}` parameter of {} (`{} {}`).",
                    first.field,
                    o.title,
                    o.method.as_str(),
                    o.path
                )
            }
        };
        names.docs.insert(id.clone(), text);
    }
    // Aliases: reference names of domain types not emitted under that name.
    for def in &ir.types {
        let Some(name) = &def.name else { continue };
        let target = def.same_shape_as.as_deref().unwrap_or(&def.id);
        let alias = camel(name);
        if ir
            .types
            .iter()
            .filter(|t| t.name.as_deref() == Some(name.as_str()))
            .count()
            > 1
        {
            continue;
        }
        let is_emitted_as_itself = names.types.get(target).is_some_and(|n| *n == alias);
        if emitted.contains(target) && !is_emitted_as_itself && !taken.contains_key(&alias) {
            taken.insert(alias.clone(), def.id.clone());
            names.aliases.push((alias, target.to_string()));
        }
    }
    Ok(names)
}

/// A reference name that names an operation's answer (`…Response`).
fn is_answer_name(name: &str) -> bool {
    camel(name).ends_with("Response")
}

/// The concept an answer type stands for, if any (rule 2).
fn concept_name(def: &TypeDef, uses: &HashMap<String, Vec<Use>>, ops: &[OpName]) -> Option<String> {
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
fn shape_name(def: &TypeDef, uses: &[Use], names: &Names, ops: &[OpName]) -> String {
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
fn shared_stem(
    uses: &[Use],
    names: &Names,
    ops: &[OpName],
    defs: &HashMap<&str, &TypeDef>,
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

fn parent_stem(parent: &Parent, names: &Names, ops: &[OpName]) -> String {
    match parent {
        Parent::Def(id) => stem(names.of(id)).to_string(),
        Parent::Body(op) | Parent::Result { op, .. } | Parent::Param(op) => ops
            .get(*op)
            .map(|o| format!("{}{}", o.noun, o.verb))
            .unwrap_or_default(),
    }
}

/// `Type.field` key for a rename of an unnamed shape, from its first use.
fn rename_key(u: &Use, defs: &HashMap<&str, &TypeDef>) -> Option<String> {
    match &u.parent {
        Parent::Def(id) => defs
            .get(id.as_str())
            .and_then(|d| d.name.clone())
            .map(|n| format!("{n}.{}", u.field)),
        _ => None,
    }
}

/// Every use of every definition, in IR order: fields of definitions first, then operations.
fn collect_uses(ir: &Ir) -> HashMap<String, Vec<Use>> {
    let mut out: HashMap<String, Vec<Use>> = HashMap::new();
    let mut push = |ty: &Ty, parent: Parent, field: &str| {
        if let Some(id) = ref_id(ty) {
            out.entry(id.to_string()).or_default().push(Use {
                parent,
                field: field.to_string(),
            });
        }
    };
    for def in ir.types.iter().chain(&ir.shapes) {
        if def.same_shape_as.is_some() {
            continue;
        }
        match &def.body {
            TypeBody::Object { fields } => fields
                .iter()
                .for_each(|f| push(&f.ty, Parent::Def(def.id.clone()), &f.name)),
            TypeBody::Union { alternatives, .. } => alternatives.iter().for_each(|a| {
                push(
                    &a.ty,
                    Parent::Def(def.id.clone()),
                    a.name.as_deref().unwrap_or(""),
                )
            }),
            TypeBody::Alias { target: t } => push(t, Parent::Def(def.id.clone()), ""),
            TypeBody::Enum { .. } => {}
        }
    }
    for (i, op) in ir.operations.iter().enumerate() {
        if let Some(b) = &op.body {
            push(&b.ty, Parent::Body(i), "body");
        }
        if let Response::Envelope { result, .. } = &op.response {
            let list = matches!(result, Ty::Array { .. });
            push(result, Parent::Result { op: i, list }, "result");
        }
        for p in &op.params {
            push(&p.field.ty, Parent::Param(i), &p.field.name);
        }
    }
    out
}

/// Definitions the crate emits: reachable from operation bodies, results and parameters (the
/// envelope's own fields are the runtime's business), plus every domain type.
fn reachable<'a>(ir: &'a Ir, defs: &HashMap<&'a str, &'a TypeDef>) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&Ty> = Vec::new();
    for op in &ir.operations {
        if let Some(b) = &op.body {
            stack.push(&b.ty);
        }
        if let Response::Envelope { result, .. } = &op.response {
            stack.push(result);
        }
        stack.extend(op.params.iter().map(|p| &p.field.ty));
    }
    let mut roots: Vec<&str> = ir
        .types
        .iter()
        .map(|t| t.same_shape_as.as_deref().unwrap_or(&t.id))
        .collect();
    while let Some(id) = roots.pop() {
        if let Some(def) = defs.get(id) {
            if seen.insert(def.id.as_str()) {
                body_refs(&def.body, &mut stack);
            }
        }
    }
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::Ref { id } => {
                if let Some(def) = defs.get(id.as_str()) {
                    if seen.insert(def.id.as_str()) {
                        body_refs(&def.body, &mut stack);
                    }
                }
            }
            Ty::Array { items } | Ty::Map { values: items } => stack.push(items),
            _ => {}
        }
    }
    seen
}

fn body_refs<'a>(body: &'a TypeBody, stack: &mut Vec<&'a Ty>) {
    match body {
        TypeBody::Object { fields } => stack.extend(fields.iter().map(|f| &f.ty)),
        TypeBody::Union { alternatives, .. } => stack.extend(alternatives.iter().map(|a| &a.ty)),
        TypeBody::Alias { target } => stack.push(target),
        TypeBody::Enum { .. } => {}
    }
}

/// Definitions only request bodies reach (never a result, parameter or domain type).
/// Every definition reachable from `roots` (through fields, alternatives and aliases).
pub fn reachable_from<'a>(
    roots: Vec<&'a Ty>,
    defs: &HashMap<&'a str, &'a TypeDef>,
) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&'a str> = BTreeSet::new();
    let mut stack = roots;
    while let Some(ty) = stack.pop() {
        let Some(def) = ref_id(ty).and_then(|id| defs.get(id)) else {
            continue;
        };
        if seen.insert(def.id.as_str()) {
            body_refs(&def.body, &mut stack);
        }
    }
    seen
}

/// The request bodies' types, the roots of everything a request sends.
pub fn body_roots(ir: &Ir) -> Vec<&Ty> {
    ir.operations
        .iter()
        .filter_map(|o| o.body.as_ref().map(|b| &b.ty))
        .collect()
}

fn request_only<'a>(ir: &'a Ir, defs: &HashMap<&'a str, &'a TypeDef>) -> BTreeSet<&'a str> {
    let walk = |roots: Vec<&'a Ty>| reachable_from(roots, defs);
    let bodies = walk(body_roots(ir));
    let mut others: Vec<&Ty> = Vec::new();
    for op in &ir.operations {
        if let Response::Envelope { result, .. } = &op.response {
            others.push(result);
        }
        others.extend(op.params.iter().map(|p| &p.field.ty));
    }
    let mut from_others = walk(others);
    for t in &ir.types {
        if let Some(def) = defs.get(t.same_shape_as.as_deref().unwrap_or(&t.id)) {
            if from_others.insert(def.id.as_str()) {
                let mut stack = Vec::new();
                body_refs(&def.body, &mut stack);
                from_others.extend(walk(stack));
            }
        }
    }
    bodies.difference(&from_others).copied().collect()
}

/// Emitted definition ids, parents before children (depth-first from domain types, then from
/// operations in order), so a child's name can use its parent's.
fn parent_first<'a>(
    ir: &'a Ir,
    defs: &HashMap<&'a str, &'a TypeDef>,
    emitted: &BTreeSet<&'a str>,
) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    fn visit<'a>(
        id: &'a str,
        defs: &HashMap<&'a str, &'a TypeDef>,
        emitted: &BTreeSet<&'a str>,
        seen: &mut BTreeSet<&'a str>,
        out: &mut Vec<&'a str>,
    ) {
        if !emitted.contains(id) || !seen.insert(id) {
            return;
        }
        out.push(id);
        let Some(def) = defs.get(id) else { return };
        let mut children = Vec::new();
        body_refs(&def.body, &mut children);
        for ty in children {
            if let Some(child) = ref_id(ty) {
                visit(child, defs, emitted, seen, out);
            }
        }
    }
    for t in &ir.types {
        visit(
            t.same_shape_as.as_deref().unwrap_or(&t.id),
            defs,
            emitted,
            &mut seen,
            &mut out,
        );
    }
    for op in &ir.operations {
        let mut tys: Vec<&Ty> = Vec::new();
        if let Some(b) = &op.body {
            tys.push(&b.ty);
        }
        if let Response::Envelope { result, .. } = &op.response {
            tys.push(result);
        }
        tys.extend(op.params.iter().map(|p| &p.field.ty));
        for ty in tys {
            if let Some(id) = ref_id(ty) {
                visit(id, defs, emitted, &mut seen, &mut out);
            }
        }
    }
    out
}

/// The definition a type refers to, through arrays and maps.
pub fn ref_id(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Ref { id } => Some(id),
        Ty::Array { items } | Ty::Map { values: items } => ref_id(items),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronym_aware_case() {
        assert_eq!(camel("GRETunnelListResponse"), "GreTunnelListResponse");
        assert_eq!(
            camel("IPSECTunnelPSKGenerateResponse"),
            "IpsecTunnelPskGenerateResponse"
        );
        assert_eq!(
            camel("MagicVisibilityPCAPsPCAPsRequestSimple"),
            "MagicVisibilityPcapsPcapsRequestSimple"
        );
        assert_eq!(camel("ACLs"), "Acls");
        assert_eq!(camel("DHCPServer"), "DhcpServer");
        assert_eq!(camel("health_check"), "HealthCheck");
        assert_eq!(camel("magic-transit"), "MagicTransit");
        assert_eq!(camel("BGP_DOWN"), "BgpDown");
        assert_eq!(snake("PCAPs"), "pcaps");
        assert_eq!(snake("LANs"), "lans");
        assert_eq!(snake("cpu_pressure_10s"), "cpu_pressure_10s");
        assert_eq!(camel("lan_1"), "Lan1");
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("gre_tunnels"), "gre_tunnel");
        assert_eq!(
            singular("custom_remote_identities"),
            "custom_remote_identity"
        );
        assert_eq!(singular("ip_addresses"), "ip_address");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("ownership"), "ownership");
        assert_eq!(singular("netdevs"), "netdev");
    }

    #[test]
    fn stems() {
        assert_eq!(stem("SnapshotGetResponse"), "Snapshot");
        assert_eq!(stem("GreTunnelCreateRequest"), "GreTunnel");
        assert_eq!(stem("HealthCheck"), "HealthCheck");
        assert_eq!(stem("ResponseInfo"), "ResponseInfo");
    }

    #[test]
    fn field_names_are_legal_and_distinct() {
        assert_eq!(field_names(&["type", "id"]), ["kind", "id", "extra"]);
        assert_eq!(
            field_names(&["type", "kind", "extra"]),
            ["type_", "kind", "extra", "extra_fields"]
        );
        assert_eq!(field_names(&["match"]), ["match_", "extra"]);
        assert_eq!(
            field_names(&["fooBar", "foo_bar", "extra_fields", "extra"]),
            [
                "foo_bar",
                "foo_bar_2",
                "extra_fields",
                "extra",
                "extra_fields_fields"
            ]
        );
    }
}
