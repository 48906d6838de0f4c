//! Every documented example decodes into its operation's generated type and re-encodes to an
//! equal JSON value, and so does every response the reference allows (the wire property). The case
//! table is generated (`tests/generated/cases.rs`); the checks are in `support/examples.rs` and
//! the response builder in `support/wire_gen.rs`.

use serde_json::Value;

use crate::examples;

use crate::wire_gen;

use crate::cases;

#[test]
fn every_documented_example_round_trips() {
    examples::run(cases::cases());
}

/// Responses for every operation with a JSON result, built from the IR with everything the
/// reference allows (see `support/wire_gen.rs`), decode with the type the call returns and
/// re-encode to an equal JSON value: 100% of them, explicit nulls included.
#[test]
fn every_response_the_reference_allows_decodes_and_round_trips() {
    const PER_OPERATION: usize = 40;
    let ir = examples::ir();
    let mut generator = wire_gen::Generator::new(&ir);
    let mut rng = wire_gen::Rng::new(0x6d61_6769_6361_7069);
    let mut failures = Vec::new();
    let mut checked = 0;
    let results = cases::results();
    for case in &results {
        let op = ir
            .operations
            .iter()
            .find(|o| o.method.as_str() == case.method && o.path == case.path)
            .expect("every case is an operation");
        let result = match &op.response {
            codegen::ir::Response::Envelope { result, .. } => result,
            codegen::ir::Response::Json { ty } => ty,
            _ => continue,
        };
        for _ in 0..PER_OPERATION {
            let mut text = String::new();
            generator.value(&mut rng, result, 0, &mut text);
            let sent: Value = serde_json::from_str(&text).expect("the generator writes JSON");
            checked += 1;
            match (case.round_trip_text)(&text) {
                Ok(back) if wire_gen::json_equal(&sent, &back) => {}
                Ok(back) => failures.push(format!(
                    "{} {}: re-encoded value differs\n  sent: {text}\n  back: {back}",
                    case.method, case.path
                )),
                Err(e) => failures.push(format!(
                    "{} {}: {e}\n  sent: {text}",
                    case.method, case.path
                )),
            }
        }
        if case.method == "DELETE" {
            checked += 1;
            if (case.round_trip_text)("null") != Ok(Value::Null) {
                failures.push(format!(
                    "{} {}: a null result is not None",
                    case.method, case.path
                ));
            }
        }
    }
    let shown: Vec<&String> = failures.iter().take(5).collect();
    assert!(
        failures.is_empty(),
        "{} of {checked} responses failed; first ones:\n{shown:#?}",
        failures.len()
    );
    assert_eq!(
        results.len(),
        76,
        "every operation with a JSON result is covered"
    );
    for what in [
        "number spelling",
        "integer spelling",
        "explicit null",
        "unknown field",
        "unknown enum value",
        "unknown union alternative",
        "known tag, mismatching payload",
    ] {
        let n = generator.seen.get(what).copied().unwrap_or(0);
        assert!(n >= 20, "only {n} cases of {what}");
    }
}
