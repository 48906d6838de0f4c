//! Times the spec pipeline in-process and prints the figures (no harness, no wall-clock
//! assertions): `cargo bench -p codegen`.
//!
//! - parse: both documents (already in memory) into the checked IR.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn stats(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>() / n as u32;
    format!(
        "min {:>8.3} ms  median {:>8.3} ms  mean {:>8.3} ms  ({n} runs)",
        samples[0].as_secs_f64() * 1e3,
        samples[n / 2].as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3
    )
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    for _ in 0..3 {
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

fn main() {
    let spec = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../spec");
    let docs = match codegen::parse::read_dir(&spec) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot read {}: {e}", spec.display());
            std::process::exit(1);
        }
    };
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    println!("input: {} documents, {bytes} bytes", docs.len());
    let parse = time(50, || {
        codegen::build_ir(&docs, None).map(|(ir, _)| ir.operations.len())
    });
    println!("parse (both documents -> checked IR): {}", stats(parse));
}
