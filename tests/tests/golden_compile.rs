//! Compiles every golden fixture's `expected.rs` (see `golden.rs`) and checks that the emitted
//! types behave: JSON decodes into the right fields and alternatives, and re-encodes unchanged,
//! unknown fields and values included.
//!
//! The fixtures are compiled through `tests/fixtures/mod.rs`, a list of every fixture directory
//! that the golden test generates and keeps fresh. The emitted files are the generator's
//! formatting, so rustfmt must not touch them: hence `#[rustfmt::skip]`.

// Generated code compiled to prove it compiles: not every reader it emits is called here.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `value` as `T`, checks that re-encoding gives the same JSON, and returns the decoded
/// value.
#[track_caller]
fn round_trip<T: DeserializeOwned + Serialize>(value: Value) -> T {
    let decoded: T = match serde_json::from_value(value.clone()) {
        Ok(decoded) => decoded,
        Err(e) => panic!(
            "{value} does not decode as {}: {e}",
            std::any::type_name::<T>()
        ),
    };
    let encoded = serde_json::to_value(&decoded).expect("the decoded value encodes");
    assert_eq!(encoded, value, "re-encoding changed the value");
    decoded
}

/// Checks that `value` does not decode as `T`.
#[track_caller]
fn rejects<T: DeserializeOwned + std::fmt::Debug>(value: Value) {
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        panic!(
            "{value} should not decode as {}, got {decoded:?}",
            std::any::type_name::<T>()
        );
    }
}

fn number(n: i64) -> magic_api::Number {
    magic_api::Number::from(n)
}

#[test]
fn plain_object_keeps_unknown_fields_and_omits_absent_optionals() {
    use plain_object::PlainObject;
    let full: PlainObject = round_trip(json!({
        "id": "a1", "name": "edge", "enabled": true, "count": 3, "colour": "red"
    }));
    assert_eq!(full.id, "a1");
    assert_eq!(full.name.as_deref(), Some("edge"));
    assert_eq!(full.enabled, Some(true));
    assert_eq!(full.count, number(3));
    assert_eq!(
        full.extra.get("colour").map(|v| v.to_value()),
        Some(json!("red"))
    );
    assert_eq!(full.extra.len(), 1);

    let minimal: PlainObject = round_trip(json!({ "id": "a1", "count": 0 }));
    assert_eq!((minimal.name, minimal.enabled), (None, None));
    assert!(minimal.extra.is_empty());

    rejects::<PlainObject>(json!({ "id": "a1" }));
    rejects::<PlainObject>(json!({ "id": 1, "count": 0 }));
}

#[test]
fn n_more_object_has_the_fields_the_signature_only_counts() {
    let value: n_more_object::NMoreObject = round_trip(json!({
        "id": "t1", "colo_name": "ord01", "mtu": 1476, "tags": ["a", "b"]
    }));
    assert_eq!(value.mtu, Some(number(1476)));
    assert_eq!(value.tags, Some(vec!["a".to_string(), "b".to_string()]));
    assert!(
        value.extra.is_empty(),
        "hidden fields are fields: {:?}",
        value.extra
    );
}

#[test]
fn elided_expansion_reuses_the_first_expansion() {
    use elided_expansion::{ElidedExpansion, ElidedExpansionErrorSource, Nat};
    let value: ElidedExpansion = round_trip(json!({
        "errors": [{ "code": 1000, "source": { "pointer": "/a" } }],
        "messages": [{ "code": 1001, "source": { "pointer": "/b" } }],
        "nat": { "static_prefix": "10.0.0.0/24" },
        "routed": { "prefix": "10.1.0.1", "nat": { "static_prefix": "10.2.0.0/24" } }
    }));
    // The elided `messages[].source` and `routed.nat` have the types of the first expansions.
    let source: &ElidedExpansionErrorSource = value.messages[0].source.as_ref().unwrap();
    assert_eq!(source.pointer.as_deref(), Some("/b"));
    assert!(source.extra.is_empty());
    let routed = value.routed.as_ref().unwrap();
    let nat: &Nat = routed.nat.as_ref().unwrap();
    assert_eq!(nat.static_prefix.as_deref(), Some("10.2.0.0/24"));
    assert!(nat.extra.is_empty() && routed.extra.is_empty());
}

