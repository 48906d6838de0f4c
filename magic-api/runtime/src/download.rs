//! Streaming binary downloads (packet captures).

use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;

use super::envelope::ResponseMeta;
use super::error::Error;
use super::future::BoxFuture;

type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A binary response body, delivered chunk by chunk as it arrives.
///
/// Packet captures can be large, so nothing is buffered beyond the current chunk: consume
/// it as a [`Stream`] of [`Bytes`], or save it with [`write_to_file`](Self::write_to_file).
/// Each chunk must arrive within the request's timeout; the stream ends after the first
/// error.
#[must_use = "a download is read only when it is streamed or saved (`write_to_file`)"]
pub struct Download {
    meta: ResponseMeta,
    content_length: Option<u64>,
    chunks: ChunkStream,
}

impl Download {
    pub(crate) fn new(meta: ResponseMeta, response: reqwest::Response, idle: Duration) -> Self {
        let content_length = response.content_length();
        let chunks = futures_util::stream::unfold(Some(response), move |state| async move {
            let mut response = state?;
            match tokio::time::timeout(idle, response.chunk()).await {
                Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some(response))),
                Ok(Ok(None)) => None,
                Ok(Err(e)) => Some((Err(Error::transport(e)), None)),
                Err(_) => Some((Err(Error::Timeout { after: idle }), None)),
            }
        });
        Self {
            meta,
            content_length,
            chunks: Box::pin(chunks),
        }
    }

    /// The response's `Content-Type`, e.g. `application/vnd.tcpdump.pcap`.
    pub fn content_type(&self) -> Option<&str> {
        self.meta.content_type.as_deref()
    }

    /// The announced body length, if the server sent `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The `cf-ray` identifier of the response.
    pub fn ray_id(&self) -> Option<&str> {
        self.meta.ray_id.as_deref()
    }

    /// Writes the body to `path` and returns the number of bytes.
    ///
    /// The body goes to a temporary file beside the destination, which replaces the destination
    /// only once the whole body has arrived: a download cut off midway leaves an existing file
    /// exactly as it was (and no partial file behind). When `path` is a symbolic link, the file
    /// it points to is replaced and the link is kept.
    ///
    /// Only the conversion of `path` is generic: the writing is one boxed future compiled here,
    /// not a state machine compiled again in every program that saves a download.
    pub fn write_to_file(self, path: impl AsRef<Path>) -> BoxFuture<'static, Result<u64, Error>> {
        Box::pin(self.write_to(path.as_ref().to_path_buf()))
    }

    async fn write_to(mut self, path: std::path::PathBuf) -> Result<u64, Error> {
        let part = Part {
            file: None,
            target: path,
            temporary: std::path::PathBuf::new(),
            abandoned: Arc::new(AtomicBool::new(false)),
        };
        let part = run(part, Part::resolve, Bytes::new()).await?;
        // Removes the temporary file if this future is dropped before it finishes (a timeout,
        // a `select!`), also while a step that creates it is still running; disarmed once the
        // file is in the target's place.
        let mut guard = RemoveOnDrop {
            path: Some(part.temporary.clone()),
            abandoned: part.abandoned.clone(),
        };
        let part = run(part, Part::open, Bytes::new()).await?;
        let mut part = Some(part);
        let mut writing = None;
        let mut written = 0u64;
        let result = async {
            // Each chunk is written while the next one is read from the network.
            while let Some(chunk) = self.chunks.next().await {
                let chunk = chunk?;
                if let Some(previous) = writing.take() {
                    part = Some(finish(previous).await?);
                }
                written += chunk.len() as u64;
                writing = part.take().map(|p| spawn(p, Part::write, chunk));
            }
            if let Some(previous) = writing.take() {
                part = Some(finish(previous).await?);
            }
            Ok::<(), Error>(())
        }
        .await;
        let result = match (result, part) {
            (Ok(()), Some(part)) => run(part, Part::publish, Bytes::new()).await.map(drop),
            (Ok(()), None) => Err(std::io::Error::other("the download's file was lost").into()),
            // The file (closed with its part here) is removed by the guard.
            (Err(e), _) => Err(e),
        };
        // Disarmed only once the file is in the target's place: after any failure (a publish
        // that failed included), the guard removes the temporary file.
        if result.is_ok() {
            guard.path = None;
        }
        result.map(|()| written)
    }
}

