//! The IR built from the real spec: counts, paths, examples, union strategies, determinism.
//!
//! Where a count is checked, the expected value comes from an independent scan of the raw
//! reference (counted independently of the parser under test; `spec/FORMAT.md` describes the notation).

use std::collections::BTreeSet;
use std::path::PathBuf;

use codegen::ir::{Discrimination, Ir, ParamLocation, Response, Segment, TypeBody};

fn spec_dir() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../spec")
}

fn ir() -> Ir {
    match codegen::read_spec_dir(&spec_dir()).and_then(|(d, r)| codegen::build_ir(&d, r.as_ref())) {
        Ok((ir, _)) => ir,
        Err(e) => panic!("the spec must parse:\n{e}"),
    }
}

/// `(METHOD, path)` of every `**method** `path`` in the raw reference, found without the parser.
fn raw_operations() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(spec_dir().join("magic-transit.md")).unwrap();
    let mut out = BTreeSet::new();
    for method in ["get", "post", "put", "patch", "delete"] {
        let needle = format!(" **{method}** `");
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&needle) {
            let after = &rest[at + needle.len()..];
            let end = after.find('`').unwrap();
            out.insert((method.to_uppercase(), after[..end].to_string()));
            rest = after;
        }
    }
    out
}

#[test]
fn operations_are_exactly_the_references() {
    let ir = ir();
    assert_eq!(ir.operations.len(), 79);
    let ours: BTreeSet<(String, String)> = ir
        .operations
        .iter()
        .map(|o| (o.method.as_str().to_string(), o.path.clone()))
        .collect();
    assert_eq!(ours.len(), 79, "(method, path) pairs are unique");
    assert_eq!(ours, raw_operations());
}

#[test]
fn the_json_form_has_the_promised_top_level() {
    let ir = ir();
    let json = serde_json::to_value(&ir).unwrap();
    for key in ["operations", "types", "resources", "auth"] {
        assert!(json.get(key).is_some(), "missing `{key}`");
    }
    let ops = json["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 79);
    for op in ops {
        let method = op["method"].as_str().unwrap();
        assert_eq!(method, method.to_uppercase());
        assert!(op["path"].as_str().unwrap().starts_with('/'));
        assert!(!op["title"].as_str().unwrap().is_empty());
    }
    let types = json["types"].as_array().unwrap();
    assert_eq!(types.len(), 71, "71 domain types");
    for t in types {
        assert!(t["name"].is_string() && t["kind"].is_string());
    }
}

#[test]
fn domain_types_and_their_names() {
    let ir = ir();
    assert_eq!(ir.types.len(), 71);
    let names: BTreeSet<&str> = ir.types.iter().filter_map(|t| t.name.as_deref()).collect();
    assert_eq!(names.len(), 70, "LatestListResponse appears twice");
    let latest: Vec<_> = ir
        .types
        .iter()
        .filter(|t| t.name.as_deref() == Some("LatestListResponse"))
        .collect();
    assert_eq!(latest.len(), 2);
    assert_ne!(latest[0].id, latest[1].id);
    assert_ne!(
        latest[0].body, latest[1].body,
        "the two LatestListResponse shapes differ"
    );
    assert_eq!(
        latest[0].resource.as_deref(),
        Some("connectors.events.latest")
    );
    assert_eq!(
        latest[1].resource.as_deref(),
        Some("connectors.snapshots.latest")
    );
}

#[test]
fn connector_events_are_one_union_tagged_by_k() {
    let ir = ir();
    let tagged: Vec<_> = ir
        .shapes
        .iter()
        .chain(&ir.types)
        .filter_map(|d| match &d.body {
            TypeBody::Union {
                alternatives,
                discrimination: Discrimination::Tag { field, values },
            } if field == "k" => Some((alternatives, field, values)),
            _ => None,
        })
        .collect();
    assert_eq!(tagged.len(), 1, "one union tagged by `k`");
    let (alternatives, field, values) = tagged[0];
    assert_eq!(field, "k");
    assert_eq!(alternatives.len(), 16);
    assert_eq!(values.len(), 16);
    assert_eq!(values[0], "Init");
    assert!(values.contains(&"StartUpgrade".to_string()));
    let names: Vec<_> = alternatives
        .iter()
        .map(|a| a.name.clone().unwrap())
        .collect();
    assert_eq!(&names, values, "each alternative is named after its kind");
}

#[test]
fn path_parameters_equal_the_template_placeholders() {
    for op in ir().operations {
        // Placeholders read straight from the template text.
        let mut expected = Vec::new();
        let mut rest = op.path.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').unwrap() + open;
            expected.push(rest[open + 1..close].to_string());
            rest = &rest[close + 1..];
        }
        let got: Vec<_> = op
            .params_in(ParamLocation::Path)
            .map(|p| p.field.name.clone())
            .collect();
        assert_eq!(got, expected, "{} {}", op.method.as_str(), op.path);
    }
}

