//! Tracing of calls (cargo feature `tracing`): [`CallSpan`], the span a generated method opens for its call, and the fields the exchange records on it (attempt, status). Without the feature a span is `()` and all of this compiles to nothing.

/// The span of one call: a `tracing::Span` named by the operationId, with
/// the fields `http.request.method`, `url.template`, `attempt` and
/// `http.response.status_code`; `()` without the `tracing` feature.
#[cfg(feature = "tracing")]
pub type CallSpan = tracing::Span;

/// The span of one call; `()` without the `tracing` feature.
#[cfg(not(feature = "tracing"))]
pub type CallSpan = ();

/// `fut`, run within `span`.
#[cfg(feature = "tracing")]
pub(super) fn instrument<F: std::future::Future>(
    fut: F,
    span: CallSpan,
) -> tracing::instrument::Instrumented<F> {
    tracing::Instrument::instrument(fut, span)
}

/// `fut`, run within `span`.
#[cfg(not(feature = "tracing"))]
pub(super) fn instrument<F: std::future::Future>(fut: F, span: CallSpan) -> F {
    let () = span;
    fut
}

/// Records the attempt about to be sent (1 for the first) on `span`.
pub(super) fn attempt(span: &CallSpan, n: u32) {
    #[cfg(feature = "tracing")]
    span.record("attempt", n);
    #[cfg(not(feature = "tracing"))]
    let _ = (span, n);
}

/// Records the status of the response on `span`.
pub(super) fn status(span: &CallSpan, status: u16) {
    #[cfg(feature = "tracing")]
    span.record("http.response.status_code", status);
    #[cfg(not(feature = "tracing"))]
    let _ = (span, status);
}

/// A span that records nothing (for calls made outside a generated method).
pub fn untraced() -> CallSpan {
    #[cfg(feature = "tracing")]
    return tracing::Span::none();
    #[cfg(not(feature = "tracing"))]
    #[allow(clippy::unused_unit)]
    ()
}
