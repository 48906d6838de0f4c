//! What the data types' pages say: a summary of what each type is (the reference's prose; for
//! a type it leaves undescribed, what the type holds, else what the call sends or returns, else
//! the prose of the field that holds it), which calls return or take it, and for a field the
//! Rust name renames, the API's own name.

use std::collections::BTreeMap;

use super::super::names::{article, phrase};
use super::super::{BodyPlan, ItemPlan, ReceivePlan, RustTy, Shape};
use super::{OpDocs, Parts};

/// Which use of a type its summary already names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Nothing,
    Sent,
    Returned,
}

/// How calls use a type.
#[derive(Default)]
struct Uses {
    /// Calls that return it.
    returned: Vec<usize>,
    /// Calls whose result holds it in a field.
    returned_within: Vec<usize>,
    /// Calls whose stream yields it.
    streamed: Vec<usize>,
    /// Calls that send it as their body.
    sent: Vec<usize>,
    /// Calls whose body holds it in a field.
    sent_within: Vec<usize>,
}

/// Rewrites the items' documentation; see the module's documentation.
pub(super) fn apply(items: &mut [ItemPlan], parts: &Parts<'_>, docs: &[OpDocs]) {
    let uses = uses(items, parts);
    let held_by = field_prose(items);
    let holders = holders(items);
    let calls = |ops: &[usize]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &i in ops {
            if let (Some(op), Some(d)) = (parts.ops.get(i), docs.get(i)) {
                let link = format!("[`{}`](crate::{})", op.call, d.link);
                if !out.contains(&link) {
                    out.push(link);
                }
            }
        }
        out
    };
    for item in items.iter_mut() {
        let u = uses.get(&item.rust);
        let own_prose = item.prose.as_deref().is_some_and(|p| !p.trim().is_empty());
        let noun = identified(item);
        let builder = matches!(&item.shape, Shape::Struct(s) if s.builder);
        let sent = u.map(|u| calls(&u.sent)).unwrap_or_default();
        let returned = u.map(|u| calls(&u.returned)).unwrap_or_default();
        let (summary, said) = if own_prose || is_form(item) {
            (item.doc.clone(), Said::Nothing)
        } else if let Some(noun) = noun {
            let how = if builder {
                "as a request sends it"
            } else {
                "as the API returns it"
            };
            let text = format!("{} {noun}, {how}.", capital(article(&noun)));
            (text, Said::Nothing)
        } else if !sent.is_empty() {
            let text = format!(
                "What {} {}.",
                join(&sent),
                verb(sent.len(), "sends", "send")
            );
            (text, Said::Sent)
        } else if !returned.is_empty() {
            let text = format!(
                "What {} {}.",
                join(&returned),
                verb(returned.len(), "returns", "return")
            );
            (text, Said::Returned)
        } else if let Some(prose) = held_by.get(&item.rust) {
            (prose.clone(), Said::Nothing)
        } else if let Some(text) = holders.get(&item.rust).map(|h| held(&item.rust, h)) {
            (text, Said::Nothing)
        } else {
            (item.doc.clone(), Said::Nothing)
        };
        let mut paragraphs = vec![summary];
        if let Some(u) = u {
            paragraphs.extend(use_sentences(u, said, &calls));
        }
        if builder {
            paragraphs.push(format!(
                "Build one with [`{0}::builder`]: a setter per field, and `build()` compiles \
                 once every required field is set.",
                item.rust
            ));
        }
        item.doc = paragraphs.join("\n\n");
        rename_notes(item);
    }
}

/// The sentences that say which calls use a type, but the one the summary already says.
fn use_sentences(u: &Uses, said: Said, calls: &dyn Fn(&[usize]) -> Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut say = |ops: &[usize], text: &dyn Fn(String, usize) -> String| {
        let c = calls(ops);
        if !c.is_empty() {
            out.push(text(join(&c), c.len()));
        }
    };
    if said != Said::Returned {
        say(&u.returned, &|calls, _| format!("Returned by {calls}."));
    }
    say(&u.streamed, &|calls, _| {
        format!("Streamed item by item by {calls} (`.stream()` on the call).")
    });
    say(&u.returned_within, &|calls, n| {
        format!("Part of what {calls} {}.", verb(n, "returns", "return"))
    });
    if said != Said::Sent {
        say(&u.sent, &|calls, _| format!("Sent as the body of {calls}."));
    }
    say(&u.sent_within, &|calls, n| {
        format!("Part of what {calls} {}.", verb(n, "sends", "send"))
    });
    out
}