#[test]
fn two_parameter_segment() {
    let ir = ir();
    let op = ir
        .operations
        .iter()
        .find(|o| o.path.ends_with("/events/{event_t}.{event_n}"))
        .expect("the event-by-time operation");
    let Some(Segment::Compound { parts }) = op.segments.last() else {
        panic!("last segment is compound")
    };
    assert_eq!(
        parts,
        &[
            Segment::Param {
                name: "event_t".into()
            },
            Segment::Literal { text: ".".into() },
            Segment::Param {
                name: "event_n".into()
            },
        ]
    );
}

#[test]
fn every_example_validates_against_the_ir() {
    let ir = ir();
    let defs = ir.defs();
    let mut responses = 0;
    let mut requests = 0;
    for op in &ir.operations {
        if let Some(v) = &op.examples.response {
            codegen::ir::check_response(&defs, &op.response, v)
                .unwrap_or_else(|e| panic!("{} {}: {e}", op.method.as_str(), op.path));
            responses += 1;
        }
        if let Some(v) = &op.examples.request {
            let body = op.body.as_ref().expect("a request example implies a body");
            codegen::ir::check_value(&defs, &body.ty, v)
                .unwrap_or_else(|e| panic!("{} {}: {e}", op.method.as_str(), op.path));
            requests += 1;
        }
    }
    assert_eq!(responses, 76);
    assert_eq!(requests, 36);
}

#[test]
fn validation_rejects_what_the_docs_reject() {
    let ir = ir();
    let defs = ir.defs();
    let op = ir
        .operations
        .iter()
        .find(|o| o.title == "Create a GRE tunnel")
        .unwrap();
    let body = &op.body.as_ref().unwrap().ty;
    let good = op.examples.request.clone().unwrap();
    assert!(codegen::ir::check_value(&defs, body, &good).is_ok());
    let mut extra = good.clone();
    extra["surprise"] = serde_json::json!(1);
    assert!(
        codegen::ir::check_value(&defs, body, &extra).is_err(),
        "unknown key"
    );
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("name");
    assert!(
        codegen::ir::check_value(&defs, body, &missing).is_err(),
        "required field"
    );
    let mut wrong = good;
    wrong["health_check"]["rate"] = serde_json::json!("sometimes");
    let err = codegen::ir::check_value(&defs, body, &wrong).unwrap_err();
    assert_eq!(err.pointer, "/health_check/rate");
}

fn strategy_of_result(ir: &Ir, method: &str, path_suffix: &str) -> String {
    let op = ir
        .operations
        .iter()
        .find(|o| o.method.as_str() == method && o.path.ends_with(path_suffix))
        .unwrap_or_else(|| panic!("{method} {path_suffix}"));
    let Response::Envelope { result, .. } = &op.response else {
        panic!("envelope")
    };
    union_strategy(ir, result)
}

fn union_strategy(ir: &Ir, ty: &codegen::ir::Ty) -> String {
    use codegen::ir::Ty;
    match ty {
        Ty::Array { items } => union_strategy(ir, items),
        Ty::Ref { id } => match &ir.def(id).unwrap().body {
            TypeBody::Union { discrimination, .. } => discrimination.strategy().to_string(),
            other => format!("not a union: {}", other.kind()),
        },
        other => format!("not a union: {other:?}"),
    }
}

