//! What the mock serves: the IR (operations, request and response shapes, documented examples,
//! auth schemes, and the stateful model of collections, effects and parents), written as JSON
//! into the mock crate (`mock/src/generated/ir.json`) so the mock needs neither this generator
//! nor the documents at run time.
//!
//! Prose and provenance the mock never reads (descriptions, titles of resources, where shapes
//! are used, curl commands) are left out; the data types default them when reading. One value
//! per line: a change of the reference reads as a short diff.

use serde_json::Value;

use super::snapshot::{GENERATED_NOTE, escape_bidi};
use crate::ir::Ir;

/// Where the mock's copy lives, relative to the workspace root.
pub const MOCK_MODEL_PATH: &str = "mock/src/generated/ir.json";

/// Keys whose values the mock never reads.
const UNREAD: &[&str] = &["description", "used_at", "note"];

/// The mock's copy of the IR.
pub fn mock_model(ir: &Ir) -> Result<String, String> {
    let mut value =
        serde_json::to_value(ir).map_err(|e| format!("the IR does not serialize: {e}"))?;
    strip(&mut value);
    // JSON has no comments: the note is the first key (maps are sorted, and `@` sorts first).
    if let Value::Object(map) = &mut value {
        map.insert("@generated".into(), GENERATED_NOTE.into());
    }
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| format!("the mock's IR does not serialize: {e}"))?;
    text.push('\n');
    Ok(escape_bidi(text))
}

/// Keys whose values hold the API's own data (documented examples, the objects the store starts
/// from): kept exactly, whatever keys that data has (an example's `description` is the API's).
const DATA: &[&str] = &["examples", "store"];

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !UNREAD.contains(&k.as_str()));
            for (k, v) in map.iter_mut() {
                match v {
                    // The curl command is the only prose beside an operation's examples.
                    Value::Object(examples) if k == "examples" => {
                        examples.remove("curl");
                    }
                    _ if DATA.contains(&k.as_str()) => {}
                    _ => strip(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}