/// Per data type, the calls that use it, directly or as one field of what they send or return.
fn uses(items: &[ItemPlan], parts: &Parts<'_>) -> BTreeMap<String, Uses> {
    let fields_of = |name: &str| -> Vec<String> {
        let Ok(i) = items.binary_search_by(|i| i.rust.as_str().cmp(name)) else {
            return Vec::new();
        };
        match &items[i].shape {
            Shape::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| f.ty.data().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut out: BTreeMap<String, Uses> = BTreeMap::new();
    for (i, op) in parts.ops.iter().enumerate() {
        if let ReceivePlan::Json { result, .. } = &op.receive {
            if let Some(name) = result.data() {
                out.entry(name.to_string()).or_default().returned.push(i);
                for inner in fields_of(name) {
                    out.entry(inner).or_default().returned_within.push(i);
                }
            }
            if let Some(s) = parts.streams.iter().find(|s| s.result == *result) {
                if let Some(item) = s.item.data() {
                    out.entry(item.to_string()).or_default().streamed.push(i);
                }
            }
        }
        if let BodyPlan::Sent { ty: Some(t), .. } = &op.body {
            if let Some(name) = t.data() {
                out.entry(name.to_string()).or_default().sent.push(i);
                for inner in fields_of(name) {
                    out.entry(inner).or_default().sent_within.push(i);
                }
            }
        }
    }
    out
}

/// Per data type, the reference's prose of the first field that holds it.
fn field_prose(items: &[ItemPlan]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in items {
        let Shape::Struct(s) = &item.shape else {
            continue;
        };
        for f in s.fields.iter().filter(|f| !f.prose.trim().is_empty()) {
            if let Some(name) = f.ty.data() {
                out.entry(name.to_string())
                    .or_insert_with(|| f.prose.trim().to_string());
            }
        }
    }
    out
}

/// Per data type, the fields that hold it: (field's wire name, the type it is a field of), in
/// the types' order.
fn holders(items: &[ItemPlan]) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for item in items {
        let Shape::Struct(s) = &item.shape else {
            continue;
        };
        for f in &s.fields {
            if let Some(name) = f.ty.data() {
                out.entry(name.to_string())
                    .or_default()
                    .push((f.wire.clone(), item.rust.clone()));
            }
        }
    }
    out
}

/// A type the reference does not describe: its name in words, and the fields that hold it
/// ("A BGP status: the `bgp_status` of [`GreTunnel`].").
fn held(name: &str, holders: &[(String, String)]) -> String {
    /// More owners than this are summed up ("and 3 more").
    const SHOWN: usize = 4;
    let mut fields: Vec<String> = Vec::new();
    let mut owners: Vec<String> = Vec::new();
    for (field, owner) in holders {
        let field = format!("`{field}`");
        if !fields.contains(&field) {
            fields.push(field);
        }
        let owner = format!("[`{owner}`]");
        if !owners.contains(&owner) {
            owners.push(owner);
        }
    }
    let more = owners.len().saturating_sub(SHOWN);
    owners.truncate(SHOWN);
    if more > 0 {
        owners.push(format!("{more} more"));
    }
    let words = phrase(name);
    format!(
        "{} {words}: the {} of {}.",
        capital(article(&words)),
        join(&fields),
        join(&owners)
    )
}

/// What a type is, when it holds its own typed id (`GreTunnel` holds a `GreTunnelId` as `id`):
/// the thing that id identifies, in words ("GRE tunnel").
fn identified(item: &ItemPlan) -> Option<String> {
    let id = match &item.shape {
        Shape::Struct(s) => s
            .fields
            .iter()
            .find(|f| f.wire == "id")
            .and_then(|f| f.typed_id.clone()),
        Shape::Union(u) => u
            .accessors
            .iter()
            .find(|a| a.wire == "id")
            .and_then(|a| match &a.ty {
                RustTy::Id(id) => Some(id.clone()),
                _ => None,
            }),
        _ => None,
    }?;
    Some(phrase(id.strip_suffix("Id").unwrap_or(&id)))
}

/// A union's alternative or a tagged form, which its own documentation already places.
fn is_form(item: &ItemPlan) -> bool {
    item.doc.starts_with("One form of ")
        || item.doc.starts_with("The `") && item.doc.contains("` form.")
}

/// A field the Rust name renames (`kind` for the API's `type`) names its wire key.
fn rename_notes(item: &mut ItemPlan) {
    if let Shape::Struct(s) = &mut item.shape {
        for f in s.fields.iter_mut().filter(|f| f.ident != f.wire) {
            let note = format!("The API calls this field `{}`.", f.wire);
            if !f.doc.contains(&note) {
                f.doc = format!("{} {note}", f.doc.trim_end());
            }
        }
    }
}

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn verb<'v>(n: usize, one: &'v str, many: &'v str) -> &'v str {
    if n == 1 { one } else { many }
}

fn capital(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