#[test]
fn every_union_gets_the_expected_strategy() {
    let ir = ir();
    let mut all: Vec<(String, String)> = ir
        .types
        .iter()
        .chain(&ir.shapes)
        .filter(|d| d.same_shape_as.is_none())
        .filter_map(|d| match &d.body {
            TypeBody::Union { discrimination, .. } => {
                Some((d.id.clone(), discrimination.strategy().to_string()))
            }
            _ => None,
        })
        .collect();
    all.sort();
    let count = |s: &str| all.iter().filter(|(_, x)| x == s).count();
    // Seven distinct union structures: target (string | object), events (k), apps responses,
    // app-config responses and the app-config body (required ids), PCAP responses (one shape for
    // List/Get/Create; best fit) and the PCAP request (tagged by `type` through
    // `[[union_tags]]`). Nothing falls through to `ordered`.
    assert_eq!(all.len(), 7, "{all:?}");
    assert_eq!(count("json_kind"), 1, "{all:?}");
    assert_eq!(count("tag"), 2, "{all:?}");
    assert_eq!(count("required_field"), 3, "{all:?}");
    assert_eq!(count("best_fit"), 1, "{all:?}");
    assert_eq!(count("ordered"), 0, "{all:?}");

    assert_eq!(
        strategy_of_result(&ir, "GET", "/magic/apps"),
        "required_field"
    );
    assert_eq!(
        strategy_of_result(&ir, "GET", "/app_configs"),
        "required_field"
    );
    assert_eq!(
        strategy_of_result(&ir, "GET", "/pcaps/{pcap_id}"),
        "best_fit"
    );
    let create_pcap = ir
        .operations
        .iter()
        .find(|o| o.method.as_str() == "POST" && o.path.ends_with("/pcaps"))
        .unwrap();
    assert_eq!(
        union_strategy(&ir, &create_pcap.body.as_ref().unwrap().ty),
        "tag"
    );
    let create_app_config = ir
        .operations
        .iter()
        .find(|o| o.method.as_str() == "POST" && o.path.ends_with("/app_configs"))
        .unwrap();
    assert_eq!(
        union_strategy(&ir, &create_app_config.body.as_ref().unwrap().ty),
        "required_field"
    );
}

#[test]
fn health_check_inline_and_named_stay_apart() {
    let ir = ir();
    let hc = ir.def("HealthCheck").unwrap();
    let TypeBody::Object { fields } = &hc.body else {
        panic!()
    };
    assert_eq!(fields.len(), 4);
    let gre = ir.def("GRETunnelCreateResponse").unwrap();
    let TypeBody::Object { fields } = &gre.body else {
        panic!()
    };
    let inline = fields.iter().find(|f| f.name == "health_check").unwrap();
    let codegen::ir::Ty::Ref { id } = &inline.ty else {
        panic!()
    };
    assert_ne!(id, "HealthCheck");
    let TypeBody::Object { fields } = &ir.def(id).unwrap().body else {
        panic!()
    };
    assert_eq!(fields.len(), 5);
}

#[test]
fn facts_only_the_page_has_are_merged() {
    let ir = ir();
    let names: Vec<_> = ir.auth.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["API Token", "API Email + API Key"]);
    assert_eq!(ir.auth[0].headers[0].name, "Authorization");
    assert_eq!(ir.auth[0].headers[0].prefix.as_deref(), Some("Bearer"));
    let headers: Vec<_> = ir.auth[1].headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(headers, ["X-Auth-Email", "X-Auth-Key"]);

    let info = ir
        .def("ResponseInfo")
        .expect("ResponseInfo is defined by the page");
    let TypeBody::Object { fields } = &info.body else {
        panic!()
    };
    let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["code", "message", "documentation_url", "source"]);
    assert_eq!(fields[0].constraints[0].keyword, "minimum");
    assert_eq!(fields[0].constraints[0].value, "1000");

    let op = ir
        .operations
        .iter()
        .find(|o| {
            o.method.as_str() == "PUT" && o.path == "/accounts/{account_id}/magic/cf_interconnects"
        })
        .unwrap();
    assert_eq!(op.permissions, ["Magic WAN Write", "Magic Transit Write"]);
    let account = op.params_in(ParamLocation::Path).next().unwrap();
    assert_eq!(account.field.constraints[0].keyword, "maxLength");
    assert_eq!(op.body.as_ref().unwrap().content_type, "application/json");
}

