//! Lazy streams over paginated list endpoints.
//!
//! Both helpers fetch a page only when the consumer has used up the previous one, so
//! taking the first few items costs one request, and both end after yielding the first
//! error (a half-read listing should not silently continue past a gap).

use std::future::Future;

use futures_core::Stream;

use super::envelope::ResultInfo;
use super::error::Error;

enum Next<K> {
    Fetch(K),
    Done,
}

/// Items of a cursor-paginated listing, fetched page by page on demand.
///
/// `fetch` receives `None` for the first page and then each cursor the previous page
/// returned. The stream stops when the cursor is absent or empty, when a page is empty,
/// or when the API hands out a cursor it already gave (a cycle such as A → B → A would
/// otherwise loop forever).
///
/// The stream is not `Unpin`; pin it (e.g. `std::pin::pin!` or `Box::pin`) to iterate.
pub fn cursor_stream<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>>,
{
    struct State<T, F> {
        fetch: F,
        buffer: std::vec::IntoIter<T>,
        next: Next<Option<String>>,
        seen: std::collections::HashSet<String>,
    }
    let state = State {
        fetch,
        buffer: Vec::new().into_iter(),
        next: Next::Fetch(None),
        seen: std::collections::HashSet::new(),
    };
    futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(item) = s.buffer.next() {
                return Some((Ok(item), s));
            }
            let Next::Fetch(cursor) = std::mem::replace(&mut s.next, Next::Done) else {
                return None;
            };
            match (s.fetch)(cursor.clone()).await {
                Err(e) => return Some((Err(e), s)),
                Ok((items, _)) if items.is_empty() => return None,
                Ok((items, next)) => {
                    if let Some(c) = cursor {
                        s.seen.insert(c);
                    }
                    s.next = match next {
                        Some(c) if !c.is_empty() && !s.seen.contains(&c) => Next::Fetch(Some(c)),
                        _ => Next::Done,
                    };
                    s.buffer = items.into_iter();
                }
            }
        }
    })
}

/// Items of a page-numbered listing, fetched page by page on demand.
///
/// `fetch` receives the 1-based page number. The stream continues while
/// `page * per_page < total_count` according to the page's `result_info`; when
/// `total_count` is absent it continues only while pages come back full (`per_page`
/// items). It stops on an empty page, without `result_info`, or when the API reports a
/// different page number than the one requested: that page's items are not yielded (a server
/// ignoring the `page` parameter would otherwise repeat page 1).
///
/// The stream is not `Unpin`; pin it (e.g. `std::pin::pin!` or `Box::pin`) to iterate.
pub fn page_stream<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<ResultInfo>), Error>>,
{
    struct State<T, F> {
        fetch: F,
        buffer: std::vec::IntoIter<T>,
        next: Next<u32>,
    }
    let state = State {
        fetch,
        buffer: Vec::new().into_iter(),
        next: Next::Fetch(1),
    };
    futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(item) = s.buffer.next() {
                return Some((Ok(item), s));
            }
            let Next::Fetch(page) = std::mem::replace(&mut s.next, Next::Done) else {
                return None;
            };
            match (s.fetch)(page).await {
                Err(e) => return Some((Err(e), s)),
                Ok((items, _)) if items.is_empty() => return None,
                Ok((_, Some(info))) if info.page.is_some_and(|p| p != u64::from(page)) => {
                    return None;
                }
                Ok((items, info)) => {
                    if has_more(page, items.len(), info.as_ref()) {
                        if let Some(next) = page.checked_add(1) {
                            s.next = Next::Fetch(next);
                        }
                    }
                    s.buffer = items.into_iter();
                }
            }
        }
    })
}

/// Whether a numbered listing goes on after `page`, which held `len` items and came with `info`
/// (the rule [`page_stream`] follows, also used by `magic_api`'s streams).
#[doc(hidden)]
pub fn has_more(page: u32, len: usize, info: Option<&ResultInfo>) -> bool {
    let Some(info) = info else {
        return false;
    };
    if info.page.is_some_and(|p| p != u64::from(page)) {
        return false;
    }
    match (info.per_page, info.total_count) {
        (Some(0), _) | (None, _) => false,
        (Some(per_page), Some(total)) => u64::from(page).saturating_mul(per_page) < total,
        (Some(per_page), None) => len as u64 >= per_page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(page: Option<u64>, per_page: Option<u64>, total: Option<u64>) -> ResultInfo {
        ResultInfo {
            page,
            per_page,
            total_count: total,
            ..ResultInfo::default()
        }
    }

    #[test]
    fn has_more_rules() {
        assert!(has_more(1, 2, Some(&info(Some(1), Some(2), Some(5)))));
        assert!(has_more(2, 2, Some(&info(None, Some(2), Some(5)))));
        assert!(!has_more(3, 1, Some(&info(Some(3), Some(2), Some(5)))));
        assert!(!has_more(2, 2, Some(&info(Some(1), Some(2), Some(5)))));
        assert!(has_more(1, 2, Some(&info(None, Some(2), None))));
        assert!(!has_more(1, 1, Some(&info(None, Some(2), None))));
        assert!(!has_more(1, 2, Some(&info(None, Some(0), Some(5)))));
        assert!(!has_more(1, 2, Some(&info(None, None, Some(5)))));
        assert!(!has_more(1, 2, None));
    }
}
