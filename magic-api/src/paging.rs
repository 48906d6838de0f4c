//! Streaming a list call across its pages: the [`Paged`] trait generated code implements for
//! each list result, and the streams [`Call::stream`] returns for the two ways the API pages
//! (a cursor, or page numbers with `result_info`).

use std::pin::Pin;

use futures_core::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;

use magic_api_runtime::{Error, RawRequest, cursor_stream, page_stream};

use crate::call::{Call, CallOptions, Json, invalid_request};

/// A boxed, sendable stream borrowing the client (boxed so it is `Unpin`: read it with
/// [`StreamExt::next`](futures_util::StreamExt::next), re-exported as `magic_api::StreamExt`).
pub type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;

/// A list result that can be streamed across pages: generated code implements it for each list
/// operation's result, and [`Call::stream`] (generic, so compiled only where it is used) pages.
pub trait Paged: DeserializeOwned + Serialize + Send + 'static {
    /// One item of the list.
    type Item: Send + 'static;
    /// How further pages are asked for.
    const PAGING: Paging;
    /// The page's items and, for cursor paging, the next cursor.
    fn split(self) -> (Vec<Self::Item>, Option<String>);
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// A cursor from each page, sent back in this query parameter.
    Cursor(&'static str),
    /// Page numbers in this query parameter, until `result_info` says there is no more.
    Numbered(&'static str),
}

impl<'a, T: Paged, O: CallOptions + 'a> Call<'a, Json<T>, O> {
    /// Every item of the list, fetching further pages as the stream is read (and only then).
    /// Page numbering starts at the page set on the call, if any.
    pub fn stream(self) -> BoxStream<'a, Result<T::Item, Error>> {
        match T::PAGING {
            Paging::Cursor(cursor) => self.cursor_pages(cursor, T::split),
            Paging::Numbered(page) => self.numbered_pages(page, |t: T| t.split().0),
        }
    }
}

impl<'a, T, O> Call<'a, Json<T>, O>
where
    T: DeserializeOwned + Send + 'static,
    O: CallOptions,
{
    /// Pages by cursor: `split` takes a page's result apart into its items and the next cursor;
    /// each further page repeats the request with the cursor set.
    #[doc(hidden)]
    pub fn cursor_pages<I, F>(
        self,
        cursor: &'static str,
        split: F,
    ) -> BoxStream<'a, Result<I, Error>>
    where
        T: Serialize,
        I: Send + 'a,
        F: Fn(T) -> (Vec<I>, Option<String>) + Send + Sync + 'a,
    {
        let client = self.client;
        let mut first = Some(self.request.map(|r| self.options.apply(r)));
        let split = std::sync::Arc::new(split);
        // A server that ignores the cursor sends the same page again: recognised by its
        // fingerprint, it ends the stream instead of repeating its items.
        let last = std::sync::Arc::new(std::sync::Mutex::new(None::<u64>));
        Box::pin(cursor_stream(move |next: Option<String>| {
            let request = repeat(&mut first, |r| match &next {
                Some(c) => r.clone().set_query(cursor, c.clone()),
                None => r.clone(),
            });
            let split = split.clone();
            let last = last.clone();
            async move {
                let page = client.send_json::<T>(request?).await?;
                if repeats(&last, &page.result) {
                    return Ok((Vec::new(), None));
                }
                Ok(split(page.result))
            }
        }))
    }

    /// Pages by number: each page repeats the request with `page` set (from the page the caller
    /// chose, else 1) until the envelope's `result_info` says there is no more.
    #[doc(hidden)]
    pub fn numbered_pages<I, F>(
        self,
        page: &'static str,
        items: F,
    ) -> BoxStream<'a, Result<I, Error>>
    where
        T: Serialize,
        I: Send + 'a,
        F: Fn(T) -> Vec<I> + Send + Sync + 'a,
    {
        let client = self.client;
        let first = self.request.map(|r| self.options.apply(r));
        let start: u64 = first
            .as_ref()
            .ok()
            .and_then(|r| r.query_pairs().iter().find(|(n, _)| *n == page))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let mut first = Some(first);
        let items = std::sync::Arc::new(items);
        // A server that ignores `page` and does not report it sends the same page again:
        // that page is recognised by its fingerprint and ends the stream instead of repeating.
        let last = std::sync::Arc::new(std::sync::Mutex::new(None::<u64>));
        Box::pin(page_stream(move |n: u32| {
            let number = start.saturating_add(u64::from(n)).saturating_sub(1);
            let request = repeat(&mut first, |r| {
                r.clone().set_query(page, number.to_string())
            });
            let items = items.clone();
            let last = last.clone();
            async move {
                let response = client.send_json::<T>(request?).await?;
                let repeated = repeats(&last, &response.result);
                // `page_stream` counts from 1; the server counts from the caller's first page,
                // so its page number and total are shifted to match.
                let skipped = start.saturating_sub(1);
                let info = response.result_info.map(|mut info| {
                    info.page = info.page.map(|p| p.saturating_sub(skipped));
                    if let (Some(total), Some(per_page)) = (info.total_count, info.per_page) {
                        info.total_count =
                            Some(total.saturating_sub(skipped.saturating_mul(per_page)));
                    }
                    info
                });
                if repeated {
                    return Ok((Vec::new(), info));
                }
                Ok((items(response.result), info))
            }
        }))
    }
}

/// Whether `page` is the same as the page before it (and remembers it for the next).
fn repeats<T: Serialize>(last: &std::sync::Mutex<Option<u64>>, page: &T) -> bool {
    let print = fingerprint(page);
    match last.lock() {
        Ok(mut last) => last.replace(print) == Some(print),
        Err(_) => false,
    }
}

/// A hash of a page's content, to recognise a page sent twice.
fn fingerprint<T: Serialize>(page: &T) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match serde_json::to_vec(page) {
        Ok(bytes) => bytes.hash(&mut hasher),
        Err(_) => return 0,
    }
    hasher.finish()
}

/// The next page's request from the first one; an error building the first request is handed
/// out once (the stream stops after an error).
fn repeat(
    first: &mut Option<Result<RawRequest, Error>>,
    next: impl FnOnce(&RawRequest) -> RawRequest,
) -> Result<RawRequest, Error> {
    match first {
        Some(Ok(request)) => Ok(next(request)),
        Some(Err(_)) => match first.take() {
            Some(Err(e)) => Err(e),
            _ => Err(invalid_request("the request could not be built")),
        },
        None => Err(invalid_request("the request could not be built")),
    }
}
