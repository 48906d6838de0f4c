//! Streaming downloads and the pagination helpers, against a loopback server.

use crate::server;
use crate::setup;

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use magic_api::reqwest::Method;
use magic_api::runtime::{cursor_stream, page_stream};
use magic_api::{Client, Error, RawRequest, ResultInfo};
use server::{Reply, Server};

/// Deterministic non-text bytes, split into unequal chunks.
fn capture() -> (Vec<u8>, Vec<Vec<u8>>) {
    let data: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let chunks = data.chunks(70_001).map(<[u8]>::to_vec).collect();
    (data, chunks)
}

fn pcap_server_reply(chunks: Vec<Vec<u8>>) -> Reply {
    Reply::Chunked {
        status: 200,
        headers: vec![("content-type".into(), "application/vnd.tcpdump.pcap".into())],
        chunks,
        pause: Duration::from_millis(5),
    }
}

fn download_req() -> RawRequest {
    RawRequest::new(Method::GET, "/accounts/acc/pcaps/p1/download")
}

#[tokio::test]
async fn download_streams_a_multi_chunk_binary_body() {
    let (data, chunks) = capture();
    let server = Server::start(move |_, _| pcap_server_reply(chunks.clone())).await;
    let download = setup::client(server.url())
        .send_download(download_req())
        .await
        .expect("download");
    assert_eq!(
        download.content_type(),
        Some("application/vnd.tcpdump.pcap")
    );
    let mut download = pin!(download);
    let mut received = Vec::new();
    let mut pieces = 0;
    while let Some(chunk) = download.next().await {
        received.extend_from_slice(&chunk.expect("chunk"));
        pieces += 1;
    }
    assert!(pieces > 1, "body arrived in {pieces} piece(s)");
    assert_eq!(received, data);
    let r = &server.requests()[0];
    assert!(
        r.header("accept")
            .is_some_and(|a| a.contains("application/vnd.tcpdump.pcap"))
    );
}

#[tokio::test]
async fn download_write_to_file_writes_identical_bytes() {
    let (data, chunks) = capture();
    let server = Server::start(move |_, _| pcap_server_reply(chunks.clone())).await;
    let dir = std::env::temp_dir().join(format!("magic-api-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("capture.pcap");
    let written = setup::client(server.url())
        .send_download(download_req())
        .await
        .expect("download")
        .write_to_file(&path)
        .await
        .expect("write");
    assert_eq!(written, data.len() as u64);
    assert_eq!(std::fs::read(&path).expect("read back"), data);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn download_with_octet_stream_and_content_length_works() {
    let server = Server::start(|_, _| {
        Reply::status(200).with_body("application/octet-stream", vec![0u8, 1, 2, 255])
    })
    .await;
    let download = setup::client(server.url())
        .send_download(download_req())
        .await
        .expect("download");
    assert_eq!(download.content_length(), Some(4));
    let bytes: Vec<u8> = download.map(|c| c.expect("chunk").to_vec()).concat().await;
    assert_eq!(bytes, [0, 1, 2, 255]);
}

#[tokio::test]
async fn download_answered_with_json_is_an_error() {
    let server = Server::start(|i, _| match i {
        0 => Reply::ok(r#"{"status":"pending"}"#),
        1 => Reply::json(
            200,
            r#"{"success":false,"errors":[{"code":1,"message":"capture not ready"}]}"#,
        ),
        2 => Reply::status(200).with_body("text/html", "<html>login</html>"),
        _ => Reply::json(
            404,
            r#"{"success":false,"errors":[{"code":2,"message":"no such capture"}]}"#,
        ),
    })
    .await;
    let c = setup::client(server.url());
    let err = c.send_download(download_req()).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedContentType { status: 200, content_type: Some(ct), .. } if ct == "application/json"),
        "{err:?}"
    );
    let err = c.send_download(download_req()).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 200, .. }), "{err:?}");
    assert_eq!(err.api_errors()[0].message, "capture not ready");
    let err = c.send_download(download_req()).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedContentType { .. }),
        "{err:?}"
    );
    let err = c.send_download(download_req()).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
}

