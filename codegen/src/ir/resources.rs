//! Rebuilds the resource tree the flat `#` headings lost, from the operations' paths.
//!
//! A resource's prefix is the longest run of leading path segments all its operations share,
//! with trailing parameters trimmed; its module name is the prefix's last literal segment
//! (`acls`, `lans`, `pcaps`: written by the API, never mangled by a case converter). Its parent
//! is the resource whose prefix is the longest proper prefix of its own.

use super::{Resource, Segment};

/// One `#` section's facts, as input to the tree.
pub struct ResourceInput {
    /// The heading.
    pub title: String,
    /// Segments of each operation's path.
    pub op_paths: Vec<Vec<Segment>>,
    /// Indices of its operations in the IR.
    pub operations: Vec<usize>,
}

/// Splits a path template into segments.
pub fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("path `{path}` does not start with `/`"));
    };
    rest.split('/').map(segment).collect()
}

fn segment(text: &str) -> Result<Segment, String> {
    if text.is_empty() {
        return Err("empty path segment".into());
    }
    // Segments become module and parameter names: keep them within what a name may be.
    let limit = crate::parse::texpr::MAX_NAME;
    if text.len() > limit {
        let shown: String = text.chars().take(40).collect();
        return Err(format!(
            "path segment `{shown}…` is longer than {limit} bytes"
        ));
    }
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let close = rest
                    .find('}')
                    .ok_or_else(|| format!("unclosed `{{` in `{text}`"))?;
                let name = &rest[1..close];
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return Err(format!("bad parameter name `{name}` in `{text}`"));
                }
                if matches!(parts.last(), Some(Segment::Param { .. })) {
                    return Err(format!("two parameters without a separator in `{text}`"));
                }
                parts.push(Segment::Param {
                    name: name.to_string(),
                });
                rest = &rest[close + 1..];
            }
            found => {
                let end = found.unwrap_or(rest.len());
                let literal = &rest[..end];
                if literal.contains('}') {
                    return Err(format!("stray `}}` in `{text}`"));
                }
                parts.push(Segment::Literal {
                    text: literal.to_string(),
                });
                rest = &rest[end..];
            }
        }
    }
    Ok(match parts.len() {
        1 => parts.remove(0),
        _ => Segment::Compound { parts },
    })
}

/// The parameter names of a template, in order.
pub fn placeholders(segments: &[Segment]) -> Vec<String> {
    fn walk(s: &Segment, out: &mut Vec<String>) {
        match s {
            Segment::Param { name } => out.push(name.clone()),
            Segment::Compound { parts } => parts.iter().for_each(|p| walk(p, out)),
            Segment::Literal { .. } => {}
        }
    }
    let mut out = Vec::new();
    segments.iter().for_each(|s| walk(s, &mut out));
    out
}

fn render(segments: &[Segment]) -> String {
    fn one(s: &Segment) -> String {
        match s {
            Segment::Literal { text } => text.clone(),
            Segment::Param { name } => format!("{{{name}}}"),
            Segment::Compound { parts } => parts.iter().map(one).collect(),
        }
    }
    segments.iter().map(|s| format!("/{}", one(s))).collect()
}

/// The resource tree and, per input section, its resource id.
pub struct ResourceTree {
    /// Root resources with their children.
    pub roots: Vec<Resource>,
    /// Per input, in input order: its dotted id, or empty for a section without operations.
    pub ids: Vec<String>,
}

/// A section with operations, before the tree is assembled.
struct Flat {
    index: usize,
    prefix: Vec<Segment>,
    module: String,
    input: ResourceInput,
    parent: Option<usize>,
}

