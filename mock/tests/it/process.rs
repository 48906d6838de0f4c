//! The binary as a user runs it: started as a process, it prints its base URL, serves the
//! client, and stops when killed. Its start-up time and resident memory are printed (never
//! asserted: this is a figure for the notes, not a pass/fail criterion).
//!
//! Also: the documents compiled into the mock are exactly `spec/`'s.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use magic_api::{AccountId, Client, Credentials};

#[test]
fn compiled_in_documents_are_the_spec_directory() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let (docs, refinements) = codegen::read_spec_dir(&dir).expect("spec/ reads");
    let on_disk: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d.name.as_str(), d.text.as_str()))
        .collect();
    assert_eq!(
        on_disk,
        magic_api_mock::spec::DOCUMENTS,
        "mock/src/spec.rs must list every document of spec/"
    );
    assert_eq!(
        refinements.map(|r| r.text).as_deref(),
        Some(magic_api_mock::spec::REFINEMENTS)
    );
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