/// Three cursor pages: `?cursor=` absent → page 1, `c2` → page 2, `c3` → page 3 (last).
#[tokio::test]
async fn cursor_stream_walks_three_pages() {
    let server = Server::start(|_, r| {
        let (items, next) = match r.query("cursor") {
            None => ("[1,2]", r#""c2""#),
            Some("c2") => ("[3,4]", r#""c3""#),
            Some("c3") => ("[5]", "null"),
            Some(_) => ("[]", "null"),
        };
        Reply::json(
            200,
            format!(r#"{{"success":true,"result":{items},"result_info":{{"cursor":{next},"per_page":2}}}}"#),
        )
    })
    .await;
    let c = setup::client(server.url());
    let stream = cursor_stream(|cursor| fetch_cursor_page(&c, cursor));
    let items: Vec<u32> = stream.map(|r| r.expect("item")).collect().await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(server.count(), 3);
}

/// One page of `/items`, with `result_info.cursor` as the next cursor.
fn fetch_cursor_page(
    c: &Client,
    cursor: Option<String>,
) -> impl Future<Output = Result<(Vec<u32>, Option<String>), Error>> + use<> {
    let c = c.clone();
    async move {
        let mut req = RawRequest::new(Method::GET, "/items");
        if let Some(cursor) = cursor {
            req = req.query("cursor", cursor);
        }
        let resp = c.send_json::<Vec<u32>>(req).await?;
        let next = resp
            .result_info
            .as_ref()
            .and_then(|i| i.extra.get("cursor"))
            .and_then(|c| c.as_str())
            .map(|c| c.into_owned());
        Ok((resp.result, next))
    }
}

fn numbered_pages(total: u64, per_page: u64) -> impl Fn(usize, &server::Recorded) -> Reply {
    move |_, r| {
        let page: u64 = r.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let first = (page - 1) * per_page;
        let items: Vec<u64> = (first..total.min(first + per_page)).collect();
        Reply::json(
            200,
            format!(
                r#"{{"success":true,"result":{},"result_info":{{"page":{page},"per_page":{per_page},"count":{},"total_count":{total}}}}}"#,
                serde_json::to_string(&items).expect("json"),
                items.len()
            ),
        )
    }
}

fn fetch_page(
    c: &Client,
    page: u32,
) -> impl Future<Output = Result<(Vec<u64>, Option<ResultInfo>), Error>> + use<> {
    let c = c.clone();
    async move {
        let resp = c
            .send_json::<Vec<u64>>(
                RawRequest::new(Method::GET, "/items")
                    .query("page", page.to_string())
                    .query("per_page", "2"),
            )
            .await?;
        Ok((resp.result, resp.result_info))
    }
}

#[tokio::test]
async fn page_stream_follows_result_info() {
    let server = Server::start(numbered_pages(5, 2)).await;
    let c = setup::client(server.url());
    let items: Vec<u64> = page_stream(|page| fetch_page(&c, page))
        .map(|r| r.expect("item"))
        .collect()
        .await;
    assert_eq!(items, [0, 1, 2, 3, 4]);
    assert_eq!(
        server.count(),
        3,
        "stops once page * per_page >= total_count"
    );
}

#[tokio::test]
async fn page_stream_is_lazy() {
    let server = Server::start(numbered_pages(100, 2)).await;
    let c = setup::client(server.url());
    let first: Vec<u64> = page_stream(|page| fetch_page(&c, page))
        .take(3)
        .map(|r| r.expect("item"))
        .collect()
        .await;
    assert_eq!(first, [0, 1, 2]);
    assert_eq!(server.count(), 2, "only the pages needed for 3 items");
}

#[tokio::test]
async fn pagination_stops_after_the_first_error() {
    let server = Server::start(|i, _| match i {
        0 => Reply::json(200, r#"{"success":true,"result":[1,2],"result_info":{"page":1,"per_page":2,"total_count":6}}"#),
        _ => Reply::json(400, r#"{"success":false,"errors":[{"code":9,"message":"bad page"}]}"#),
    })
    .await;
    let c = setup::client(server.url());
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let mut stream = pin!(page_stream(move |page| {
        counter.fetch_add(1, Ordering::SeqCst);
        fetch_page(&c, page)
    }));
    assert_eq!(stream.next().await.map(Result::ok), Some(Some(1)));
    assert_eq!(stream.next().await.map(Result::ok), Some(Some(2)));
    let err = stream.next().await.expect("an item").unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(stream.next().await.is_none());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// A download cut off midway over an existing file leaves that file as it was, and no
/// partial file behind; through a symbolic link, the link's target is likewise untouched.
#[tokio::test]
async fn a_cut_download_never_damages_an_existing_file() {
    let (_, chunks) = capture();
    let mut cut = chunks.clone();
    cut.truncate(2);
    // Announce more than is sent, then close: the body ends early.
    let server = Server::start(move |_, _| Reply::Truncated {
        status: 200,
        headers: vec![("content-type".into(), "application/vnd.tcpdump.pcap".into())],
        body: cut.concat(),
        announced: 300_000,
    })
    .await;
    let dir = std::env::temp_dir().join(format!("magic-api-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join("capture.pcap");
    std::fs::write(&path, b"the previous capture").expect("seed file");
    let link = dir.join("latest.pcap");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&path, &link).expect("symlink");
    for target in [&path, &link] {
        let result = setup::client(server.url())
            .send_download(download_req())
            .await
            .expect("headers arrive")
            .write_to_file(target)
            .await;
        assert!(result.is_err(), "a short body is an error: {result:?}");
        assert_eq!(
            std::fs::read(&path).expect("still there"),
            b"the previous capture"
        );
    }
    assert_eq!(parts_left(&dir).await, Vec::<String>::new());
    // A complete download through the link replaces the target and keeps the link.
    let (data, chunks) = capture();
    let server = Server::start(move |_, _| pcap_server_reply(chunks.clone())).await;
    setup::client(server.url())
        .send_download(download_req())
        .await
        .expect("download")
        .write_to_file(&link)
        .await
        .expect("written");
    assert_eq!(std::fs::read(&path).expect("target"), data);
    #[cfg(unix)]
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `.part` files left in `dir`, waiting (bounded) for blocking steps still running.
async fn parts_left(dir: &std::path::Path) -> Vec<String> {
    let list = || -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".part"))
            .collect()
    };
    for _ in 0..200 {
        if list().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    list()
}

#[tokio::test]
async fn a_download_that_cannot_take_its_place_or_is_dropped_leaves_no_temporary_file() {
    let (_, chunks) = capture();
    let server = Server::start(move |_, _| pcap_server_reply(chunks.clone())).await;
    let dir = std::env::temp_dir().join(format!("magic-api-test-parts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a_directory")).expect("tmp dirs");
    // The rename onto a directory fails after the whole body is written.
    let result = setup::client(server.url())
        .send_download(download_req())
        .await
        .expect("download")
        .write_to_file(dir.join("a_directory"))
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(parts_left(&dir).await, Vec::<String>::new());
    // Dropped after its first poll, while the file is being created on the blocking pool.
    for _ in 0..20 {
        let download = setup::client(server.url())
            .send_download(download_req())
            .await
            .expect("download");
        let mut saving = download.write_to_file(dir.join("capture.pcap"));
        let polled = futures_util::FutureExt::now_or_never(&mut saving);
        assert!(polled.is_none());
        drop(saving);
    }
    assert_eq!(parts_left(&dir).await, Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server whose cursors cycle (A → B → A …) ends the stream after each page was read once.
#[tokio::test]
async fn cursor_stream_stops_on_a_cursor_cycle() {
    let server = Server::start(|_, r| {
        let (items, next) = match r.query("cursor") {
            None => ("[1]", "A"),
            Some("A") => ("[2]", "B"),
            Some("B") => ("[3]", "A"),
            Some(_) => ("[]", ""),
        };
        Reply::json(
            200,
            format!(r#"{{"success":true,"result":{items},"result_info":{{"cursor":"{next}"}}}}"#),
        )
    })
    .await;
    let c = setup::client(server.url());
    let stream = cursor_stream(|cursor| fetch_cursor_page(&c, cursor));
    let items: Vec<u32> = tokio::time::timeout(
        Duration::from_secs(5),
        stream.map(|r| r.expect("item")).collect::<Vec<u32>>(),
    )
    .await
    .expect("the stream ends");
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(server.count(), 3);
}

/// A server that ignores `page` (always answering page 1 and saying so) yields page 1 once.
#[tokio::test]
async fn page_stream_yields_no_duplicates_when_the_server_ignores_page() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            r#"{"success":true,"result":[1,2],"result_info":{"page":1,"per_page":2,"total_count":6}}"#,
        )
    })
    .await;
    let c = setup::client(server.url());
    let items: Vec<u64> = page_stream(|page| fetch_page(&c, page))
        .map(|r| r.expect("item"))
        .collect()
        .await;
    assert_eq!(items, [1, 2]);
}
