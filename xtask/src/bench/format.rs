//! Numbers and tables for the report: seconds, sizes, thousands, ratios, padded Markdown tables.

use std::fmt::Write as _;

use crate::measure::Measured;

/// Seconds for a table: `12.3 s`, `1.23 s`, `45.6 ms`, `0.41 ms`.
pub(super) fn secs(s: f64) -> String {
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.001 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{:.2} ms", s * 1000.0)
    }
}

pub(super) fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "-".into(), f)
}

/// A measured process: `12.3 s (20.1 s CPU, 812 MB)`.
pub(super) fn took(m: &Measured) -> String {
    format!(
        "{} ({} CPU, {:.0} MB)",
        secs(m.wall),
        secs(m.cpu),
        m.peak_mb()
    )
}

/// A progress line: `    built in 12.3 s (20.1 s CPU, 812 MB)`, `FAILED` for `done` if it failed.
pub(super) fn outcome_line(done: &str, m: &Measured) -> String {
    format!(
        "    {} in {}",
        if m.success() { done } else { "FAILED" },
        took(m)
    )
}

/// Bytes as `20.3 MB` or `12.4 KB` (binary units).
pub(super) fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// `1234567` as `1,234,567`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string().into_bytes();
    let groups: Vec<&str> = digits
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).unwrap_or_default())
        .collect();
    groups.join(",")
}

pub(super) fn ratio(r: f64) -> String {
    if r < 1.0 {
        format!("{r:.2}×")
    } else {
        format!("{r:.1}×")
    }
}

/// A Markdown table with padded columns; `right[i]` right-aligns column `i`.
pub(super) fn table(header: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
            .chain([header[i].chars().count(), 3])
            .max()
            .unwrap_or(3)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: Vec<String>| {
        let mut s = String::from("|");
        for (i, c) in cells.iter().enumerate() {
            let w = widths[i];
            if right.get(i).copied().unwrap_or(false) {
                let _ = write!(s, " {c:>w$} |");
            } else {
                let _ = write!(s, " {c:<w$} |");
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out.push('|');
    for (i, w) in widths.iter().enumerate() {
        if right.get(i).copied().unwrap_or(false) {
            let _ = write!(out, " {}: |", "-".repeat(w - 1));
        } else {
            let _ = write!(out, " {} |", "-".repeat(*w));
        }
    }
    out.push('\n');
    for r in rows {
        let mut cells = r.clone();
        cells.resize(header.len(), String::new());
        out.push_str(&line(cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted() {
        assert_eq!(secs(12.345), "12.3 s");
        assert_eq!(secs(1.234), "1.23 s");
        assert_eq!(secs(0.0456), "45.6 ms");
        assert_eq!(secs(0.00041), "0.41 ms");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(size(20 << 20), "20.0 MB");
        assert_eq!(size(1536), "1.5 KB");
    }
}
