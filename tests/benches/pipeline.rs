//! One run, two figures (no harness, no assertions): `cargo bench -p magic-api-tests`.
//!
//! (a) the whole regenerate pipeline in process: read nothing (documents are in memory), parse
//!     both documents, build and check the IR, emit and format every generated file;
//! (b) decode throughput of the largest response examples (the snapshot ones) into the generated
//!     types versus into `serde_json::Value`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use magic_api::types::{SnapshotGetResponse, SnapshotLatestListResponse};
use serde::de::DeserializeOwned;

fn summary(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>() / n as u32;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(samples[0]), ms(samples[n / 2]), ms(mean))
}

fn time<T>(warmup: usize, runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    for _ in 0..warmup {
        std::hint::black_box(f());
    }
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect()
}

fn throughput<T: DeserializeOwned>(label: &str, text: &str) {
    const ROUNDS: usize = 2000;
    let typed = time(200, ROUNDS, || serde_json::from_str::<T>(text).map(|_| ()));
    let value = time(200, ROUNDS, || {
        serde_json::from_str::<serde_json::Value>(text).map(|_| ())
    });
    let (_, typed_med, _) = summary(typed);
    let (_, value_med, _) = summary(value);
    let mbps = |ms: f64| text.len() as f64 / (ms / 1e3) / 1e6;
    println!(
        "decode {label} ({} bytes): typed {:.1} µs ({:.0} MB/s), Value {:.1} µs ({:.0} MB/s), typed/Value {:.2}x",
        text.len(),
        typed_med * 1e3,
        mbps(typed_med),
        value_med * 1e3,
        mbps(value_med),
        typed_med / value_med
    );
}

/// The snapshot example's `result`, as JSON text.
fn snapshot_text(
    docs: &[codegen::parse::Document],
    refinements: &codegen::parse::Document,
) -> String {
    let (ir, _) = codegen::build_ir(docs, Some(refinements)).expect("the spec parses");
    let op = ir
        .operations
        .iter()
        .find(|o| o.method.as_str() == "GET" && o.path.ends_with("/snapshots/{snapshot_t}"))
        .expect("the snapshot operation");
    let result = &op.examples.response.as_ref().expect("an example")["result"];
    serde_json::to_string(result).expect("serializable")
}

fn main() {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("..");
    let spec = root.join("spec");
    let (docs, refinements) = match codegen::read_spec_dir(&spec) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let refinements_doc = refinements.expect("spec/refinements.toml");
    let pipeline = || -> Result<usize, String> {
        let (ir, _) =
            codegen::build_ir(&docs, Some(&refinements_doc)).map_err(|e| e.to_string())?;
        let out = codegen::generate(&ir)?;
        Ok(out.files.iter().map(|f| f.contents.len()).sum())
    };
    // `--once parse|regenerate`: one run and nothing else, for instruction counting
    // (`valgrind --tool=callgrind`), which does not depend on what else the machine runs.
    // `--once decode`: 10,000 typed decodes of the snapshot example, for profiling.
    let args: Vec<String> = std::env::args().collect();
    if args
        .windows(2)
        .any(|w| w[0] == "--once" && w[1] == "decode")
    {
        let text = snapshot_text(&docs, &refinements_doc);
        for _ in 0..10_000 {
            std::hint::black_box(serde_json::from_str::<SnapshotGetResponse>(&text).is_ok());
        }
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--once") {
        let done = match args.get(i + 1).map(String::as_str) {
            Some("parse") => codegen::build_ir(&docs, Some(&refinements_doc))
                .map(|_| 0)
                .map_err(|e| e.to_string()),
            _ => pipeline(),
        };
        if let Err(e) = done {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    match pipeline() {
        Ok(bytes) => println!("regenerate output: {bytes} bytes"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
    let parse_only = time(5, 40, || {
        codegen::build_ir(&docs, Some(&refinements_doc)).map(|_| ())
    });
    let whole = time(5, 40, pipeline);
    let (min, med, mean) = summary(parse_only);
    println!(
        "parse + IR + checks:                 min {min:.2} ms  median {med:.2} ms  mean {mean:.2} ms"
    );
    let (min, med, mean) = summary(whole);
    println!(
        "regenerate (parse, IR, emit, format): min {min:.2} ms  median {med:.2} ms  mean {mean:.2} ms"
    );

    let (ir, _) = codegen::build_ir(&docs, Some(&refinements_doc)).expect("the spec parses");
    let example = |suffix: &str| {
        let op = ir
            .operations
            .iter()
            .find(|o| o.method.as_str() == "GET" && o.path.ends_with(suffix))
            .expect("a snapshot operation");
        let result = &op.examples.response.as_ref().expect("an example")["result"];
        serde_json::to_string(result).expect("serializable")
    };
    throughput::<SnapshotGetResponse>("snapshot", &example("/snapshots/{snapshot_t}"));
    throughput::<SnapshotLatestListResponse>("latest snapshots", &example("/snapshots/latest"));
}
