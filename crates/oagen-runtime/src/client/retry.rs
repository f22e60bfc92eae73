//! [`RetryPolicy`]: which failed attempts of a call are tried again, and how long to wait before each (exponential backoff with jitter, or the server's `Retry-After`).

use std::time::{Duration, SystemTime};

/// When and how a call is retried. Off unless the client is built with
/// [`ClientBuilder::retry`](super::ClientBuilder::retry).
///
/// By default an attempt is retried only when the method is idempotent
/// (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`, `QUERY`), and only
/// after a connection error or a `429`, `502`, `503` or `504` response. A
/// request whose body is a stream is never retried (it cannot be sent twice).
/// The wait before attempt `n + 1` is the response's `Retry-After` (seconds or
/// an HTTP date) when it has one, otherwise `initial_backoff * 2^(n-1)`, at
/// most `max_backoff`, of which a random half is taken off (jitter); either
/// way at most `max_delay`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_delay: Duration,
    statuses: Vec<u16>,
    any_method: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            statuses: vec![429, 502, 503, 504],
            any_method: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy: 3 attempts, backoff from 200 ms up to 10 s, waits
    /// of at most 60 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many attempts a call makes in all (the first one included; at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The backoff before the second attempt; it doubles for each further one.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The largest backoff (before jitter).
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// The longest wait before an attempt, `Retry-After` included: a server
    /// asking for more is waited for this long.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// The response statuses that are retried (default `429, 502, 503, 504`).
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Retries non-idempotent methods too (`POST`, `PATCH`, ..): only for an
    /// API that makes them safe to repeat, e.g. with idempotency keys.
    pub fn retry_any_method(mut self, yes: bool) -> Self {
        self.any_method = yes;
        self
    }

    /// The number of attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a request with `method` may be retried at all.
    pub fn allows(&self, method: &reqwest::Method) -> bool {
        self.any_method
            || matches!(
                method.as_str(),
                "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE" | "QUERY"
            )
    }

    /// Whether a response with `status` is retried.
    pub fn retries_status(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }

    /// Whether a failed send is retried: the connection could not be made or
    /// broke before a response came.
    pub fn retries_error(&self, e: &reqwest::Error) -> bool {
        e.is_connect() || (e.is_request() && !e.is_builder() && !e.is_body() && !e.is_timeout())
    }

    /// The wait after attempt `attempt` (1 for the first) failed, given the
    /// response's headers when there was a response.
    pub fn delay(&self, attempt: u32, headers: Option<&reqwest::header::HeaderMap>) -> Duration {
        let asked = headers
            .and_then(|h| h.get(reqwest::header::RETRY_AFTER))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, SystemTime::now()));
        let d = match asked {
            Some(d) => d,
            None => {
                let exp = attempt.saturating_sub(1).min(30);
                let full = self
                    .initial_backoff
                    .saturating_mul(1u32 << exp)
                    .min(self.max_backoff);
                let half = full / 2;
                half + jitter(half, attempt)
            }
        };
        d.min(self.max_delay)
    }
}

/// A `Retry-After` value as a wait from `now`: whole seconds, or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`; a date in the past is no wait).
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH
        + Duration::from_secs(u64::try_from(date.timestamp()).ok()?)
        + Duration::from_nanos(u64::from(date.timestamp_subsec_nanos()));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random duration in `0..=max`, from the standard library's randomly
/// keyed hasher (no dependency; not for cryptography).
fn jitter(max: Duration, attempt: u32) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    if let Ok(t) = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    let nanos = max.as_nanos().min(u128::from(u64::MAX)) as u64;
    match nanos.checked_add(1) {
        Some(n) => Duration::from_nanos(h.finish() % n),
        None => Duration::from_nanos(h.finish()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, retry_after.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        // In the past: no wait.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-5", now), None);
    }

    #[test]
    fn the_delay_honours_retry_after_capped_by_the_policy() {
        let p = RetryPolicy::new().max_delay(Duration::from_secs(5));
        assert_eq!(p.delay(1, Some(&headers("2"))), Duration::from_secs(2));
        assert_eq!(p.delay(1, Some(&headers("3600"))), Duration::from_secs(5));
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_its_bound() {
        let p = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for (attempt, full) in [(1, 100), (2, 200), (3, 350), (20, 350), (u32::MAX, 350)] {
            for _ in 0..20 {
                let d = p.delay(attempt, None);
                let full = Duration::from_millis(full);
                assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
            }
        }
        // An unparsable `Retry-After` falls back to the backoff.
        let d = p.delay(1, Some(&headers("later")));
        assert!(d >= Duration::from_millis(50) && d <= Duration::from_millis(100));
    }

    #[test]
    fn only_idempotent_methods_and_transient_statuses_by_default() {
        let p = RetryPolicy::new();
        for m in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "QUERY"] {
            assert!(
                p.allows(&reqwest::Method::from_bytes(m.as_bytes()).unwrap()),
                "{m}"
            );
        }
        assert!(!p.allows(&reqwest::Method::POST));
        assert!(!p.allows(&reqwest::Method::PATCH));
        assert!(p
            .clone()
            .retry_any_method(true)
            .allows(&reqwest::Method::POST));
        for s in [429, 502, 503, 504] {
            assert!(p.retries_status(s));
        }
        for s in [200, 400, 404, 500, 501] {
            assert!(!p.retries_status(s));
        }
        assert!(p.clone().statuses([500]).retries_status(500));
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
    }
}