/// The sections with operations, each with its common literal path prefix and module name.
fn flatten(inputs: Vec<ResourceInput>) -> Result<Vec<Flat>, (usize, String)> {
    let mut flat = Vec::new();
    for (index, input) in inputs.into_iter().enumerate() {
        let Some(first) = input.op_paths.first() else {
            continue;
        };
        let mut len = first.len();
        for p in &input.op_paths {
            len = len.min(p.iter().zip(first).take_while(|(a, b)| a == b).count());
        }
        let mut prefix = first[..len].to_vec();
        while matches!(
            prefix.last(),
            Some(Segment::Param { .. } | Segment::Compound { .. })
        ) {
            prefix.pop();
        }
        let Some(Segment::Literal { text }) = prefix.last() else {
            return Err((
                index,
                format!(
                    "the operations of `{}` share no literal path prefix",
                    input.title
                ),
            ));
        };
        let module = text.clone();
        flat.push(Flat {
            index,
            prefix,
            module,
            input,
            parent: None,
        });
    }
    Ok(flat)
}

/// Resource `i` with its children, taken out of `flat`.
fn assemble(
    i: usize,
    flat: &mut Vec<Option<Flat>>,
    parents: &[Option<usize>],
    ids: &[String],
) -> Option<Resource> {
    let f = flat[i].take()?;
    let children = (0..parents.len())
        .filter(|&c| parents[c] == Some(i))
        .filter_map(|c| assemble(c, flat, parents, ids))
        .collect();
    Some(Resource {
        id: ids[i].clone(),
        module: f.module,
        title: f.input.title,
        path_prefix: render(&f.prefix),
        operations: f.input.operations,
        types: Vec::new(),
        children,
    })
}

/// Builds the tree. Sections without operations (the document's root) get no resource. An error
/// names the index of the input it is about.
pub fn tree(inputs: Vec<ResourceInput>) -> Result<ResourceTree, (usize, String)> {
    let has_ops: Vec<bool> = inputs.iter().map(|i| !i.op_paths.is_empty()).collect();
    let mut flat = flatten(inputs)?;
    for i in 0..flat.len() {
        let mut best: Option<usize> = None;
        for j in 0..flat.len() {
            let (a, b) = (&flat[j].prefix, &flat[i].prefix);
            if i != j
                && a.len() < b.len()
                && b.starts_with(a)
                && best.is_none_or(|k| flat[k].prefix.len() < a.len())
            {
                best = Some(j);
            }
        }
        flat[i].parent = best;
    }
    let ids: Vec<String> = (0..flat.len())
        .map(|i| {
            let mut chain = vec![flat[i].module.clone()];
            let mut at = flat[i].parent;
            let mut guard = 0;
            while let Some(p) = at {
                chain.push(flat[p].module.clone());
                at = flat[p].parent;
                guard += 1;
                if guard > flat.len() {
                    break;
                }
            }
            chain.reverse();
            chain.join(".")
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        if let Some(j) = ids[..i].iter().position(|other| other == id) {
            return Err((
                flat[i].index,
                format!(
                    "`{}` and `{}` both map to module path `{id}`",
                    flat[j].input.title, flat[i].input.title
                ),
            ));
        }
    }
    let mut flat_ids = ids.iter();
    let per_input: Vec<String> = has_ops
        .iter()
        .map(|&h| {
            if h {
                flat_ids.next().cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .collect();
    let parents: Vec<Option<usize>> = flat.iter().map(|f| f.parent).collect();
    let mut slots: Vec<Option<Flat>> = flat.into_iter().map(Some).collect();
    let roots = (0..parents.len())
        .filter(|&i| parents[i].is_none())
        .filter_map(|i| assemble(i, &mut slots, &parents, &ids))
        .collect();
    Ok(ResourceTree {
        roots,
        ids: per_input,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_segment() {
        let s = segments("/a/{x}/events/{event_t}.{event_n}").unwrap();
        assert_eq!(placeholders(&s), ["x", "event_t", "event_n"]);
        assert!(matches!(&s[3], Segment::Compound { parts } if parts.len() == 3));
        assert_eq!(render(&s), "/a/{x}/events/{event_t}.{event_n}");
        for bad in ["a", "/a//b", "/{", "/{a}{b}", "/a}", "/{}"] {
            assert!(segments(bad).is_err(), "{bad}");
        }
    }
}
