//! Time spent per phase of a run (read, parse, normalise, model, emit,
//! format, write), for `oagen generate --timings` and `cargo xtask bench`.
//!
//! Recording is off until [`enable`] is called, and then costs one clock read
//! per measured step. Phases measured on several threads add up their time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static PHASES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Starts recording.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Adds `d` to `phase`.
pub fn record(phase: &'static str, d: Duration) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(mut phases) = PHASES.lock() {
        match phases.iter_mut().find(|(p, _)| *p == phase) {
            Some((_, total)) => *total += d,
            None => phases.push((phase, d)),
        }
    }
}

/// Runs `f`, adding its time to `phase`.
pub fn time<R>(phase: &'static str, f: impl FnOnce() -> R) -> R {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let start = Instant::now();
    let r = f();
    record(phase, start.elapsed());
    r
}

/// The phases recorded so far, in the order first seen, and clears them.
pub fn take() -> Vec<(&'static str, Duration)> {
    PHASES
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default()
}
