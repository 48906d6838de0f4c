//! When and how long to wait before resending a request.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;

/// How failed requests are retried.
///
/// Defaults (from [`RetryPolicy::default`]):
///
/// | setting | default |
/// | --- | --- |
/// | [`max_retries`](Self::max_retries) | 3 (so at most 4 attempts) |
/// | [`initial_backoff`](Self::initial_backoff) | 200 ms |
/// | [`max_backoff`](Self::max_backoff) | 5 s |
/// | [`max_retry_after`](Self::max_retry_after) | 60 s |
/// | [`max_elapsed`](Self::max_elapsed) | 2 min |
///
/// Backoff is exponential with *full jitter*: before retry `n` (0-based) the client sleeps
/// a uniformly random time in `[0, min(max_backoff, initial_backoff * 2^n)]`, which spreads
/// out clients that failed together. A `Retry-After` header (seconds or HTTP-date) replaces
/// the backoff; if it asks for more than `max_retry_after` the error is returned instead,
/// because retrying sooner than the server asked only burns an attempt.
///
/// What is retried, and why:
///
/// * connection failures before the request was sent (connect/DNS/TLS errors): always;
/// * `429 Too Many Requests`: always, since the server states it did not process it;
/// * `503` with `Retry-After`: always, for the same reason;
/// * other `5xx` (except 501/505), timeouts and connections dropped mid-exchange: only
///   for safe methods (`GET`, `HEAD`, `OPTIONS`). A `POST`/`PUT`/`PATCH`/`DELETE` may
///   already have taken effect, and Magic Transit writes (routes, tunnels, ACLs) are not
///   all idempotent, so resending them could duplicate configuration;
/// * everything else (4xx including `409 Conflict`, 2xx): never.
///
/// No new attempt is started once `max_elapsed` would be exceeded by the wait. Dropping
/// the request future cancels any pending wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            max_elapsed: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every failure is returned as is.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Maximum number of retries after the first attempt.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Upper bound of the first backoff (doubles per retry).
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Cap on the exponential backoff.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Longest `Retry-After` the client is willing to wait for.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Bound on the total time from the first attempt until the last retry starts.
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// Decides whether to retry after a failed attempt, and how long to wait first.
    ///
    /// `retries_done` counts retries already made; `elapsed` is the time since the first
    /// attempt started.
    pub(crate) fn delay(
        &self,
        method: &Method,
        failure: &Failure,
        retries_done: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if retries_done >= self.max_retries {
            return None;
        }
        let safe = is_safe(method);
        let retry_after = match *failure {
            Failure::NotSent => None,
            Failure::MaybeProcessed if safe => None,
            Failure::Status {
                status: 429,
                retry_after,
            } => retry_after,
            Failure::Status {
                status: 503,
                retry_after: Some(ra),
            } => Some(ra),
            Failure::Status {
                status,
                retry_after,
            } if safe && is_retryable_5xx(status) => retry_after,
            _ => return None,
        };
        let wait = match retry_after {
            Some(ra) if ra > self.max_retry_after => return None,
            Some(ra) => ra,
            None => self.backoff(retries_done),
        };
        if elapsed.saturating_add(wait) > self.max_elapsed {
            return None;
        }
        Some(wait)
    }

    fn backoff(&self, retries_done: u32) -> Duration {
        let factor = 1u32.checked_shl(retries_done.min(31)).unwrap_or(u32::MAX);
        let cap = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        match cap_nanos.checked_add(1) {
            Some(range) => Duration::from_nanos(jitter() % range),
            None => cap,
        }
    }
}

/// What went wrong in one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request never left the client (connect error): safe to resend for any method.
    NotSent,
    /// The request may have reached the server (timeout, connection dropped mid-exchange).
    MaybeProcessed,
    /// The server answered with this status.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// Trying again cannot help: the request cannot be built, or the answer is refused (too
    /// large, or from a host the request was redirected to).
    Final,
}

/// Safe methods have no side effects, so resending them cannot duplicate anything.
fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// 501 (Not Implemented) and 505 (HTTP Version Not Supported) will not go away by waiting.
fn is_retryable_5xx(status: u16) -> bool {
    (500..600).contains(&status) && status != 501 && status != 505
}

/// A cheap random number for jitter, without a `rand` dependency.
///
/// Each `RandomState` gets fresh keys (seeded per thread from the OS and then advanced),
/// and a global counter plus the clock make the hashed input unique. Jitter only needs
/// to de-synchronise clients, not to be unpredictable to an attacker.
fn jitter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    RandomState::new().hash_one((n, now))
}

