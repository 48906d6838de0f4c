//! Request bodies: what violates the body type (unknown keys, missing required fields, values
//! outside a closed enum, the wrong JSON kind) is refused with its pointer; a missing body and
//! an unexpected one are refused.

use magic_api::RawRequest;
use magic_api_mock::{code, spec_ir as ir};
use magic_api_model::{Operation, ParamLocation, Ty, TypeBody, check_value};
use serde_json::{Value, json};

use crate::support::{
    build, client, defs, expect_rejection, find_op, is_json, method, ops, sample, sample_body,
    sample_path, start,
};

/// JSON pointers (in `value`, of type `ty`) of every string whose type is a closed enum.
fn closed_enum_pointers(ty: &Ty, value: &Value, pointer: String, out: &mut Vec<String>) {
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match (ty, value) {
        // A literal is a closed enum of one value (the PCAP request's `type`).
        (Ty::Literal { .. }, Value::String(_)) => out.push(pointer),
        (Ty::Array { items }, Value::Array(list)) => {
            for (i, v) in list.iter().enumerate() {
                closed_enum_pointers(items, v, format!("{pointer}/{i}"), out);
            }
        }
        (Ty::Map { values }, Value::Object(map)) => {
            for (k, v) in map {
                closed_enum_pointers(values, v, format!("{pointer}/{}", escape(k)), out);
            }
        }
        (Ty::Ref { id }, _) => match &ir().def(id).expect("defined").body {
            TypeBody::Enum { open: false, .. } if value.is_string() => out.push(pointer),
            TypeBody::Alias { target } => closed_enum_pointers(target, value, pointer, out),
            TypeBody::Object { fields } => {
                for f in fields {
                    if let Some(v) = value.get(&f.name) {
                        closed_enum_pointers(
                            &f.ty,
                            v,
                            format!("{pointer}/{}", escape(&f.name)),
                            out,
                        );
                    }
                }
            }
            TypeBody::Union { alternatives, .. } => {
                if let Some(alt) = alternatives
                    .iter()
                    .find(|a| check_value(&defs(), &a.ty, value).is_ok())
                {
                    closed_enum_pointers(&alt.ty, value, pointer, out);
                }
            }
            TypeBody::Enum { .. } => {}
        },
        _ => {}
    }
}

#[tokio::test]
async fn bodies_that_violate_the_schema_are_rejected() {
    let mock = start().await;
    let client = client(&mock);
    let object_body = |op: &Operation| {
        op.body
            .as_ref()
            .is_some_and(|b| defs().object_fields(&b.ty).is_some())
            && op.examples.request.is_some()
    };

    // An unknown key.
    let (index, op) = find_op(|op| is_json(op) && object_body(op));
    let mut body = sample_body(op).unwrap();
    body["definitely_not_a_field"] = json!(1);
    let req = build(op, false).req.json_body(&body).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
    assert!(
        r.message.contains("definitely_not_a_field") && r.message.contains("not declared"),
        "{}",
        r.message
    );
    assert_eq!(mock.last_request().unwrap().operation, Some(index));

    // A required field missing (from an example that has it).
    let (_, op) = find_op(|op| {
        is_json(op)
            && object_body(op)
            && defs()
                .object_fields(&op.body.as_ref().unwrap().ty)
                .unwrap()
                .iter()
                .any(|f| f.required && op.examples.request.as_ref().unwrap().get(&f.name).is_some())
    });
    let field = defs()
        .object_fields(&op.body.as_ref().unwrap().ty)
        .unwrap()
        .iter()
        .find(|f| f.required && op.examples.request.as_ref().unwrap().get(&f.name).is_some())
        .unwrap();
    let mut body = sample_body(op).unwrap();
    body.as_object_mut().unwrap().remove(&field.name);
    let req = build(op, false).req.json_body(&body).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
    assert!(
        r.message.contains(&field.name) && r.message.contains("required"),
        "{}",
        r.message
    );

    // A value outside a closed enum, anywhere in any documented request body.
    let mut found = None;
    'ops: for op in ops().iter().filter(|o| is_json(o)) {
        let (Some(body), Some(example)) = (&op.body, &op.examples.request) else {
            continue;
        };
        let mut pointers = Vec::new();
        closed_enum_pointers(&body.ty, example, String::new(), &mut pointers);
        for p in pointers {
            let mut bad = example.clone();
            *bad.pointer_mut(&p).unwrap() = json!("not-a-documented-value");
            if check_value(&defs(), &body.ty, &bad).is_err() {
                found = Some((op, bad));
                break 'ops;
            }
        }
    }
    let (op, bad) = found.expect("some documented request body has a closed enum");
    let req = build(op, false).req.json_body(&bad).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
    // An enum names its values; a literal (a one-value enum) names its value.
    assert!(
        (r.message.contains("not-a-documented-value") && r.message.contains("expected one of"))
            || r.message.contains("expected \"magic-transit\""),
        "{}",
        r.message
    );

    // Wrong JSON kind at the top.
    let req = build(op, false).req.json_body(&json!([1, 2])).unwrap();
    expect_rejection(&mock, &client, req, 400, code::BODY_SCHEMA).await;
}

#[tokio::test]
async fn missing_and_unexpected_bodies_are_rejected() {
    let mock = start().await;
    let client = client(&mock);
    let mut missing = 0;
    for op in ops().iter().filter(|o| is_json(o) && o.body.is_some()) {
        let mut req = RawRequest::new(method(op), sample_path(op).0);
        for q in op
            .params_in(ParamLocation::Query)
            .filter(|q| q.field.required)
        {
            req = req.query(q.field.name.as_str(), sample(&q.field.ty, &q.field.name));
        }
        let r = expect_rejection(&mock, &client, req, 400, code::BODY_MISSING).await;
        assert!(r.message.contains("requires"), "{}", r.message);
        missing += 1;
    }
    assert_eq!(
        missing,
        ops()
            .iter()
            .filter(|o| is_json(o) && o.body.is_some())
            .count()
    );

    let (_, op) = find_op(|op| is_json(op) && op.body.is_none());
    let req = build(op, false).req.json_body(&json!({})).unwrap();
    let r = expect_rejection(&mock, &client, req, 400, code::BODY_UNEXPECTED).await;
    assert!(r.message.contains("takes no request body"), "{}", r.message);
}
