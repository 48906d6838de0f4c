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

mod case;
mod graph;
mod ids;
mod ops;
mod shapes;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use case::{
    article, camel, field_names, heading_phrase, is_keyword, phrase, singular, snake, words,
};
use graph::{Parent, Use, collect_uses, parent_first, reachable, request_only};
pub use graph::{body_roots, reachable_from, ref_id};
pub use ids::{IdTypes, id_fields, id_named, id_types, shared_id_words};
use ops::VERBS;
pub use ops::{OpName, op_names};
use shapes::{concept_name, is_answer_name, parent_stem, rename_key, shape_name, shared_stem};

use crate::ir::{Defs, Ir, Origin, TypeDef};

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
    "Secret",
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

/// Whether a shape is the body of an operation (its first use is the body itself).
fn is_body(def: &TypeDef) -> bool {
    def.used_at.first().is_some_and(|u| {
        let last = u.rsplit(" > ").next();
        last == Some("body") || last == Some("Body Parameters")
    })
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
    /// Definition id -> the rule that named it (see the module documentation), for
    /// `cargo xtask names`.
    pub rules: BTreeMap<String, String>,
    /// Definition id -> what it is in the reference's terms (its name, or where an unnamed
    /// shape is used), for messages and `cargo xtask names`; never an internal id.
    pub described: BTreeMap<String, String>,
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

/// Decides every type name. `renames` comes from the refinements' `[names]` (recorded in the
/// IR). The passes run in a fixed order: reference names, then answers named as concepts and
/// unnamed shapes (parents before children), then documentation and aliases.
pub fn decide(
    ir: &Ir,
    renames: &BTreeMap<String, String>,
    ops: &[OpName],
) -> Result<Names, String> {
    let defs = ir.defs();
    let mut naming = Naming {
        ir,
        emitted: reachable(ir, &defs),
        uses: collect_uses(ir),
        request_only: request_only(ir, &defs),
        defs,
        ops,
        renames,
        names: Names {
            ops: ops.to_vec(),
            ..Names::default()
        },
        // Names the crate root already exports (the runtime) or the prelude has: a generated
        // type of that name would be shadowed or shadow them.
        taken: RESERVED
            .iter()
            .map(|r| (r.to_string(), format!("the crate's `{r}`")))
            .collect(),
        used_renames: BTreeSet::new(),
    };
    let pending = naming.reference_names();
    naming.shape_names(&pending);
    naming.check_renames()?;
    naming.docs();
    naming.aliases();
    Ok(naming.names)
}

/// The state of one naming run.
struct Naming<'a> {
    ir: &'a Ir,
    defs: Defs<'a>,
    /// Definitions the emitted code reaches.
    emitted: BTreeSet<&'a str>,
    uses: HashMap<String, Vec<Use>>,
    /// Definitions only request bodies use.
    request_only: BTreeSet<&'a str>,
    ops: &'a [OpName],
    renames: &'a BTreeMap<String, String>,
    names: Names,
    /// Name -> what holds it.
    taken: BTreeMap<String, String>,
    used_renames: BTreeSet<&'a str>,
}

impl<'a> Naming<'a> {
    /// Takes the first free candidate; when all are taken, the first with a number appended.
    /// Anything but the first candidate is a collision, and is reported.
    fn claim(&mut self, id: &str, candidates: Vec<String>, rule: &str) {
        let wanted = candidates
            .first()
            .cloned()
            .unwrap_or_else(|| id.to_string());
        let mut chosen = candidates
            .iter()
            .find(|c| !self.taken.contains_key(*c))
            .cloned();
        if chosen.is_none() {
            let mut n = 2;
            while self.taken.contains_key(&format!("{wanted}{n}")) {
                n += 1;
            }
            chosen = Some(format!("{wanted}{n}"));
        }
        let chosen = chosen.unwrap_or_default();
        let mut rule = rule.to_string();
        if chosen != wanted {
            let holder = self.taken.get(&wanted).cloned().unwrap_or_default();
            let holder = match self.names.types.get(&holder) {
                Some(name) => format!("`{name}` ({})", self.describe(&holder)),
                None => holder,
            };
            self.names.collisions.push(format!(
                "`{wanted}` (wanted for {}) is taken by {holder}; named `{chosen}`",
                self.describe(id)
            ));
            rule.push_str(&format!("; `{wanted}` was taken"));
        }
        self.taken.insert(chosen.clone(), id.to_string());
        self.names.types.insert(id.to_string(), chosen);
        self.names.rules.insert(id.to_string(), rule);
        let described = self.describe(id);
        self.names.described.insert(id.to_string(), described);
    }

