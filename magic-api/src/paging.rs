//! Streaming a list call across its pages: the [`Paged`] trait generated code implements for
//! each list result, and the streams [`Call::stream`] returns for the two ways the API pages
//! (a cursor, or page numbers with `result_info`).

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use magic_api_runtime::{BoxFuture, Client, Error, JsonReply, RawRequest, ResultInfo, has_more};

use crate::call::{Call, CallOptions, Json, fetch_json, invalid_request};

/// A boxed, sendable stream borrowing the client (boxed so it is `Unpin`: read it with
/// [`StreamExt::next`](futures_util::StreamExt::next), re-exported as `magic_api::StreamExt`).
pub type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;

/// A list result that can be streamed across pages: generated code implements it for each list
/// operation's result, and [`Call::stream`] pages.
pub trait Paged: DeserializeOwned + Send + 'static {
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
    ///
    /// Which page comes next, and when the listing ends, is decided by a pager that knows no
    /// item type (compiled once, in this crate); only decoding a page and handing out its items
    /// are compiled for each list.
    pub fn stream(self) -> BoxStream<'a, Result<T::Item, Error>> {
        let (client, first) = self.prepared();
        Box::pin(Items::<T> {
            pager: Pager::new(client, first, T::PAGING),
            pending: None,
            items: Vec::new().into_iter(),
        })
    }
}

/// The items of the pages a [`Pager`] fetches.
struct Items<'a, T: Paged> {
    pager: Pager<'a>,
    pending: Option<BoxFuture<'a, Result<JsonReply, Error>>>,
    items: std::vec::IntoIter<T::Item>,
}

// Nothing of it is ever pinned in place: the pending request is boxed and the items are moved out.
impl<T: Paged> Unpin for Items<'_, T> {}

impl<T: Paged> Stream for Items<'_, T> {
    type Item = Result<T::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            let pending = match &mut this.pending {
                Some(pending) => pending,
                None => match this.pager.request() {
                    Some(next) => this.pending.insert(next),
                    None => return Poll::Ready(None),
                },
            };
            let Poll::Ready(reply) = pending.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            this.pending = None;
            let page = reply.and_then(|reply| {
                let seen = this.pager.seen(&reply);
                reply.decode::<T>().map(|page| (seen, page.result.split()))
            });
            match page {
                Ok((seen, (items, cursor))) => {
                    if this.pager.accept(seen, items.len(), cursor) {
                        this.items = items.into_iter();
                    }
                }
                Err(e) => {
                    this.pager.stop();
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

/// What a page said about the listing, read before its items are decoded.
struct Seen {
    /// The same content as the page before it.
    repeated: bool,
    /// Its `result_info`, shifted to count from the caller's first page.
    info: Option<ResultInfo>,
}

/// How far a listing has got.
enum Next {
    /// The first page, or the page after this cursor.
    Cursor(Option<String>),
    /// This page, counted from 1 at the caller's first page.
    Page(u32),
    Done,
}

/// Decides which page to ask for next and when the listing ends, for either way of paging:
/// a cursor stops when it is absent, empty or comes back a second time; page numbers go on
/// while `result_info` says there is more. Either stops at an empty page, after an error, and
/// at a page with the same content as the one before it (a server that ignores the cursor or
/// the page number). Not generic, so it is compiled once, here.
struct Pager<'a> {
    client: &'a Client,
    first: Option<Result<RawRequest, Error>>,
    paging: Paging,
    /// The caller's first page number (pages are asked for from there).
    start: u64,
    next: Next,
    cursors: HashSet<String>,
    last: Option<u64>,
}

impl<'a> Pager<'a> {
    fn new(client: &'a Client, first: Result<RawRequest, Error>, paging: Paging) -> Self {
        let (start, next) = match paging {
            Paging::Cursor(_) => (1, Next::Cursor(None)),
            Paging::Numbered(page) => {
                let start = first
                    .as_ref()
                    .ok()
                    .and_then(|r| r.query_pairs().iter().find(|(n, _)| *n == page))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(1);
                (start, Next::Page(1))
            }
        };
        Pager {
            client,
            first: Some(first),
            paging,
            start,
            next,
            cursors: HashSet::new(),
            last: None,
        }
    }

    /// The next page's request, sent; `None` once the listing has ended. An error building the
    /// first request is handed out once.
    fn request(&mut self) -> Option<BoxFuture<'a, Result<JsonReply, Error>>> {
        let request = match (&self.next, self.paging) {
            (Next::Done, _) => return None,
            (Next::Cursor(cursor), Paging::Cursor(name)) => {
                let cursor = cursor.clone();
                self.repeat(|r| match cursor {
                    Some(c) => r.clone().set_query(name, c),
                    None => r.clone(),
                })
            }
            (Next::Page(n), Paging::Numbered(name)) => {
                let number = self.start.saturating_add(u64::from(*n)).saturating_sub(1);
                self.repeat(|r| r.clone().set_query(name, number.to_string()))
            }
            _ => Err(invalid_request("the listing's paging changed")),
        };
        if request.is_err() {
            self.stop();
        }
        Some(fetch_json(self.client, request))
    }

    /// The next page's request from the first one.
    fn repeat(
        &mut self,
        next: impl FnOnce(&RawRequest) -> RawRequest,
    ) -> Result<RawRequest, Error> {
        match &self.first {
            Some(Ok(request)) => Ok(next(request)),
            Some(Err(_)) => match self.first.take() {
                Some(Err(e)) => Err(e),
                _ => Err(invalid_request("the request could not be built")),
            },
            None => Err(invalid_request("the request could not be built")),
        }
    }

    /// What a page's envelope says, before its items are decoded.
    fn seen(&mut self, reply: &JsonReply) -> Seen {
        let print = reply.fingerprint();
        let repeated = self.last.replace(print) == Some(print);
        // The server counts from the caller's first page; the listing counts from 1.
        let skipped = self.start.saturating_sub(1);
        let info = reply.result_info().cloned().map(|mut info| {
            info.page = info.page.map(|p| p.saturating_sub(skipped));
            if let (Some(total), Some(per_page)) = (info.total_count, info.per_page) {
                info.total_count = Some(total.saturating_sub(skipped.saturating_mul(per_page)));
            }
            info
        });
        Seen { repeated, info }
    }

    /// Takes a page of `len` items (and, for cursor paging, the next cursor) and decides what
    /// comes next; `false` when its items are not to be handed out.
    fn accept(&mut self, seen: Seen, len: usize, cursor: Option<String>) -> bool {
        let next = std::mem::replace(&mut self.next, Next::Done);
        if seen.repeated || len == 0 {
            return false;
        }
        match next {
            Next::Cursor(previous) => {
                if let Some(c) = previous {
                    self.cursors.insert(c);
                }
                if let Some(c) = cursor.filter(|c| !c.is_empty() && !self.cursors.contains(c)) {
                    self.next = Next::Cursor(Some(c));
                }
                true
            }
            Next::Page(n) => {
                let info = seen.info.as_ref();
                // A page number other than the one asked for: the server ignores `page`.
                if info.is_some_and(|i| i.page.is_some_and(|p| p != u64::from(n))) {
                    return false;
                }
                if has_more(n, len, info) {
                    if let Some(after) = n.checked_add(1) {
                        self.next = Next::Page(after);
                    }
                }
                true
            }
            Next::Done => false,
        }
    }

    /// Ends the listing (after an error).
    fn stop(&mut self) {
        self.next = Next::Done;
    }
}
