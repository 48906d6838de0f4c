//! The binary as a user runs it: started as a process, it prints its base URL, serves the
//! client, and stops when killed. Its start-up time and resident memory are printed (never
//! asserted: this is a figure for the notes, not a pass/fail criterion).
//!
//! Also: the IR compiled into the mock reads.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use magic_api::{AccountId, Client, Credentials};

/// The IR compiled into the mock reads, and is the whole API. (That it is the IR of today's
/// `spec/` is the staleness test's job: `cargo xtask regenerate --check` in the tests crate.)
#[test]
fn the_compiled_in_ir_reads() {
    let ir = magic_api_mock::spec::build().expect("src/generated/ir.json reads");
    assert_eq!(ir.operations.len(), 79);
    assert!(!ir.store.collections.is_empty());
    assert_eq!(ir.store.effects.len(), ir.operations.len());
}

#[test]
fn the_binary_starts_serves_and_stops() {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_magic-api-mock"))
        .args(["--port", "0", "--seed-examples"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the base URL line");
    let startup = started.elapsed();
    let base_url = line.trim().to_owned();
    assert!(
        base_url.starts_with("http://127.0.0.1:") && base_url.ends_with("/client/v4"),
        "{base_url}"
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sites = runtime.block_on(async {
        let client = Client::builder(Credentials::api_token("any-token"))
            .base_url(base_url.clone())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        let account = AccountId::from("023e105f4ecef8ad9ca31a8372d0c353");
        client.sites().list(&account).await
    });
    let sites = sites.expect("the seeded sites");
    assert!(
        !sites.is_empty(),
        "--seed-examples loads the documented sites"
    );

    let rss = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.trim_start_matches("VmRSS:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    println!("magic-api-mock: first line after {startup:?}; resident memory after one call: {rss}");

    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "stopped by the signal");
}