    /// What a definition is, in the reference's terms: its name, or for an unnamed shape the
    /// first place it is used (never an internal id).
    pub(crate) fn describe(&self, id: &str) -> String {
        let Some(def) = self.defs.get(id) else {
            return format!("`{id}`");
        };
        let place = def
            .used_at
            .first()
            .map(|u| u.rsplit(" > ").next().unwrap_or(u).to_string());
        match (&def.name, place) {
            (Some(name), Some(place)) if id.contains('~') => {
                format!("the reference's `{name}` at `{place}`")
            }
            (Some(name), _) => format!("the reference's `{name}`"),
            (None, Some(place)) => format!("the unnamed shape at `{place}`"),
            (None, None) => "an unnamed shape".to_string(),
        }
    }

    /// The fallbacks after a wanted name, in order: `…Request` for shapes only requests use, the
    /// parents' shared stem in front, then the first parent's full name with `Item`/the name.
    fn fallbacks(
        &self,
        id: &str,
        wanted: &str,
        stem: Option<String>,
        parent: Option<String>,
    ) -> Vec<String> {
        let mut out = vec![wanted.to_string()];
        if self.request_only.contains(id) {
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
    }

    /// Pass 1: reference names (and renames of them), in IR order. Returns the definitions left
    /// for pass 2: unnamed shapes and answers that name a concept.
    fn reference_names(&mut self) -> Vec<&'a TypeDef> {
        let ir = self.ir;
        let mut pending = Vec::new();
        for def in ir.types.iter().chain(&ir.shapes) {
            if !self.emitted.contains(def.id.as_str()) || def.same_shape_as.is_some() {
                continue;
            }
            let Some(name) = &def.name else {
                pending.push(def);
                continue;
            };
            if let Some((key, rename)) = self.renames.get_key_value(name) {
                self.used_renames.insert(key);
                // A rename of a name the reference uses twice (a response and a request shape
                // both called `AccountApp`) gives the request-only one `…Request`.
                let candidates = self.fallbacks(&def.id, rename, None, None);
                self.claim(&def.id, candidates, "1: `[names]` in spec/refinements.toml");
                continue;
            }
            let answer = def.origin == Origin::Domain && is_answer_name(name);
            if answer && concept_name(def, &self.uses, self.ops).is_some() {
                pending.push(def);
                continue;
            }
            // Domain types sharing one name (`LatestListResponse` under events and under
            // snapshots) are all told apart by their parent resource: `EventLatestListResponse`.
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
            let rule = if shared {
                "2: the reference's name, after its resource (the name is used twice)"
            } else {
                "2: the reference's name"
            };
            let candidates = self.fallbacks(&def.id, &wanted, resource_stem, None);
            self.claim(&def.id, candidates, rule);
        }
        pending
    }

