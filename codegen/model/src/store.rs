//! What the stateful mock knows about the API's resources, decided by the generator from the
//! IR's roles, paths and documented examples (never from a list written by hand):
//!
//! - A **collection** is a path `P` ending in a literal segment where either some operation
//!   lives at `P/{param}` or a `GET P` lists objects, *and* a documented answer of one of
//!   those operations carries an object with the collection's **id field**: the item
//!   parameter's own name where the object has such a field (`account_app_id`), else `id`.
//!   Telemetry snapshots (`…/snapshots/{snapshot_t}`) carry no id, so they stay documented
//!   answers.
//! - The collection's **documented object** is that example object: a new object starts from
//!   it, so every field the API always returns is present.
//! - Each operation's **effect** is its [`Role`](crate::Role) tied to the collection it
//!   addresses: at `P`, list, create, bulk update (`PUT` and `PATCH`) and delete all; at
//!   `P/{param}`, get, update (`PUT` and `PATCH`) and delete; at `P/{param}/verb`, other than a
//!   `GET`, an **action** on that object (`…/psk_generate`), whose answer is about that object
//!   and changes it. Everything else (`…/download`, telemetry) answers its documented example.
//! - A cursor-paged list's query parameters that select items are its **filters**: one named
//!   like a field of the items matches that field (`k`); `from` and `to` bound the field the
//!   items are addressed by below the list (`…/events/{event_t}.{event_n}`: `t`).
//! - Every operation whose path runs through `P/{param}` **requires** that object: an unknown
//!   id, or a child of a deleted parent, is a 404.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Operation, Segment};

/// What an operation does to the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// `GET P`: every object, page by page where the list is paged.
    List(usize),
    /// `POST P`: one object (or several, when the body is a list).
    Create(usize),
    /// `PUT P` / `PATCH P`: the objects the body lists, each by its id.
    BulkUpdate(usize),
    /// `DELETE P`: the objects the body lists, each by its id.
    BulkDelete(usize),
    /// `GET P/{id}`.
    Get(usize),
    /// `PUT P/{id}` / `PATCH P/{id}`: the body's fields replace the object's.
    Update(usize),
    /// `DELETE P/{id}`: the object and everything under it.
    Delete(usize),
    /// `POST P/{id}/verb` (or `PUT`, `PATCH`): the documented answer, about that object (fields
    /// named after the path's parameters take their values, secrets fresh ones, documented
    /// times now), and the answer's other fields, secrets excepted, written into the object.
    Action(usize),
    /// Anything else: the documented answer, once the objects its path names exist.
    Other,
}

/// One collection of objects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    /// The collection's path template (`/accounts/{account_id}/magic/sites/{site_id}/lans`).
    pub path: String,
    /// Its template's segments.
    pub segments: Vec<Segment>,
    /// The parameter naming one object (`lan_id`), when operations address single objects.
    pub item_param: Option<String>,
    /// The field holding an object's id.
    pub id_field: String,
    /// The documented object new objects start from.
    pub documented: Value,
    /// The fields of its objects named after a parameter of its path (`site_id`).
    pub path_fields: Vec<String>,
    /// `created_on` / `modified_on`, where its objects carry them: set on create, and
    /// `modified_on` again on every update.
    pub stamps: Vec<String>,
    /// The documented objects of its list, for `--seed-examples`.
    pub seed: Vec<Value>,
    /// The states an object moves through as it is read, when its `status` field is an enum
    /// with `pending`, `running` and `success` (a PCAP): created `pending`, then one step
    /// per read.
    pub lifecycle: Vec<String>,
    /// For each field of the documented object that holds an object: the documented values of
    /// the fields that object's type requires (`{"device": {"id": "…"}}`). A body may send such
    /// an object without them (a request's `device` may omit `id`; an answer's may not), so the
    /// store fills them into an object it keeps, and every answer decodes as the reference
    /// types it.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub completions: serde_json::Map<String, Value>,
}

/// Fills into the objects `object` holds the fields [`Collection::completions`] gives them
/// that they lack; fields `object` does not have stay absent.
pub fn complete(object: &mut Value, completions: &serde_json::Map<String, Value>) {
    let Some(map) = object.as_object_mut() else {
        return;
    };
    for (field, required) in completions {
        if let (Some(Value::Object(held)), Value::Object(required)) = (map.get_mut(field), required)
        {
            for (k, v) in required {
                held.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

/// A collection whose object an operation's path names, and the parameter naming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    /// Index into [`Model::collections`].
    pub collection: usize,
    /// The path parameter holding the object's id.
    pub param: String,
}

/// Everything the stateful mock knows about the API's data, decided by the generator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Every collection, by path.
    pub collections: Vec<Collection>,
    /// Per operation (index into [`Ir::operations`](crate::Ir::operations)): what it does.
    pub effects: Vec<Effect>,
    /// Per operation: the objects its path names, outermost first.
    pub parents: Vec<Vec<Parent>>,
    /// Per operation: the query parameters that select a cursor-paged list's items (empty for
    /// every other operation).
    #[serde(default)]
    pub filters: Vec<Vec<Filter>>,
}

/// A query parameter that selects a list's items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// The query parameter (`k`, `from`).
    pub param: String,
    /// The items' field it tests (`k`, `t`).
    pub field: String,
    /// How.
    pub test: Test,
}

/// How a [`Filter`] tests an item's field against the parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    /// Equal (numbers by value, anything else as text).
    Equal,
    /// At least the value (numbers).
    AtLeast,
    /// At most the value (numbers).
    AtMost,
}

/// Where a documented answer holds the object(s) of a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The `result` field holding them (`gre_tunnel`, `modified_routes`), or `None` when
    /// `result` itself is the object or the list.
    pub field: Option<String>,
    /// A list of objects rather than one.
    pub many: bool,
}

/// The documented `result` of an operation.
pub fn documented_result(op: &Operation) -> Option<&Value> {
    op.examples.response.as_ref()?.get("result")
}

/// Where `result` holds objects carrying `id_field`.
pub fn find_slot(result: &Value, id_field: &str) -> Option<Slot> {
    let has_id = |v: &Value| v.get(id_field).is_some();
    let first_has_id = |v: &Value| v.as_array().and_then(|a| a.first()).is_some_and(has_id);
    if has_id(result) {
        return Some(Slot {
            field: None,
            many: false,
        });
    }
    if first_has_id(result) {
        return Some(Slot {
            field: None,
            many: true,
        });
    }
    let object = result.as_object()?;
    // Fields in a fixed order, so the choice never depends on map order.
    let keys: BTreeSet<&String> = object.keys().collect();
    for key in keys {
        let value = &object[key];
        if has_id(value) || first_has_id(value) {
            return Some(Slot {
                field: Some(key.clone()),
                many: value.is_array(),
            });
        }
    }
    None
}

/// The objects `result` holds at `slot`.
pub fn objects_at(result: &Value, slot: &Slot) -> Vec<Value> {
    let at = match &slot.field {
        Some(field) => result.get(field),
        None => Some(result),
    };
    match at {
        Some(Value::Array(items)) => items.clone(),
        Some(v @ Value::Object(_)) => vec![v.clone()],
        _ => Vec::new(),
    }
}
