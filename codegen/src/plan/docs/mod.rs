//! The documentation's plan: what each operation's page says (its summary, a description that
//! adds to its title, its optional parameters, the search aliases, an example), what each
//! resource is called in prose, what each data type is and which calls return or take it.
//!
//! Decided here once from the rest of the plan, so the examples name exactly the ids, builders,
//! setters and streams the printed code has; the printers only spell it out.

mod examples;
mod summaries;
mod values;

use std::collections::BTreeMap;

pub use examples::{ExampleArg, ExamplePlan, Outcome, Read};
pub use values::{ExampleValue, SetterValue};

use super::names::{heading_phrase, phrase, singular, snake};
use super::{HandlePlan, ItemPlan, OpPlan, OptionSetPlan, ReceivePlan, Shape, StreamPlan};
use crate::ir::{Ir, Response};
use examples::Input;
use values::Types;

/// What the documentation says, beyond each item's own text.
#[derive(Debug, Clone, Default)]
pub struct DocsPlan {
    /// Per operation, in the plan's order.
    pub ops: Vec<OpDocs>,
    /// Per resource handle, by its path prefix.
    pub handles: BTreeMap<String, HandleDocs>,
    /// The builder types of the request structs (`GreTunnelCreateRequestBuilder`), listed in a
    /// module of their own rather than beside the data types.
    pub builders: Vec<String>,
}

/// One operation's documentation.
#[derive(Debug, Clone)]
pub struct OpDocs {
    /// The first line: the reference's title, method and path.
    pub summary: String,
    /// The reference's description, unless it only repeats the title.
    pub description: Option<String>,
    /// The optional parameters' setters, as one sentence.
    pub options: Option<String>,
    /// Search aliases: the reference's title, verb and resource both ways round.
    pub aliases: Vec<String>,
    /// The method's path for links (`gre_tunnels::GreTunnelsApi::create`).
    pub link: String,
    /// The example.
    pub example: ExamplePlan,
}

/// One resource handle's documentation.
#[derive(Debug, Clone)]
pub struct HandleDocs {
    /// The resource in prose, the product's spelling ("IPsec tunnels").
    pub label: String,
    /// How it is reached (`client.sites().lans()`).
    pub reached: String,
    /// Search aliases for the handle.
    pub aliases: Vec<String>,
}

/// The parts of the plan the documentation is decided from.
pub(super) struct Parts<'p> {
    pub ir: &'p Ir,
    pub ops: &'p [OpPlan],
    pub handles: &'p [HandlePlan],
    pub option_sets: &'p [OptionSetPlan],
    pub streams: &'p [StreamPlan],
}

/// Where an operation is: its handle's module path, handle type and module name.
#[derive(Debug, Clone, Default)]
struct Place {
    path: String,
    handle: String,
    module: String,
}

/// Decides the documentation, and rewrites the data types' and fields' documentation (the
/// `items` the types file prints) to say what each type is and which calls use it.
pub(super) fn plan(parts: &Parts<'_>, items: &mut [ItemPlan]) -> DocsPlan {
    let mut places = vec![Place::default(); parts.ops.len()];
    let mut handles = BTreeMap::new();
    for h in parts.handles {
        handle_docs(h, "", "client", &mut places, &mut handles);
    }
    // Ids from the documented answers first (objects the API made), then from the requests.
    let mut types = Types::new(items);
    for (op, ir) in parts.ops.iter().zip(&parts.ir.operations) {
        if let (ReceivePlan::Json { result, .. }, Some(json)) = (&op.receive, &ir.examples.response)
        {
            let json = match &ir.response {
                Response::Envelope { .. } => json.get("result").unwrap_or(json),
                _ => json,
            };
            types.learn_ids(result, json, 0);
        }
    }
    for (op, ir) in parts.ops.iter().zip(&parts.ir.operations) {
        if let (super::BodyPlan::Sent { ty: Some(t), .. }, Some(json)) =
            (&op.body, &ir.examples.request)
        {
            types.learn_ids(t, json, 0);
        }
    }
    let mut ops = Vec::with_capacity(parts.ops.len());
    for ((op, ir), place) in parts.ops.iter().zip(&parts.ir.operations).zip(&places) {
        let input = Input {
            op,
            ir,
            module: &place.module,
            // An empty set has nothing to say or show.
            options: parts
                .option_sets
                .iter()
                .find(|s| s.rust == op.options && !s.fields.is_empty()),
            stream: match &op.receive {
                ReceivePlan::Json { result, .. } => {
                    parts.streams.iter().find(|s| s.result == *result)
                }
                _ => None,
            },
        };
        let link = format!("{}::{}::{}", place.path, place.handle, op.method);
        ops.push(OpDocs {
            summary: format!("{}: `{} {}`.", op.title, op.http.as_str(), op.template),
            description: description(op),
            options: input.options.map(options_sentence),
            aliases: aliases(op, &place.module),
            link,
            example: examples::example(&types, &input),
        });
    }
    let builders = items
        .iter()
        .filter(|i| matches!(&i.shape, Shape::Struct(s) if s.builder))
        .map(|i| format!("{}Builder", i.rust))
        .collect();
    summaries::apply(items, parts, &ops);
    DocsPlan {
        ops,
        handles,
        builders,
    }
}