#[test]
fn literal_enum_keeps_unknown_values() {
    use literal_enum::{LiteralEnum, LiteralHolder, LiteralHolderDirection};
    assert_eq!(round_trip::<LiteralEnum>(json!("low")), LiteralEnum::Low);
    assert_eq!(round_trip::<LiteralEnum>(json!("high")), LiteralEnum::High);
    let other = round_trip::<LiteralEnum>(json!("weekly"));
    assert_eq!(other, LiteralEnum::Other("weekly".into()));
    assert_eq!(other.as_str(), "weekly");
    assert_eq!(LiteralEnum::Mid.to_string(), "mid");
    assert_eq!(LiteralEnum::from("mid"), LiteralEnum::Mid);

    let holder: LiteralHolder = round_trip(json!({ "rate": "mid", "direction": "bidirectional" }));
    assert_eq!(holder.rate, Some(LiteralEnum::Mid));
    assert_eq!(holder.direction, LiteralHolderDirection::Bidirectional);
    let sideways: LiteralHolder = round_trip(json!({ "direction": "sideways" }));
    assert_eq!(
        sideways.direction,
        LiteralHolderDirection::Other("sideways".into())
    );
    rejects::<LiteralHolder>(json!({ "direction": 1 }));
}

#[test]
fn named_reference_is_typed_by_the_later_definition() {
    use named_reference::{NamedReference, SiteLocation};
    let value: NamedReference = round_trip(json!({
        "id": "s1", "location": { "lat": "37.6", "lon": "-122.4", "alt": "12" }
    }));
    let location: &SiteLocation = value.location.as_ref().unwrap();
    assert_eq!(location.lat.as_deref(), Some("37.6"));
    assert_eq!(
        location.extra.get("alt").map(|v| v.to_value()),
        Some(json!("12"))
    );
}

#[test]
fn union_json_kind_picks_object_or_string() {
    use union_json_kind::{UnionJsonKind, UnionJsonKindTarget};
    let object: UnionJsonKind = round_trip(json!({ "target": { "saved": "1.1.1.1" } }));
    match object.target {
        Some(UnionJsonKindTarget::Object(target)) => {
            assert_eq!(target.saved.as_deref(), Some("1.1.1.1"));
            assert_eq!(target.effective, None);
        }
        other => panic!("expected the object form, got {other:?}"),
    }
    let string: UnionJsonKind = round_trip(json!({ "target": "1.1.1.1" }));
    assert_eq!(
        string.target,
        Some(UnionJsonKindTarget::String("1.1.1.1".into()))
    );
    let number: UnionJsonKind = round_trip(json!({ "target": 5 }));
    assert_eq!(
        number.target,
        Some(UnionJsonKindTarget::Other(json!(5).into()))
    );
    let absent: UnionJsonKind = round_trip(json!({}));
    assert_eq!(absent.target, None);
}