/// The file a download is written to, moved to tokio's blocking pool for each step.
struct Part {
    file: Option<std::fs::File>,
    target: std::path::PathBuf,
    temporary: std::path::PathBuf,
    /// Set when the download's future is dropped: a file created after that is removed by the
    /// step that created it.
    abandoned: Arc<AtomicBool>,
}

/// One step of writing a download, run on the blocking pool with a chunk of the body.
///
/// Every step has this one type, so the pool's task machinery is compiled once for downloads
/// (each `tokio::fs` operation is a task type of its own, each compiled into every program).
type Step = fn(&mut Part, &[u8]) -> std::io::Result<()>;

impl Part {
    /// Follows a symbolic link to the file it names (so that the link survives), and names the
    /// temporary file beside it.
    fn resolve(&mut self, _: &[u8]) -> std::io::Result<()> {
        if let Ok(resolved) = std::fs::canonicalize(&self.target) {
            self.target = resolved;
        }
        self.temporary = temporary_beside(&self.target);
        Ok(())
    }

    /// Creates the temporary file; removes it again when the download was dropped meanwhile
    /// (its guard may have run before the file existed).
    fn open(&mut self, _: &[u8]) -> std::io::Result<()> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.temporary)?;
        if self.abandoned.load(Ordering::SeqCst) {
            drop(file);
            let _ = std::fs::remove_file(&self.temporary);
            return Err(std::io::Error::other("the download was dropped"));
        }
        self.file = Some(file);
        Ok(())
    }

    fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        match &mut self.file {
            Some(file) => file.write_all(chunk),
            None => Err(std::io::Error::other("the download's file is closed")),
        }
    }

    /// Makes the file durable, then puts it in the target's place: a complete file or none.
    fn publish(&mut self, _: &[u8]) -> std::io::Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        std::fs::rename(&self.temporary, &self.target)
    }
}

type Running = tokio::task::JoinHandle<(Part, std::io::Result<()>)>;

fn spawn(mut part: Part, step: Step, data: Bytes) -> Running {
    tokio::task::spawn_blocking(move || {
        let result = step(&mut part, &data);
        (part, result)
    })
}

/// Waits for a step; a step that panicked loses its file (the caller's guard removes it).
async fn finish(running: Running) -> Result<Part, Error> {
    match running.await {
        Ok((part, Ok(()))) => Ok(part),
        Ok((_, Err(e))) => Err(e.into()),
        Err(e) => Err(std::io::Error::other(e).into()),
    }
}

async fn run(part: Part, step: Step, data: Bytes) -> Result<Part, Error> {
    finish(spawn(part, step, data)).await
}

/// Deletes a file when dropped, unless emptied first, and tells a step still running that the
/// download is gone (flag first, then the removal, so that a file created in between is seen
/// by its step).
struct RemoveOnDrop {
    path: Option<std::path::PathBuf>,
    abandoned: Arc<AtomicBool>,
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            self.abandoned.store(true, Ordering::SeqCst);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A name for a temporary file in the destination's directory (so the final rename stays on one
/// file system), unique to this process and call.
fn temporary_beside(target: &Path) -> std::path::PathBuf {
    use std::sync::atomic::AtomicU64;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // The clock's nanoseconds too: a process that always has the same id (PID 1 in a container)
    // must not meet a leftover of an earlier run.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".to_owned());
    target.with_file_name(format!(".{name}.{}-{n}-{nanos}.part", std::process::id()))
}

impl Stream for Download {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.meta.status)
            .field("content_type", &self.meta.content_type)
            .field("content_length", &self.content_length)
            .field("ray_id", &self.meta.ray_id)
            .finish_non_exhaustive()
    }
}

/// Whether a content type announces a document rather than binary data: JSON (an API
/// error envelope), HTML (a proxy or login page) or any other text.
pub(crate) fn is_textual(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence == "application/json"
        || essence.ends_with("+json")
        || essence == "application/xhtml+xml"
}

#[cfg(test)]
mod tests {
    use super::is_textual;

    #[test]
    fn textual_types() {
        for t in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/problem+json",
            "text/html; charset=UTF-8",
            "text/plain",
        ] {
            assert!(is_textual(Some(t)), "{t}");
        }
        for t in [
            "application/vnd.tcpdump.pcap",
            "application/octet-stream",
            "application/x-pcapng",
        ] {
            assert!(!is_textual(Some(t)), "{t}");
        }
        assert!(!is_textual(None));
    }
}
