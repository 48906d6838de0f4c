//! A load generator for the mock binary, for the figures in the mock's README and in change
//! notes: how fast the process starts, and how it holds up under many concurrent clients.
//!
//! ```sh
//! cargo build --release -p magic-api-mock
//! cargo run --release -p magic-api-mock --example load -- \
//!     --bin target/release/magic-api-mock --clients 200 --seconds 10
//! ```
//!
//! It starts the binary (`--port 0`) `--startups` times and reports the time from spawning it to
//! the first answered request; then starts it once more and runs `--clients` concurrent
//! clients for `--seconds`, each on its own keep-alive connection and its own account, each
//! looping through a site's life (create, get, update, list, delete). It prints the requests
//! per second, latency percentiles, the count of failed requests, and the process's resident
//! memory at the end (Linux only; elsewhere "unknown").
//!
//! Figures only: nothing here asserts a time. The client side is hyper's own HTTP/1 client, so
//! the generator adds as little work as possible next to the server it measures.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpStream;

/// The command line: `--bin PATH --clients N --seconds S --startups K`.
struct Options {
    bin: String,
    clients: usize,
    seconds: u64,
    startups: usize,
}

impl Options {
    fn parse() -> Result<Options, String> {
        let mut options = Options {
            bin: "target/release/magic-api-mock".into(),
            clients: 200,
            seconds: 10,
            startups: 10,
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .ok_or_else(|| format!("`{flag}` takes a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("`{flag}` takes a number, got `{value}`"))
            };
            match flag.as_str() {
                "--bin" => options.bin = value.clone(),
                "--clients" => options.clients = number()? as usize,
                "--seconds" => options.seconds = number()?,
                "--startups" => options.startups = number()? as usize,
                other => {
                    return Err(format!(
                        "unknown flag `{other}`; usage: load [--bin PATH] [--clients N] \
                         [--seconds S] [--startups K]"
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// The running binary; killed when dropped.
struct Mock {
    child: Child,
    addr: SocketAddr,
    /// `/client/v4`.
    base_path: String,
}

impl Mock {
    fn spawn(bin: &str) -> Result<Mock, String> {
        let mut child = Command::new(bin)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start `{bin}`: {e}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no standard output")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("reading the base URL: {e}"))?;
        let rest = line
            .trim()
            .strip_prefix("http://")
            .ok_or_else(|| format!("unexpected first line `{line}`"))?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let addr = authority
            .parse()
            .map_err(|e| format!("address `{authority}`: {e}"))?;
        Ok(Mock {
            child,
            addr,
            base_path: format!("/{path}"),
        })
    }

    /// Resident and peak resident memory, from `/proc` (Linux).
    fn memory(&self) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()));
        let Ok(status) = status else {
            return "unknown (no /proc)".into();
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map_or("?".into(), |v| v.trim().to_owned())
        };
        format!("{} (peak {})", field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One keep-alive connection.
struct Conn {
    sender: SendRequest<Full<Bytes>>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Result<Conn, String> {
        let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        Ok(Conn { sender })
    }

    /// Sends one request; the status and the body.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Bytes), String> {
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1")
            .header("authorization", "Bearer load");
        let bytes = match body {
            Some(b) => {
                request = request.header("content-type", "application/json");
                Bytes::from(b.to_string())
            }
            None => Bytes::new(),
        };
        let request = request.body(Full::new(bytes)).map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?;
        Ok((status, body.to_bytes()))
    }
}

/// The time from spawning the binary to its first answered request.
async fn startup(bin: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let mock = Mock::spawn(bin)?;
    let path = format!(
        "{}/accounts/{:032x}/magic/sites",
        mock.base_path.trim_end_matches('/'),
        0
    );
    loop {
        if let Ok(mut conn) = Conn::open(mock.addr).await {
            if let Ok((200, _)) = conn.send("GET", &path, None).await {
                return Ok(started.elapsed());
            }
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err("no answer within 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// What one client saw.
#[derive(Default)]
struct Tally {
    /// Latency of every answered request, in microseconds.
    latencies: Vec<u32>,
    /// Requests that failed or were answered with an unexpected status.
    failures: usize,
}

/// One client: a site's life, over and over, until `deadline`.
async fn client(addr: SocketAddr, base: String, n: usize, deadline: Instant) -> Tally {
    let mut tally = Tally::default();
    let sites = format!("{base}/accounts/{:032x}/magic/sites", n + 1);
    let mut conn = None;
    let mut round = 0u64;
    while Instant::now() < deadline {
        let c = match &mut conn {
            Some(c) => c,
            None => match Conn::open(addr).await {
                Ok(c) => conn.insert(c),
                Err(_) => {
                    tally.failures += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        round += 1;
        let created = timed(
            &mut tally,
            c.send(
                "POST",
                &sites,
                Some(&json!({"name": format!("load-{n}-{round}")})),
            ),
        )
        .await;
        let id = created
            .as_ref()
            .and_then(|body| serde_json::from_slice::<Value>(body).ok())
            .and_then(|v| v["result"]["id"].as_str().map(str::to_owned));
        let Some(id) = id else {
            // A broken connection: open a new one.
            conn = None;
            continue;
        };
        let site = format!("{sites}/{id}");
        let steps: [(&str, &str, Option<Value>); 4] = [
            ("GET", &site, None),
            ("PATCH", &site, Some(json!({"description": "under load"}))),
            ("GET", &sites, None),
            ("DELETE", &site, None),
        ];
        for (method, path, body) in steps {
            if timed(&mut tally, c.send(method, path, body.as_ref()))
                .await
                .is_none()
            {
                conn = None;
                break;
            }
        }
    }
    tally
}

/// Runs one request, recording its latency (or its failure); the body when it was a 200.
async fn timed(
    tally: &mut Tally,
    request: impl Future<Output = Result<(u16, Bytes), String>>,
) -> Option<Bytes> {
    let started = Instant::now();
    match request.await {
        Ok((200, body)) => {
            let micros = started.elapsed().as_micros();
            tally
                .latencies
                .push(u32::try_from(micros).unwrap_or(u32::MAX));
            Some(body)
        }
        Ok(_) | Err(_) => {
            tally.failures += 1;
            None
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    let at = rank.clamp(1, sorted.len()) - 1;
    f64::from(sorted[at]) / 1000.0
}

async fn run(options: Options) -> Result<(), String> {
    let mut startups = Vec::new();
    for _ in 0..options.startups {
        startups.push(startup(&options.bin).await?);
    }
    startups.sort();
    if let (Some(first), Some(last)) = (startups.first(), startups.last()) {
        let median = startups[startups.len() / 2];
        println!(
            "start-up (spawn to first answered request, {} runs): median {:.1} ms, \
             min {:.1} ms, max {:.1} ms",
            startups.len(),
            median.as_secs_f64() * 1e3,
            first.as_secs_f64() * 1e3,
            last.as_secs_f64() * 1e3
        );
    }

    let mock = Mock::spawn(&options.bin)?;
    let base = mock.base_path.trim_end_matches('/').to_owned();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let tasks: Vec<_> = (0..options.clients)
        .map(|n| tokio::spawn(client(mock.addr, base.clone(), n, deadline)))
        .collect();
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let tally = task.await.map_err(|e| e.to_string())?;
        latencies.extend(tally.latencies);
        failures += tally.failures;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    println!(
        "load: {} clients x {} s: {} requests answered ({:.0}/s), {failures} failed; \
         latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; resident memory at the end {}",
        options.clients,
        options.seconds,
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
        mock.memory(),
    );
    Ok(())
}

fn main() -> std::process::ExitCode {
    let outcome = Options::parse().and_then(|options| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?
            .block_on(run(options))
    });
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