/// Records each operation's place and each handle's documentation, through the tree.
fn handle_docs(
    h: &HandlePlan,
    parent_path: &str,
    parent_call: &str,
    places: &mut [Place],
    out: &mut BTreeMap<String, HandleDocs>,
) {
    let path = if parent_path.is_empty() {
        h.module.clone()
    } else {
        format!("{parent_path}::{}", h.module)
    };
    let reached = format!("{parent_call}.{}()", h.module);
    for &i in &h.ops {
        if let Some(place) = places.get_mut(i) {
            *place = Place {
                path: path.clone(),
                handle: h.handle.clone(),
                module: h.module.clone(),
            };
        }
    }
    let label = heading_phrase(&h.title);
    let aliases = nouns(&h.module);
    out.insert(
        h.path_prefix.clone(),
        HandleDocs {
            label,
            reached: reached.clone(),
            aliases: usable_aliases(aliases, &h.handle),
        },
    );
    for c in &h.children {
        handle_docs(c, &path, &reached, places, out);
    }
}

/// The reference's description, unless it says no more than the title (`List Events`).
fn description(op: &OpPlan) -> Option<String> {
    let norm = |s: &str| {
        s.trim()
            .trim_end_matches('.')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let text = op.description.trim();
    (!text.is_empty() && norm(text) != norm(&op.title)).then(|| text.to_string())
}

/// The optional parameters' setters, in one sentence.
fn options_sentence(set: &OptionSetPlan) -> String {
    let setters: Vec<String> = set
        .fields
        .iter()
        .map(|f| format!("`.{}(…)`", f.setter))
        .collect();
    format!(
        "Optional parameters are setters on the call, before it is awaited: {} (see [`{}`](crate::options::{})).",
        setters.join(", "),
        set.rust,
        set.rust
    )
}

/// The words a search may name a resource by: its module in words, in the plural and the
/// singular, and the first word of several (`gre tunnels`, `gre tunnel`, `gre`).
fn nouns(module: &str) -> Vec<String> {
    let plural = phrase(module).to_lowercase();
    let one = phrase(&singular(module)).to_lowercase();
    let mut out = vec![plural.clone(), one];
    if let Some((first, _)) = plural.split_once(' ') {
        out.push(first.to_string());
    }
    out.dedup();
    out
}

/// What a search for the operation may be typed as: the reference's title, and the method's
/// verb with each name of the resource, either way round (`create gre`, `gre tunnel create`).
/// rustdoc ranks an alias first when the whole query is that alias; a query of several words
/// otherwise matches only by its last word.
fn aliases(op: &OpPlan, module: &str) -> Vec<String> {
    let verb = op.method.replace('_', " ");
    let mut candidates = vec![op.title.clone()];
    for noun in nouns(module) {
        candidates.push(format!("{verb} {noun}"));
        candidates.push(format!("{noun} {verb}"));
    }
    usable_aliases(candidates, &op.method)
}

/// The aliases rustdoc accepts, each once: trimmed, without quotes or whitespace other than
/// spaces, and never the item's own name.
fn usable_aliases(candidates: Vec<String>, name: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    candidates
        .into_iter()
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| {
            !a.is_empty()
                && !a.contains(['"', '\'', '\\'])
                && *a != name
                && snake(a) != name
                && seen.insert(a.to_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_the_products_spelling() {
        assert_eq!(heading_phrase("IPSEC Tunnels"), "IPsec tunnels");
        assert_eq!(heading_phrase("Cf Interconnects"), "CF interconnects");
        assert_eq!(heading_phrase("LANs"), "LANs");
        assert_eq!(heading_phrase("PCAPs"), "PCAPs");
        assert_eq!(heading_phrase("App Configuration"), "App configuration");
        assert_eq!(heading_phrase("GRE Tunnels"), "GRE tunnels");
        assert_eq!(phrase("ipsec_tunnel_id"), "IPsec tunnel ID");
        assert_eq!(super::super::names::article("union tag"), "a");
        assert_eq!(super::super::names::article("IPsec tunnel"), "an");
        assert_eq!(super::super::names::article("ACL configuration"), "an");
    }

    #[test]
    fn aliases_rustdoc_refuses_are_left_out() {
        let got = usable_aliases(
            vec![
                " List  Events ".into(),
                "list events".into(),
                "it's".into(),
                "list".into(),
                "a\tb".into(),
            ],
            "list",
        );
        assert_eq!(got, vec!["List Events".to_string(), "a b".to_string()]);
    }
}
