//! The binary as a user runs it: started as a process, it prints its base URL, serves the
//! client, and stops when killed; connections that never finish a request do not keep a new
//! client out; its memory stays bounded under large requests; requests the reference allows
//! are accepted; faults scripted on its command line are answered. Its start-up time and
//! resident memory are printed (memory is asserted only against the README's bound; time
//! never).
//!
//! Also: the IR compiled into the mock reads.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use magic_api::{AccountId, Client, Credentials};
use serde_json::{Value, json};

/// The bound `mock/README.md` states for the resident memory after 1,000 large requests.
const RSS_BOUND_KIB: u64 = 64 * 1024;

/// The IR compiled into the mock reads, and is the whole API. (That it is the IR of today's
/// `spec/` is the staleness test's job: `cargo xtask regenerate --check` in the tests crate.)
#[test]
fn the_compiled_in_ir_reads() {
    let ir = magic_api_mock::spec::build().expect("src/generated/ir.json reads");
    assert_eq!(ir.operations.len(), 79);
    assert!(!ir.store.collections.is_empty());
    assert_eq!(ir.store.effects.len(), ir.operations.len());
}

/// The binary, killed when dropped.
struct Mock {
    child: Child,
    addr: SocketAddr,
    /// `http://127.0.0.1:PORT/client/v4`.
    base_url: String,
}

impl Mock {
    fn start(args: &[&str]) -> Mock {
        Mock::spawn(Command::new(env!("CARGO_BIN_EXE_magic-api-mock")).args(args))
    }

    fn spawn(command: &mut Command) -> Mock {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the base URL line");
        let base_url = line.trim().to_owned();
        assert!(
            base_url.starts_with("http://127.0.0.1:") && base_url.ends_with("/client/v4"),
            "{base_url:?}"
        );
        let authority = &base_url["http://".len()..base_url.len() - "/client/v4".len()];
        Mock {
            child,
            addr: authority.parse().expect("a socket address"),
            base_url,
        }
    }

