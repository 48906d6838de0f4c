//! Checks behind the generated `tests/examples.rs` case table: each documented example is taken
//! from the IR, decoded into the generated type and re-encoded, and must come back equal as a JSON
//! value (so `1000` stays `1000`, unknown fields survive, nothing is dropped).
#![allow(dead_code)]

use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Which example of an operation a case covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The `result` of the JSON response example.
    Response,
    /// The curl `-d` body.
    Request,
}

/// One operation example and the generated type it must fit.
pub struct Case {
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Which example.
    pub side: Side,
    /// Decodes and re-encodes through the generated type.
    pub round_trip: fn(&Value) -> Result<Value, String>,
    /// The same from JSON text, as the client decodes a response.
    pub round_trip_text: fn(&str) -> Result<Value, String>,
}

/// Decodes JSON text into `T` and encodes again.
pub fn round_trip_text<T: Serialize + DeserializeOwned>(text: &str) -> Result<Value, String> {
    let typed: T = serde_json::from_str(text).map_err(|e| format!("decode: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("encode: {e}"))
}

/// Decodes into `T` and encodes again.
pub fn round_trip<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("decode: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("encode: {e}"))
}

impl Case {
    /// A response case.
    pub fn response<T: Serialize + DeserializeOwned>(
        method: &'static str,
        path: &'static str,
    ) -> Case {
        Case {
            method,
            path,
            side: Side::Response,
            round_trip: round_trip::<T>,
            round_trip_text: round_trip_text::<T>,
        }
    }

    /// A request-body case.
    pub fn request<T: Serialize + DeserializeOwned>(
        method: &'static str,
        path: &'static str,
    ) -> Case {
        Case {
            method,
            path,
            side: Side::Request,
            round_trip: round_trip::<T>,
            round_trip_text: round_trip_text::<T>,
        }
    }
}

/// The IR built from the workspace's spec.
pub fn ir() -> codegen::ir::Ir {
    let spec = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../spec");
    match codegen::read_spec_dir(&spec).and_then(|(d, r)| codegen::build_ir(&d, r.as_ref())) {
        Ok((ir, _)) => ir,
        Err(e) => panic!("the spec must parse:\n{e}"),
    }
}

/// The example a case covers.
pub fn example(ir: &codegen::ir::Ir, case: &Case) -> Value {
    let op = ir
        .operations
        .iter()
        .find(|o| o.method.as_str() == case.method && o.path == case.path)
        .unwrap_or_else(|| panic!("no operation {} {}", case.method, case.path));
    match case.side {
        Side::Response => op
            .examples
            .response
            .as_ref()
            .and_then(|r| r.get("result"))
            .cloned(),
        Side::Request => op.examples.request.clone(),
    }
    .unwrap_or_else(|| {
        panic!(
            "{} {} has no {:?} example",
            case.method, case.path, case.side
        )
    })
}

/// Runs every case; all failures are reported together.
pub fn run(cases: Vec<Case>) {
    let ir = ir();
    let mut failures = Vec::new();
    let (mut responses, mut requests) = (0, 0);
    for case in &cases {
        let value = example(&ir, case);
        match (case.round_trip)(&value) {
            Ok(back) if back == value => {}
            Ok(back) => failures.push(format!(
                "{} {} {:?}: re-encoded value differs\n  sent: {value}\n  back: {back}",
                case.method, case.path, case.side
            )),
            Err(e) => failures.push(format!(
                "{} {} {:?}: {e}",
                case.method, case.path, case.side
            )),
        }
        match case.side {
            Side::Response => responses += 1,
            Side::Request => requests += 1,
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert_eq!(
        responses, 76,
        "every documented response example is covered"
    );
    assert_eq!(requests, 36, "every documented request body is covered");
}