#[test]
fn union_tag_decodes_each_kind_and_keeps_unknown_kinds() {
    use union_tag::{UnionTag, UnionTagE};
    let init: UnionTag = round_trip(json!({ "e": { "k": "Init" }, "n": 1 }));
    assert!(matches!(init.e, UnionTagE::Init(ref v) if v.extra.is_empty()));
    let upgrade: UnionTag = round_trip(json!({
        "e": { "k": "StartUpgrade", "url": "https://example.com/b.tgz", "size": 9 }, "n": 2
    }));
    match &upgrade.e {
        UnionTagE::StartUpgrade(v) => {
            assert_eq!(v.url, "https://example.com/b.tgz");
            assert_eq!(v.extra.get("size").map(|v| v.to_value()), Some(json!(9)));
            assert!(
                !v.extra.contains_key("k"),
                "the tag is not an unknown field"
            );
        }
        other => panic!("expected StartUpgrade, got {other:?}"),
    }
    let leave: UnionTag = round_trip(json!({ "e": { "k": "Leave" }, "n": 3 }));
    assert!(matches!(leave.e, UnionTagE::Leave(_)));
    let unknown: UnionTag = round_trip(json!({ "e": { "k": "Reboot", "why": "x" }, "n": 4 }));
    match &unknown.e {
        UnionTagE::Unknown(object) => {
            assert_eq!(object.get("k").map(|v| v.to_value()), Some(json!("Reboot")));
            assert_eq!(object.get("why").map(|v| v.to_value()), Some(json!("x")));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    let untagged: UnionTagE = round_trip(json!({ "why": "x" }));
    assert!(matches!(untagged, UnionTagE::Unknown(_)));
    // A known kind that lacks a required field is kept whole (tag included), never an error.
    let broken: UnionTagE = round_trip(json!({ "k": "StartUpgrade", "t": 1 }));
    assert!(
        matches!(&broken, UnionTagE::Unknown(o) if o.get("k").and_then(|v| v.as_str()).as_deref() == Some("StartUpgrade")),
        "{broken:?}"
    );
}

#[test]
fn union_tag_refined_names_kinds_and_refines_numbers() {
    use union_tag_refined::{ConnectorEvent, EventFilter, EventKind, UnionTag};
    let upgrade: UnionTag = round_trip(json!({
        "e": { "k": "StartUpgrade", "url": "u" }, "n": 7, "load": 0.5
    }));
    assert_eq!(upgrade.e.kind(), EventKind::StartUpgrade);
    assert_eq!(upgrade.n, 7i64);
    assert_eq!(upgrade.load.as_ref().map(|f| f.as_f64()), Some(0.5));
    // A number that arrives integral stays integral.
    let integral: UnionTag = round_trip(json!({ "e": { "k": "Init" }, "n": 8, "load": 0 }));
    assert_eq!(integral.e.kind(), EventKind::Init);

    let unknown: ConnectorEvent = round_trip(json!({ "k": "Reboot" }));
    assert!(matches!(unknown, ConnectorEvent::Unknown(_)));
    assert_eq!(unknown.kind(), EventKind::Other("Reboot".into()));

    let filter: EventFilter = round_trip(json!({ "k": "Leave", "limit": 10 }));
    assert_eq!(filter.k, Some(EventKind::Leave));
    assert_eq!(filter.limit, Some(10));
    // `n` is an integer by a reviewed entry: `8.0` is 8, a fraction is an error.
    let whole: UnionTag = serde_json::from_str(r#"{ "e": { "k": "Init" }, "n": 8.0 }"#).unwrap();
    assert_eq!(whole.n, 8);
    rejects::<UnionTag>(json!({ "e": { "k": "Init" }, "n": 1.5 }));
}

#[test]
fn union_required_field_picks_by_identifying_field() {
    use union_required_field::UnionRequiredField;
    let account: UnionRequiredField = round_trip(json!({ "account_id": "a1", "name": "n" }));
    assert!(matches!(account, UnionRequiredField::Account(ref v) if v.account_id == "a1"));
    let managed: UnionRequiredField = round_trip(json!({ "managed_id": "m1" }));
    assert!(matches!(managed, UnionRequiredField::Managed(ref v) if v.managed_id == "m1"));
    let neither: UnionRequiredField = round_trip(json!({ "name": "n" }));
    assert!(matches!(neither, UnionRequiredField::Unknown(ref o) if o.len() == 1));
    // The identifying field decides; an object it claims but cannot decode is kept whole.
    let odd: UnionRequiredField = round_trip(json!({ "account_id": 5 }));
    assert!(matches!(odd, UnionRequiredField::Unknown(ref o) if o.len() == 1));
}

#[test]
fn union_best_fit_picks_the_larger_alternative_only_when_its_keys_are_present() {
    use union_best_fit::UnionBestFit;
    let simple: UnionBestFit = round_trip(json!({ "id": "p1", "status": "running" }));
    assert!(matches!(simple, UnionBestFit::Simple(_)), "{simple:?}");
    let full: UnionBestFit =
        round_trip(json!({ "id": "p1", "status": "running", "byte_limit": 100 }));
    match &full {
        UnionBestFit::Full(v) => assert_eq!(v.byte_limit, Some(number(100))),
        other => panic!("expected Full, got {other:?}"),
    }
    let colo: UnionBestFit = round_trip(json!({ "id": "p1", "colo_name": "ord01" }));
    assert!(matches!(colo, UnionBestFit::Full(_)), "{colo:?}");
    // Keys neither alternative declares do not push towards the larger one.
    let odd: UnionBestFit = round_trip(json!({ "id": "p1", "zzz": 1 }));
    match &odd {
        UnionBestFit::Simple(v) => {
            assert_eq!(v.extra.get("zzz").map(|v| v.to_value()), Some(json!(1)))
        }
        other => panic!("expected Simple, got {other:?}"),
    }
    let no_id: UnionBestFit = round_trip(json!({ "status": "running" }));
    assert!(matches!(no_id, UnionBestFit::Unknown(_)), "{no_id:?}");
}

#[test]
fn reference_or_object_picks_by_best_fit() {
    use reference_or_object::CaptureGetResponse;
    let simple: CaptureGetResponse = round_trip(json!({ "id": "p1", "status": "ok" }));
    assert!(
        matches!(simple, CaptureGetResponse::Capture(_)),
        "{simple:?}"
    );
    let full: CaptureGetResponse = round_trip(json!({ "id": "p1", "byte_limit": 5 }));
    assert!(
        matches!(full, CaptureGetResponse::CaptureFull(_)),
        "{full:?}"
    );
    let unknown: CaptureGetResponse = round_trip(json!({ "status": "ok" }));
    assert!(
        matches!(unknown, CaptureGetResponse::Unknown(_)),
        "{unknown:?}"
    );
}

#[test]
fn array_of_union_decodes_each_item_on_its_own() {
    use array_of_union::{ArrayOfUnion, ArrayOfUnionResult};
    let value: ArrayOfUnion = round_trip(json!({ "result": [
        { "account_app_id": "a1", "hostnames": ["a.example"] },
        { "managed_app_id": "m1" },
        { "hostnames": [] }
    ] }));
    assert!(matches!(
        value.result.as_slice(),
        [
            ArrayOfUnionResult::Account(_),
            ArrayOfUnionResult::Managed(_),
            ArrayOfUnionResult::Unknown(_)
        ]
    ));
    let empty: ArrayOfUnion = round_trip(json!({ "result": [] }));
    assert!(empty.result.is_empty());
}

#[test]
fn map_holds_string_values() {
    use map::MapHolder;
    let value: MapHolder = round_trip(json!({
        "id": "l1", "reservations": { "00:11:22:33:44:55": "192.0.2.100" }
    }));
    let reservations = value.reservations.as_ref().unwrap();
    assert_eq!(
        reservations.get("00:11:22:33:44:55").map(String::as_str),
        Some("192.0.2.100")
    );
    assert!(value.extra.is_empty());
    rejects::<MapHolder>(json!({ "id": "l1", "reservations": { "a": 1 } }));
}

#[test]
fn keyword_field_is_renamed_on_the_wire() {
    use keyword_field::KeywordField;
    let value: KeywordField = round_trip(json!({ "type": "simple", "name": "n" }));
    assert_eq!(value.kind.as_deref(), Some("simple"));
    assert!(value.extra.is_empty());
}

#[test]
fn keyword_collisions_get_distinct_names() {
    use keyword_collisions::KeywordCollisions;
    let value: KeywordCollisions = round_trip(json!({
        "type": "t", "kind": "k", "match": true, "extra": "e", "other": 1
    }));
    assert_eq!(value.type_, "t");
    assert_eq!(value.kind.as_deref(), Some("k"));
    assert_eq!(value.match_, Some(true));
    assert_eq!(value.extra.as_deref(), Some("e"));
    assert_eq!(value.extra_fields.len(), 1);
    assert_eq!(
        value.extra_fields.get("other").map(|v| v.to_value()),
        Some(json!(1))
    );
}

#[test]
fn literal_fields_and_unknown_values() {
    use literal_fields::LiteralFields;
    let value: LiteralFields = round_trip(json!({
        "success": true, "system": "magic-transit", "body": { "any": [1, "two", null] }
    }));
    assert!(value.success);
    assert_eq!(value.system.as_deref(), Some("magic-transit"));
    assert_eq!(value.body, json!({ "any": [1, "two", null] }));
    let scalar: LiteralFields = round_trip(json!({ "success": true, "body": "text" }));
    assert_eq!(scalar.body, json!("text"));
}

#[test]
fn string_alias_is_a_string() {
    use string_alias::{AliasHolder, Subnet};
    let value: AliasHolder = round_trip(json!({ "subnets": ["192.0.2.0/24"] }));
    let subnets: &Vec<Subnet> = value.subnets.as_ref().unwrap();
    let first: &String = &subnets[0];
    assert_eq!(first, "192.0.2.0/24");
}