    /// Resident memory in KiB (Linux: `/proc/<pid>/status`).
    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// One request on a connection of its own; the status and the body. Fails the test if no
    /// answer arrives within `wait`.
    fn send(&self, method: &str, path: &str, body: Option<&str>, wait: Duration) -> (u16, Value) {
        let (status, body) = self.send_raw(method, path, body, wait);
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    fn send_raw(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        wait: Duration,
    ) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream.set_read_timeout(Some(wait)).unwrap();
        let body = body.unwrap_or("");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer t\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut reply = Vec::new();
        stream
            .read_to_end(&mut reply)
            .unwrap_or_else(|e| panic!("{method} {path}: no answer within {wait:?}: {e}"));
        let end = reply
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("{method} {path}: no response head"));
        let status = String::from_utf8_lossy(&reply[..end])
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        (status, reply[end + 4..].to_vec())
    }

    /// `/client/v4/accounts/<ACCOUNT>…`.
    fn api(&self, rest: &str) -> String {
        format!("/client/v4/accounts/{ACCOUNT}{rest}")
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const WAIT: Duration = Duration::from_secs(20);

#[test]
fn the_binary_starts_serves_and_stops() {
    let started = Instant::now();
    let mut mock = Mock::start(&["--port", "0", "--seed-examples"]);
    let startup = started.elapsed();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sites = runtime.block_on(async {
        let client = Client::builder(Credentials::api_token("any-token"))
            .base_url(mock.base_url.clone())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        let account = AccountId::from(ACCOUNT);
        client.sites().list(&account).await
    });
    let sites = sites.expect("the seeded sites");
    assert!(
        !sites.is_empty(),
        "--seed-examples loads the documented sites"
    );
    let rss = mock
        .rss_kib()
        .map_or_else(|| "unknown".into(), |k| format!("{k} kB"));
    println!("magic-api-mock: first line after {startup:?}; resident memory after one call: {rss}");

    mock.child.kill().expect("kill");
    let status = mock.child.wait().expect("wait");
    assert!(!status.success(), "stopped by the signal");
}

/// Connections that never complete a request (idle ones, and heads trickling in a byte at a
/// time) are closed after the idle timeout, so even when they outnumber the file handles the
/// process may open, a new client is served.
#[test]
fn idle_and_trickling_connections_do_not_block_a_new_client() {
    if !cfg!(target_os = "linux") {
        println!("skipped: the file-handle limit is set with the Linux shell's `ulimit -n`");
        return;
    }
    // 40 file handles: fewer than the connections below, so the process runs out of them.
    let mock = Mock::spawn(Command::new("sh").args([
        "-c",
        "ulimit -n 40 && exec \"$0\" --port 0 --idle-timeout 1",
        env!("CARGO_BIN_EXE_magic-api-mock"),
    ]));
    let idle: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(mock.addr).expect("connect"))
        .collect();
    let trickling: Vec<std::thread::JoinHandle<bool>> = (0..4)
        .map(|_| {
            let addr = mock.addr;
            std::thread::spawn(move || {
                let Ok(mut stream) = TcpStream::connect(addr) else {
                    return true;
                };
                // A byte every 100 ms, for at most 20 s: the mock must close it before.
                for byte in b"GET /client/v4/accounts/a/magic/sites HTTP/1.1\r\nHost: mock\r\n"
                    .iter()
                    .cycle()
                    .take(200)
                {
                    if stream.write_all(&[*byte]).is_err() {
                        return true;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                false
            })
        })
        .collect();

    // A new client is served (a bounded wait: the test fails if it is not).
    let (status, body) = mock.send("GET", &mock.api("/magic/sites"), None, WAIT);
    assert_eq!(status, 200, "{body}");

    // And the connections that sent nothing were closed by the mock.
    for mut stream in idle {
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut buf = [0u8; 1];
        match stream.read(&mut buf) {
            Ok(0) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            other => panic!("an idle connection stayed open: {other:?}"),
        }
    }
    for handle in trickling {
        assert!(
            handle.join().expect("the trickling thread"),
            "a trickling head was not cut off"
        );
    }
}

/// 1,000 requests with 256 KiB bodies (refused ones and accepted ones that keep nothing):
/// the log keeps such bodies by length and digest only, so resident memory stays under the
/// README's bound.
#[test]
fn memory_stays_bounded_under_large_requests() {
    let mock = Mock::start(&["--port", "0"]);
    let filler = "x".repeat(256 * 1024);
    // An undeclared key: refused. An untyped bulk body naming no tunnel: accepted, no change.
    let refused = json!({"name": "big", "not_a_field": filler}).to_string();
    let accepted = json!({"note": filler}).to_string();
    let (sites, tunnels) = (mock.api("/magic/sites"), mock.api("/magic/gre_tunnels"));
    for i in 0..1000 {
        let (status, _) = if i % 2 == 0 {
            mock.send_raw("POST", &sites, Some(&refused), WAIT)
        } else {
            mock.send_raw("PUT", &tunnels, Some(&accepted), WAIT)
        };
        assert_eq!(status, if i % 2 == 0 { 400 } else { 200 }, "request {i}");
    }
    let Some(rss) = mock.rss_kib() else {
        println!("skipped the memory bound: no /proc/<pid>/status here");
        return;
    };
    println!("magic-api-mock: resident memory after 1,000 requests of 256 KiB: {rss} kB");
    assert!(
        rss < RSS_BOUND_KIB,
        "{rss} kB resident, the README promises less than {RSS_BOUND_KIB} kB"
    );
    // The log still tells what arrived.
    let (status, log) = mock.send("GET", "/__mock/requests", None, WAIT);
    assert_eq!(status, 200);
    assert_eq!(log["count"], json!(1000));
    let last = &log["requests"][999];
    assert_eq!(last["body_len"], json!(accepted.len()), "{last}");
    assert_eq!(
        last["body_digest"],
        json!(magic_api_mock::body_digest(accepted.as_bytes()))
    );
    assert_eq!(last["body"], Value::Null, "a large body is not kept");
}

/// Requests the reference allows and the mock used to refuse: an untyped bulk update's `{}`,
/// a LAN created with only `routed_subnets` (one LAN, not one per subnet), and a full PCAP
/// request whose `type` is `"simple"` (the reference allows either value in either form).
#[test]
fn requests_the_reference_allows_are_accepted() {
    let mock = Mock::start(&["--port", "0"]);
    let (status, body) = mock.send("PUT", &mock.api("/magic/gre_tunnels"), Some("{}"), WAIT);
    assert_eq!(status, 200, "{body}");

    let (status, site) = mock.send(
        "POST",
        &mock.api("/magic/sites"),
        Some(r#"{"name": "s"}"#),
        WAIT,
    );
    assert_eq!(status, 200, "{site}");
    let site_id = site["result"]["id"].as_str().expect("a site id").to_owned();
    let lans = mock.api(&format!("/magic/sites/{site_id}/lans"));
    let lan = json!({"routed_subnets": [
        {"next_hop": "192.0.2.1", "prefix": "192.0.2.0/24"},
        {"next_hop": "192.0.2.2", "prefix": "198.51.100.0/24"},
    ]});
    let (status, created) = mock.send("POST", &lans, Some(&lan.to_string()), WAIT);
    assert_eq!(status, 200, "{created}");
    let (_, listed) = mock.send("GET", &lans, None, WAIT);
    let listed = listed["result"].as_array().expect("a list").clone();
    assert_eq!(listed.len(), 1, "one LAN: {listed:?}");
    assert_eq!(listed[0]["routed_subnets"], lan["routed_subnets"]);

    let pcap = json!({
        "colo_name": "ord02",
        "destination_conf": "s3://pcaps-bucket?region=us-east-1",
        "system": "magic-transit",
        "time_limit": 300,
        "type": "simple",
    });
    let (status, body) = mock.send("POST", &mock.api("/pcaps"), Some(&pcap.to_string()), WAIT);
    assert_eq!(status, 200, "{body}");
}

/// Faults given with `--fail` are answered: `x2` for the next two requests, none for every
/// one; the control endpoint adds and clears them while the process runs.
#[test]
fn faults_from_the_command_line_are_answered() {
    let mock = Mock::start(&[
        "--port",
        "0",
        "--fail",
        "POST /magic/sites=429x2",
        "--fail",
        "GET /magic/routes=503",
    ]);
    let sites = mock.api("/magic/sites");
    let statuses: Vec<u16> = (0..3)
        .map(|_| mock.send("POST", &sites, Some(r#"{"name": "s"}"#), WAIT).0)
        .collect();
    assert_eq!(statuses, [429, 429, 200]);
    let routes = mock.api("/magic/routes");
    for _ in 0..2 {
        let (status, body) = mock.send("GET", &routes, None, WAIT);
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["success"], json!(false));
    }

    let (status, _) = mock.send("DELETE", "/__mock/faults", None, WAIT);
    assert_eq!(status, 200);
    assert_eq!(mock.send("GET", &routes, None, WAIT).0, 200);
    let (status, body) = mock.send(
        "POST",
        "/__mock/faults",
        Some("GET /magic/routes=403x1\nGET /magic/routes=drop x1"),
        WAIT,
    );
    assert_eq!(status, 400, "a bad line applies nothing: {body}");
    let (status, _) = mock.send(
        "POST",
        "/__mock/faults",
        Some("GET /magic/routes=403x1"),
        WAIT,
    );
    assert_eq!(status, 200);
    assert_eq!(mock.send("GET", &routes, None, WAIT).0, 403);
    assert_eq!(mock.send("GET", &routes, None, WAIT).0, 200);

    // A misspelt script stops the process before it serves anything.
    let output = Command::new(env!("CARGO_BIN_EXE_magic-api-mock"))
        .args(["--port", "0", "--fail", "POST /magic/sitez=429"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("sitez"));
}
