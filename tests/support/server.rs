//! A tiny scripted HTTP/1.1 server on 127.0.0.1 for the runtime tests.
//!
//! Hand-written on `tokio::net` rather than built on hyper's server so that tests can see
//! the exact request-target line the client sent (percent-encoding included) and can
//! misbehave on purpose: drop the connection after reading a request, stall, or stream a
//! body in separate chunks.
//!
//! Included by each `runtime_*.rs` test file with `#[path = "../support/server.rs"] mod server;`.
#![allow(dead_code)] // each test file uses a different subset

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The raw request-target, exactly as sent (e.g. `/accounts/a%2Fb/x?page=2`).
    pub target: String,
    /// Header names lower-cased, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The raw value of query parameter `name`, if present.
    pub fn query(&self, name: &str) -> Option<&str> {
        let (_, query) = self.target.split_once('?')?;
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response with `Content-Length`.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// A `Transfer-Encoding: chunked` response, flushing each chunk after `pause`.
    Chunked {
        status: u16,
        headers: Vec<(String, String)>,
        chunks: Vec<Vec<u8>>,
        pause: Duration,
    },
    /// Announces `announced` bytes in `Content-Length`, sends only `body`, and closes: a
    /// response cut off midway.
    Truncated {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        announced: usize,
    },
    /// Wait, then do the inner reply (the client may have given up by then).
    Delay(Duration, Box<Reply>),
    /// Close the connection without answering (after the request was fully read).
    Close,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into().into_bytes(),
        }
    }

    /// A successful envelope around `result` (a JSON literal).
    pub fn ok(result: &str) -> Reply {
        Reply::json(
            200,
            format!(r#"{{"success":true,"errors":[],"messages":[],"result":{result}}}"#),
        )
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_body(self, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        match self {
            Reply::Full {
                status,
                mut headers,
                ..
            } => {
                headers.retain(|(n, _)| n != "content-type");
                headers.push(("content-type".into(), content_type.into()));
                Reply::Full {
                    status,
                    headers,
                    body: body.into(),
                }
            }
            other => other,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } | Reply::Chunked { headers, .. } = &mut self {
            headers.push((name.to_ascii_lowercase(), value.to_owned()));
        }
        self
    }

    pub fn delayed(self, by: Duration) -> Reply {
        Reply::Delay(by, Box::new(self))
    }
}

type Handler = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct Server {
    addr: std::net::SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Server {
    /// Starts a server whose `handler` gets the 0-based index of each request (across all
    /// connections) and the request itself.
    pub async fn start(
        handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        Self::serve(listener, handler)
    }

    /// Serves on an already bound listener (to reuse a known port).
    pub fn serve(
        listener: TcpListener,
        handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let task_log = log.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(connection(stream, task_log.clone(), handler.clone()));
            }
        });
        Server { addr, log, task }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn count(&self) -> usize {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn connection(mut stream: TcpStream, log: Arc<Mutex<Vec<Recorded>>>, handler: Arc<Handler>) {
    let mut buf = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        let index = {
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            log.push(request.clone());
            log.len() - 1
        };
        let reply = handler(index, &request);
        if !write_reply(&mut stream, reply).await {
            return;
        }
    }
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    buf.drain(..head_end + 4);
    while buf.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf.drain(..length).collect();
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

/// Returns whether the connection can be kept for another request.
async fn write_reply(stream: &mut TcpStream, reply: Reply) -> bool {
    let mut reply = reply;
    while let Reply::Delay(by, inner) = reply {
        tokio::time::sleep(by).await;
        reply = *inner;
    }
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut out = head(status, &headers);
            out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
            out.extend_from_slice(&body);
            stream.write_all(&out).await.is_ok()
        }
        Reply::Chunked {
            status,
            headers,
            chunks,
            pause,
        } => {
            let mut out = head(status, &headers);
            out.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
            if stream.write_all(&out).await.is_err() {
                return false;
            }
            for chunk in chunks {
                let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
                frame.extend_from_slice(&chunk);
                frame.extend_from_slice(b"\r\n");
                if stream.write_all(&frame).await.is_err() || stream.flush().await.is_err() {
                    return false;
                }
                tokio::time::sleep(pause).await;
            }
            stream.write_all(b"0\r\n\r\n").await.is_ok()
        }
        Reply::Truncated {
            status,
            headers,
            body,
            announced,
        } => {
            let mut out = head(status, &headers);
            out.extend_from_slice(format!("content-length: {announced}\r\n\r\n").as_bytes());
            out.extend_from_slice(&body);
            let _ = stream.write_all(&out).await;
            false
        }
        Reply::Close | Reply::Delay(..) => false,
    }
}

fn head(status: u16, headers: &[(String, String)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Scripted\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.into_bytes()
}

/// Formats `t` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for `Retry-After`, with the
/// `httpdate` crate the client parses it with (one calendar for both ends of the exchange).
pub fn http_date(t: SystemTime) -> String {
    httpdate::fmt_http_date(t)
}