#[test]
fn prose_parameters_and_special_responses() {
    let ir = ir();
    let with_validate_only = ir
        .operations
        .iter()
        .filter(|o| {
            o.params
                .iter()
                .any(|p| p.field.name == "validate_only" && p.from_prose)
        })
        .count();
    assert_eq!(with_validate_only, 14);
    let binary: Vec<_> = ir
        .operations
        .iter()
        .filter(|o| matches!(o.response, Response::Binary { .. }))
        .collect();
    assert_eq!(binary.len(), 1);
    assert!(binary[0].path.ends_with("/download"));
    let none = ir
        .operations
        .iter()
        .filter(|o| matches!(o.response, Response::None))
        .count();
    assert_eq!(none, 2);
    let header_ops = ir
        .operations
        .iter()
        .filter(|o| o.params_in(ParamLocation::Header).next().is_some())
        .count();
    assert_eq!(header_ops, 17);
    let paged: Vec<_> = ir
        .operations
        .iter()
        .filter_map(|o| match &o.response {
            Response::Envelope {
                pagination: Some(p),
                ..
            } => Some((o.path.rsplit('/').next().unwrap().to_string(), p.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(paged.len(), 4, "{paged:?}");
}

#[test]
fn resources_are_a_tree_rebuilt_from_paths() {
    let ir = ir();
    fn ids(r: &codegen::ir::Resource, out: &mut Vec<String>) {
        out.push(r.id.clone());
        r.children.iter().for_each(|c| ids(c, out));
    }
    let mut all = Vec::new();
    ir.resources.iter().for_each(|r| ids(r, &mut all));
    for expected in [
        "sites.app_configs",
        "sites.acls",
        "sites.lans",
        "sites.wans",
        "connectors.events.latest",
        "connectors.snapshots.latest",
        "pcaps.ownership",
        "pcaps.download",
    ] {
        assert!(all.contains(&expected.to_string()), "{expected} in {all:?}");
    }
    assert_eq!(all.len(), 18);
    let total_ops: usize = {
        fn count(r: &codegen::ir::Resource) -> usize {
            r.operations.len() + r.children.iter().map(count).sum::<usize>()
        }
        ir.resources.iter().map(count).sum()
    };
    assert_eq!(total_ops, 79);
}

#[test]
fn output_is_deterministic() {
    let a = serde_json::to_string(&ir()).unwrap();
    let b = serde_json::to_string(&ir()).unwrap();
    assert_eq!(a, b);
    // Document order must not matter either.
    let (mut reversed, refinements) = codegen::read_spec_dir(&spec_dir()).unwrap();
    reversed.reverse();
    let (c, _) = codegen::build_ir(&reversed, refinements.as_ref()).unwrap();
    assert_eq!(a, serde_json::to_string(&c).unwrap());
}

#[test]
fn numbers_are_integers_only_where_a_reviewed_entry_says_so() {
    use codegen::ir::Ty;
    let ir = ir();
    let mut numbers = BTreeSet::new();
    let mut integers = BTreeSet::new();
    for def in ir.types.iter().chain(&ir.shapes) {
        if let TypeBody::Object { fields } = &def.body {
            for f in fields {
                let inner = match &f.ty {
                    Ty::Array { items } => items.as_ref(),
                    t => t,
                };
                match inner {
                    Ty::Number => numbers.insert(f.name.clone()),
                    Ty::Integer => integers.insert(f.name.clone()),
                    _ => false,
                };
            }
        }
    }
    // Timestamps, durations, percentages and counters the reference only calls `number`.
    for number in [
        "t",
        "time_limit",
        "cpu_pressure_10s",
        "load_average_1m",
        "current_celcius",
        "interrupt_window_duration_hours",
        "recv_bytes",
    ] {
        assert!(numbers.contains(number), "{number} is any number");
    }
    for int in [
        "mtu", "ttl", "priority", "ports", "n", "count", "code", "vlan_tag",
    ] {
        assert!(integers.contains(int), "{int} is an integer");
    }
    assert!(
        numbers.is_disjoint(&integers),
        "{:?}",
        numbers.intersection(&integers)
    );
    // Every integer has its entry (and evidence) in the refinements file.
    let (_, refinements) = codegen::read_spec_dir(&spec_dir()).unwrap();
    let text = refinements.unwrap().text;
    for int in &integers {
        assert!(
            text.contains(&format!("\n{int} = \"")),
            "{int} has no reviewed entry"
        );
    }
    let telemetry = ir
        .operations
        .iter()
        .find(|o| o.path.ends_with("/telemetry/events"))
        .unwrap();
    let from = telemetry
        .params
        .iter()
        .find(|p| p.field.name == "from")
        .unwrap();
    assert_eq!(from.field.ty, Ty::Number, "a timestamp keeps its fraction");
}

#[test]
fn breakout_is_nullable_because_its_prose_gives_null_a_meaning() {
    let ir = ir();
    let mut nullable = BTreeSet::new();
    for def in ir.types.iter().chain(&ir.shapes) {
        if let TypeBody::Object { fields } = &def.body {
            for f in fields.iter().filter(|f| f.nullable) {
                assert!(!f.required, "{}.{} is optional", def.id, f.name);
                nullable.insert(f.name.clone());
            }
        }
    }
    assert_eq!(nullable.into_iter().collect::<Vec<_>>(), ["breakout"]);
}

#[test]
fn event_kind_types_the_k_strings() {
    use codegen::ir::Ty;
    let ir = ir();
    let kind = ir.def("EventKind").expect("the tag enum");
    let TypeBody::Enum { values, open } = &kind.body else {
        panic!()
    };
    assert!(open, "the documents type `k` as any string");
    assert_eq!(values.len(), 16);
    let list = ir
        .operations
        .iter()
        .find(|o| o.path.ends_with("/telemetry/events"))
        .unwrap();
    let k = list.params.iter().find(|p| p.field.name == "k").unwrap();
    assert_eq!(
        k.field.ty,
        Ty::Ref {
            id: "EventKind".into()
        }
    );
    assert!(kind.used_at.len() >= 2, "{:?}", kind.used_at);
}

#[test]
fn refinements_that_match_nothing_are_errors() {
    let (docs, _) = codegen::read_spec_dir(&spec_dir()).unwrap();
    let stale = codegen::parse::Document {
        name: "refinements.toml".into(),
        text: "[integers]\nno_such_field = \"made up\"\n[nullable]\nphrases = [\"furlongs\"]\n[[tag_enums]]\ntag = \"zz\"\nname = \"Z\"\ndescription = \"z\"\n[[partial_items]]\nphrase = \"need be furlongs\"\nkeep = [\"id\"]\n".into(),
    };
    let errors = codegen::build_ir(&docs, Some(&stale)).unwrap_err();
    let err = errors.to_string();
    assert!(err.contains("furlongs"), "{err}");
    assert!(
        err.contains("[[partial_items]] phrase `need be furlongs`"),
        "{err}"
    );
    assert!(err.contains("tagged by the field `zz`"), "{err}");
    // Each stale entry is named, located at its line, and says what it expected and what to do.
    let entry = errors
        .0
        .iter()
        .find(|e| e.message.contains("[integers] `no_such_field`"))
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(entry.document, "refinements.toml");
    assert_eq!(entry.offset, "[integers]\n".len());
    assert!(
        entry
            .message
            .contains("expected a field or parameter of that name"),
        "{err}"
    );
    assert!(entry.message.contains("cargo xtask diff"), "{err}");
    let tag = errors.0.iter().find(|e| e.message.contains("`Z`")).unwrap();
    assert!(
        stale.text[tag.offset..].starts_with("name = \"Z\""),
        "{err}"
    );
    let malformed = codegen::parse::Document {
        name: "refinements.toml".into(),
        text: "[integers\n".into(),
    };
    assert!(codegen::build_ir(&docs, Some(&malformed)).is_err());
}

#[test]
fn an_enum_value_listed_twice_is_one_value() {
    // `#[wire_enum]` refuses two variants of one value, so the IR must not hand it a repeat.
    let text = crate::report::edited(&[
        (
            "\"small\" or \"large\"`",
            "\"small\" or \"large\" or \"small\"`",
        ),
        ("- `\"large\"`", "- `\"large\"` - `\"small\"`"),
    ]);
    let out = crate::report::output_of(&text);
    assert_eq!(out.snapshot.types["WidgetSize"].values, ["small", "large"]);
}
