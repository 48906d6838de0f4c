//! Per-request overhead of `Client::send_json` compared with a bare `reqwest` GET plus a
//! `serde_json` decode of the same typed envelope, against the same loopback server; and of a
//! download saved with `Download::write_to_file` compared with a bare `reqwest` body written
//! chunk by chunk to a `tokio::fs::File` (made durable with `sync_all`, as ours is).
//!
//! Run with `cargo bench -p magic-api --bench overhead`. No criterion: a plain loop that
//! interleaves the two variants (alternating which goes first) so that drift in machine
//! load affects both equally, then prints mean and median latency per request.
//!
//! The server runs on its own thread and runtime; the clients on a current-thread runtime.

use std::io;
use std::time::{Duration, Instant};

use magic_api::reqwest::{self, Method};
use magic_api::{Client, Credentials, RawRequest, RetryPolicy};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const N: usize = 2000;
const WARMUP: usize = 200;
/// Downloads per variant, and the size of each (a packet capture of a few MiB).
const DOWNLOADS: usize = 40;
const DOWNLOAD_WARMUP: usize = 4;
const DOWNLOAD_BYTES: usize = 8 << 20;

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // fields exist to make decoding realistic
struct Site {
    id: String,
    name: String,
    description: String,
    connector_id: String,
    secondary_connector_id: Option<String>,
    ha_mode: bool,
    location: Location,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Location {
    lat: String,
    lon: String,
}

/// What a hand-rolled caller would decode: the envelope with `result` typed directly.
#[derive(Deserialize)]
struct BareEnvelope<T> {
    success: bool,
    result: T,
}

fn site_json(i: usize) -> String {
    format!(
        r#"{{"id":"023e105f4ecef8ad9ca31a8372d0{i:04}","name":"site-{i}","description":"Branch office number {i}","connector_id":"ac60d3d0435248289d1ef3a7d4c4d2a0","secondary_connector_id":null,"ha_mode":true,"location":{{"lat":"37.6192","lon":"122.3816"}}}}"#
    )
}

fn envelope(result: &str) -> String {
    format!(
        r#"{{"success":true,"errors":[],"messages":[],"result":{result},"result_info":{{"page":1,"per_page":50,"count":50,"total_count":50}}}}"#
    )
}

/// A keep-alive HTTP/1.1 server answering every GET with `/one` or `/list` bodies.
fn start_server() -> io::Result<std::net::SocketAddr> {
    let one = envelope(&site_json(1));
    let list = envelope(&format!(
        "[{}]",
        (0..50).map(site_json).collect::<Vec<_>>().join(",")
    ));
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let response = |body: &str| {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncf-ray: 0000000000000000-LHR\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let (one, list) = (response(&one), response(&list));
    let mut download = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.tcpdump.pcap\r\ncontent-length: {DOWNLOAD_BYTES}\r\n\r\n"
    )
    .into_bytes();
    download.extend((0..DOWNLOAD_BYTES).map(|i| (i % 251) as u8));
    let replies = Replies {
        one,
        list,
        download,
    };
    std::thread::spawn(move || -> io::Result<()> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(serve(listener, replies))
    });
    Ok(addr)
}

/// The server's whole answers (head and body), by path.
#[derive(Clone)]
struct Replies {
    one: Vec<u8>,
    list: Vec<u8>,
    download: Vec<u8>,
}

async fn serve(listener: std::net::TcpListener, replies: Replies) -> io::Result<()> {
    let listener = TcpListener::from_std(listener)?;
    let replies = std::sync::Arc::new(replies);
    loop {
        let (mut stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let replies = replies.clone();
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(4096);
            let mut chunk = [0u8; 4096];
            loop {
                let Ok(n) = stream.read(&mut chunk).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let reply = if buf.starts_with(b"GET /list") {
                        &replies.list
                    } else if buf.starts_with(b"GET /download") {
                        &replies.download
                    } else {
                        &replies.one
                    };
                    buf.drain(..end + 4);
                    if stream.write_all(reply).await.is_err() {
                        return;
                    }
                }
            }
        });
    }
}

struct Stats {
    mean: Duration,
    median: Duration,
}

fn stats(samples: &mut [Duration]) -> Stats {
    samples.sort_unstable();
    let total: Duration = samples.iter().sum();
    Stats {
        mean: total / u32::try_from(samples.len().max(1)).unwrap_or(u32::MAX),
        median: samples.get(samples.len() / 2).copied().unwrap_or_default(),
    }
}

fn pct(ours: Duration, base: Duration) -> f64 {
    (ours.as_secs_f64() / base.as_secs_f64() - 1.0) * 100.0
}

async fn timed_ours<T: DeserializeOwned>(
    client: &Client,
    path: &str,
) -> Result<Duration, magic_api::Error> {
    let started = Instant::now();
    let response = client
        .send_json::<T>(RawRequest::new(Method::GET, path))
        .await?;
    std::hint::black_box(response);
    Ok(started.elapsed())
}

async fn timed_bare<T: DeserializeOwned>(
    client: &reqwest::Client,
    url: &str,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let body = client
        .get(url)
        .header("authorization", "Bearer bench-token")
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let envelope: BareEnvelope<T> = serde_json::from_slice(&body)?;
    if !envelope.success {
        return Err("success: false".into());
    }
    std::hint::black_box(envelope.result);
    Ok(started.elapsed())
}