/// Parses `Retry-After`: delay-seconds or an HTTP-date. A date in the past means "now".
///
/// The date is read by the `httpdate` crate (one well-kept parser instead of a hand-written
/// calendar): IMF-fixdate, RFC 850 (a two-digit year below 70 is 20xx) and asctime, the three
/// forms RFC 9110 requires recipients to accept. It takes years 1970–9999 only and checks the
/// weekday against the date, so an inconsistent or out-of-range date counts as no
/// `Retry-After` at all (the backoff applies) rather than as "retry now".
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly large values saturate and are then rejected by `max_retry_after`.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
            .initial_backoff(10 * MS)
            .max_backoff(40 * MS)
    }

    fn status(status: u16, retry_after: Option<Duration>) -> Failure {
        Failure::Status {
            status,
            retry_after,
        }
    }

    #[test]
    fn safe_methods_retry_5xx_and_drops_but_writes_do_not() {
        let p = policy();
        for f in [
            status(500, None),
            status(502, None),
            status(503, None),
            Failure::MaybeProcessed,
        ] {
            assert!(
                p.delay(&Method::GET, &f, 0, Duration::ZERO).is_some(),
                "{f:?}"
            );
            for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                assert!(p.delay(&m, &f, 0, Duration::ZERO).is_none(), "{m} {f:?}");
            }
        }
    }

    #[test]
    fn server_sanctioned_retries_apply_to_all_methods() {
        let p = policy();
        for m in [Method::GET, Method::POST, Method::DELETE] {
            assert!(p.delay(&m, &Failure::NotSent, 0, Duration::ZERO).is_some());
            assert!(p.delay(&m, &status(429, None), 0, Duration::ZERO).is_some());
            assert_eq!(
                p.delay(&m, &status(503, Some(MS)), 0, Duration::ZERO),
                Some(MS)
            );
        }
    }

    #[test]
    fn never_retried() {
        let p = policy();
        for s in [400, 401, 403, 404, 409, 422, 501, 505] {
            assert!(
                p.delay(&Method::GET, &status(s, None), 0, Duration::ZERO)
                    .is_none(),
                "{s}"
            );
        }
        assert!(
            RetryPolicy::none()
                .delay(&Method::GET, &Failure::NotSent, 0, Duration::ZERO)
                .is_none()
        );
    }

    #[test]
    fn limits() {
        let p = policy()
            .max_retries(2)
            .max_retry_after(Duration::from_secs(2));
        let f = status(429, None);
        assert!(p.delay(&Method::GET, &f, 2, Duration::ZERO).is_none());
        let long = status(429, Some(Duration::from_secs(3)));
        assert!(p.delay(&Method::GET, &long, 0, Duration::ZERO).is_none());
        let p = p.max_elapsed(Duration::from_secs(1));
        let ra = status(429, Some(Duration::from_millis(600)));
        assert!(
            p.delay(&Method::GET, &ra, 0, Duration::from_millis(300))
                .is_some()
        );
        assert!(
            p.delay(&Method::GET, &ra, 0, Duration::from_millis(500))
                .is_none()
        );
    }

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let p = policy();
        let mut seen = std::collections::HashSet::new();
        for retry in 0..40 {
            let d = p.backoff(retry);
            let cap = (10 * MS * 2u32.saturating_pow(retry.min(20))).min(40 * MS);
            assert!(d <= cap, "{retry}: {d:?} > {cap:?}");
            seen.insert(d);
        }
        assert!(seen.len() > 10, "jitter should vary: {seen:?}");
    }

    #[test]
    fn retry_after_formats() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        let later = Some(Duration::from_secs(3));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            later
        );
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:40 GMT", now),
            later
        );
        assert_eq!(parse_retry_after("Sun Nov  6 08:49:40 1994", now), later);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", UNIX_EPOCH),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Tue, 29 Feb 2028 12:00:00 GMT", UNIX_EPOCH),
            Some(Duration::from_secs(1_835_438_400))
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            // Hostile values that used to overflow (a panic with overflow checks).
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
            "Sunday, 06-Nov-9223372036854775807 08:49:37 GMT",
            "Sunday, 06-Nov--9223372036854775808 08:49:37 GMT",
            "Sun, 06 Nov 1994 -9223372036854775808:49:37 GMT",
            "Sun, 06 Nov 1994 -1:49:37 GMT",
            "Sun, 06 Nov 1994 08:-49:37 GMT",
            "Sun, -9223372036854775808 Nov 1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 9223372036854775807",
            "Sun, 06 Nov 0 08:49:37 GMT",
            "Sun, 06 Nov 10000 08:49:37 GMT",
            // A weekday that does not match the date, and a date before 1970.
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }
}