    /// Pass 2: answers named as concepts, then unnamed shapes, parents before children.
    fn shape_names(&mut self, pending: &[&TypeDef]) {
        let order = parent_first(self.ir, &self.defs, &self.emitted);
        for id in order {
            if self.names.types.contains_key(id) || !pending.iter().any(|p| p.id == id) {
                continue;
            }
            let Some(def) = self.defs.get(id) else {
                continue;
            };
            let uses = self.uses.get(id).cloned().unwrap_or_default();
            let stem = shared_stem(&uses, &self.names, self.ops, &self.defs);
            let parent_name = uses.first().map(|u| match &u.parent {
                Parent::Def(p) => self.names.of(p).to_string(),
                other => parent_stem(other, &self.names, self.ops),
            });
            let rename = uses
                .first()
                .and_then(|u| rename_key(u, &self.defs))
                .and_then(|key| self.renames.get_key_value(&key));
            if let Some((key, rename)) = rename {
                self.used_renames.insert(key);
                self.claim(
                    id,
                    vec![rename.clone()],
                    "1: `[names]` in spec/refinements.toml",
                );
                continue;
            }
            let concept = def
                .name
                .as_ref()
                .and_then(|_| concept_name(def, &self.uses, self.ops));
            let (wanted, rule) = match (&def.name, concept) {
                // An answer whose concept name is taken keeps the reference's name.
                (Some(name), Some(concept)) if self.taken.contains_key(&concept) => (
                    camel(name),
                    "2: the reference's name (its concept name is taken)",
                ),
                (_, Some(concept)) => (
                    concept,
                    "2: an answer named after the concept it carries (field or resource name)",
                ),
                (None, None) if self.request_only.contains(id) && is_body(def) => (
                    shape_name(def, &uses, &self.names, self.ops),
                    "4: a request body: resource, verb (when one operation sends it), `Request`",
                ),
                _ => (
                    shape_name(def, &uses, &self.names, self.ops),
                    "3: an unnamed shape: its field name, or its parent's stem and field",
                ),
            };
            let candidates = self.fallbacks(id, &wanted, stem, parent_name);
            self.claim(id, candidates, rule);
        }
    }

    /// Every `[names]` key must have named something.
    fn check_renames(&self) -> Result<(), String> {
        match self
            .renames
            .keys()
            .find(|k| !self.used_renames.contains(k.as_str()))
        {
            Some(key) => Err(format!(
                "spec/refinements.toml [names] `{key}`: expected a reference name or \
                 `Type.field` of an emitted type. The reference may have renamed or removed it: \
                 point the entry at the new name or delete it (`cargo xtask diff \
                 <last-good-revision>` lists what changed)"
            )),
            None => Ok(()),
        }
    }

    /// Documentation for undescribed definitions, from their first use.
    fn docs(&mut self) {
        for (id, def_uses) in &self.uses {
            let Some(first) = def_uses.first() else {
                continue;
            };
            let op_text = |op: usize| {
                let o = &self.ir.operations[op];
                format!("{} (`{} {}`)", o.title, o.method.as_str(), o.path)
            };
            let text = match &first.parent {
                Parent::Def(parent) => {
                    let is_union = self
                        .ir
                        .def(parent)
                        .is_some_and(|d| matches!(d.body, crate::ir::TypeBody::Union { .. }));
                    if is_union {
                        // A union's alternative: say which union, and the reference's name.
                        format!(
                            "One form of [`{}`] (the reference's `{}`).",
                            self.names.of(parent),
                            first.field
                        )
                    } else {
                        format!("The `{}` of [`{}`].", first.field, self.names.of(parent))
                    }
                }
                Parent::Body(op) => format!("The request body of {}.", op_text(*op)),
                Parent::Result { op, .. } => format!("The result of {}.", op_text(*op)),
                Parent::Param(op) => {
                    format!("The `{}` parameter of {}.", first.field, op_text(*op))
                }
            };
            self.names.docs.insert(id.clone(), text);
        }
    }

    /// Aliases: reference names of domain types not emitted under that name.
    fn aliases(&mut self) {
        let ir = self.ir;
        for def in &ir.types {
            let Some(name) = &def.name else { continue };
            let target = def.same_shape_as.as_deref().unwrap_or(&def.id);
            let alias = camel(name);
            let shared = ir
                .types
                .iter()
                .filter(|t| t.name.as_deref() == Some(name.as_str()))
                .count()
                > 1;
            if shared {
                continue;
            }
            let is_emitted_as_itself = self.names.types.get(target).is_some_and(|n| *n == alias);
            if self.emitted.contains(target)
                && !is_emitted_as_itself
                && !self.taken.contains_key(&alias)
            {
                self.taken.insert(alias.clone(), def.id.clone());
                self.names.aliases.push((alias, target.to_string()));
            }
        }
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