async fn scenario<T: DeserializeOwned>(
    name: &str,
    path: &str,
    client: &Client,
    bare: &reqwest::Client,
    base: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut ours = Vec::with_capacity(N);
    let mut theirs = Vec::with_capacity(N);
    let url = format!("{base}{path}");
    for i in 0..WARMUP + N {
        // Alternate which variant goes first so neither always gets the warmer cache.
        let (a, b) = if i % 2 == 0 {
            let a = timed_ours::<T>(client, path).await?;
            (a, timed_bare::<T>(bare, &url).await?)
        } else {
            let b = timed_bare::<T>(bare, &url).await?;
            (timed_ours::<T>(client, path).await?, b)
        };
        if i >= WARMUP {
            ours.push(a);
            theirs.push(b);
        }
    }
    let (o, t) = (stats(&mut ours), stats(&mut theirs));
    println!("{name} ({N} requests each, interleaved, after {WARMUP} warm-up pairs)");
    println!(
        "  magic-api send_json      mean {:>8.1} µs   median {:>8.1} µs",
        o.mean.as_secs_f64() * 1e6,
        o.median.as_secs_f64() * 1e6
    );
    println!(
        "  bare reqwest+serde_json  mean {:>8.1} µs   median {:>8.1} µs",
        t.mean.as_secs_f64() * 1e6,
        t.median.as_secs_f64() * 1e6
    );
    println!(
        "  overhead                 mean {:>+7.1} %    median {:>+7.1} %",
        pct(o.mean, t.mean),
        pct(o.median, t.median)
    );
    Ok(())
}

async fn timed_download_ours(
    client: &Client,
    to: &std::path::Path,
) -> Result<Duration, magic_api::Error> {
    let started = Instant::now();
    let download = client
        .send_download(RawRequest::new(Method::GET, "/download"))
        .await?;
    let written = download.write_to_file(to).await?;
    assert_eq!(written as usize, DOWNLOAD_BYTES);
    Ok(started.elapsed())
}

async fn timed_download_bare(
    client: &reqwest::Client,
    url: &str,
    to: &std::path::Path,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut response = client
        .get(url)
        .header("authorization", "Bearer bench-token")
        .send()
        .await?
        .error_for_status()?;
    let mut file = tokio::fs::File::create(to).await?;
    let mut written = 0;
    while let Some(chunk) = response.chunk().await? {
        file.write_all(&chunk).await?;
        written += chunk.len();
    }
    file.flush().await?;
    file.sync_all().await?;
    assert_eq!(written, DOWNLOAD_BYTES);
    Ok(started.elapsed())
}

async fn download_scenario(
    client: &Client,
    bare: &reqwest::Client,
    base: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("magic-api-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (to_ours, to_bare) = (dir.join("ours.pcap"), dir.join("bare.pcap"));
    let url = format!("{base}/download");
    let mut ours = Vec::with_capacity(DOWNLOADS);
    let mut theirs = Vec::with_capacity(DOWNLOADS);
    for i in 0..DOWNLOAD_WARMUP + DOWNLOADS {
        let (a, b) = if i % 2 == 0 {
            let a = timed_download_ours(client, &to_ours).await?;
            (a, timed_download_bare(bare, &url, &to_bare).await?)
        } else {
            let b = timed_download_bare(bare, &url, &to_bare).await?;
            (timed_download_ours(client, &to_ours).await?, b)
        };
        if i >= DOWNLOAD_WARMUP {
            ours.push(a);
            theirs.push(b);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (o, t) = (stats(&mut ours), stats(&mut theirs));
    let mib = DOWNLOAD_BYTES as f64 / f64::from(1 << 20);
    println!(
        "download of {mib:.0} MiB to a file ({DOWNLOADS} each, interleaved, after {DOWNLOAD_WARMUP} warm-up pairs)"
    );
    for (label, s) in [
        ("magic-api write_to_file", &o),
        ("bare reqwest+tokio::fs", &t),
    ] {
        println!(
            "  {label:<24} mean {:>8.2} ms   median {:>8.2} ms   {:>7.0} MiB/s (median)",
            s.mean.as_secs_f64() * 1e3,
            s.median.as_secs_f64() * 1e3,
            mib / s.median.as_secs_f64()
        );
    }
    println!(
        "  overhead                 mean {:>+7.1} %    median {:>+7.1} %",
        pct(o.mean, t.mean),
        pct(o.median, t.median)
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = start_server()?;
    let base = format!("http://{addr}");
    let client = Client::builder(Credentials::api_token("bench-token"))
        .base_url(&base)
        .retry_policy(RetryPolicy::none())
        .build()?;
    // The bare client needs a TLS provider to build (magic-api hands its own to reqwest).
    #[cfg(feature = "rustls")]
    // (ring's provider is deprecated from rustls 0.23.48 on: see the runtime's `with_tls`.)
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        scenario::<Site>("single object (~300 B body)", "/one", &client, &bare, &base).await?;
        scenario::<Vec<Site>>(
            "list of 50 objects (~13 KB body)",
            "/list",
            &client,
            &bare,
            &base,
        )
        .await?;
        download_scenario(&client, &bare, &base).await
    })
}
