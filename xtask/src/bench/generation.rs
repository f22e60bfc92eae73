//! Generation: the specs measured, and per spec the timed `oagen generate` runs and `oagen floor` parse floors.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::corpus;
use crate::measure::measure;
use crate::release;

use super::compile::GITHUB_CRATE;
use super::format::secs;
use super::{Dirs, Options};

/// The phases `oagen generate --timings` reports, in pipeline order.
pub(super) const PHASES: [&str; 7] = [
    "read",
    "parse",
    "normalise",
    "model",
    "emit",
    "format",
    "write",
];

const STRIPE: &str = "shared/stripe.spec3.yaml";

pub(super) const GITHUB: &str = "shared/github-rest.api.github.com.json";

const GRAPH: &str = "apis.guru/microsoft.com/graph.json";

/// One spec to measure.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    /// `seed/<file>`, `shared/<file>` or `apis.guru/<path>`.
    pub id: String,
    pub path: PathBuf,
    pub bytes: u64,
    /// The crate name given to `oagen generate --name`.
    pub name: String,
}

/// Whether `id` is selected: `--smoke` keeps the seeds and GitHub; `--only`
/// keeps ids containing one of its values.
fn selected(id: &str, opts: &Options) -> bool {
    if opts.smoke && !(id.starts_with("seed/") || id == GITHUB) {
        return false;
    }
    opts.only.is_empty() || opts.only.iter().any(|o| id.contains(o.as_str()))
}

/// The selected specs, and a note for each selected one that is missing.
pub(super) fn bench_specs(root: &Path, opts: &Options) -> (Vec<Spec>, Vec<String>) {
    let mut candidates: Vec<(String, Option<PathBuf>, String)> = crate::specs(root)
        .into_iter()
        .map(|p| {
            let file = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let name = oagen::crate_name_for(&p);
            (format!("seed/{file}"), Some(p), name)
        })
        .collect();
    let shared = root.join("../shared/corpus");
    candidates.push((
        STRIPE.into(),
        Some(shared.join("stripe.spec3.yaml")),
        "stripe".into(),
    ));
    candidates.push((
        GITHUB.into(),
        Some(shared.join("github-rest.api.github.com.json")),
        GITHUB_CRATE.into(),
    ));
    candidates.push((GRAPH.into(), None, "microsoft_graph".into()));

    let mut specs = Vec::new();
    let mut notes = Vec::new();
    for (id, path, name) in candidates {
        if !selected(&id, opts) {
            continue;
        }
        let path = match path {
            Some(p) => p,
            None => match corpus::install_directory(root) {
                Ok(api) => api.join("microsoft.com/graph.json"),
                Err(e) => {
                    notes.push(format!(
                        "`{id}` skipped: the APIs.guru directory is not installed ({e})"
                    ));
                    continue;
                }
            },
        };
        match fs::metadata(&path) {
            Ok(m) => specs.push(Spec {
                id,
                path,
                bytes: m.len(),
                name,
            }),
            Err(e) => notes.push(format!("`{id}` skipped: {}: {e}", path.display())),
        }
    }
    (specs, notes)
}

/// One timed generation.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Sample {
    pub wall: f64,
    pub cpu: f64,
    pub peak_kb: u64,
    /// Seconds per phase, from `--timings`.
    pub phases: BTreeMap<String, f64>,
}

/// One `oagen floor`: seconds to a JSON value, and to `openapiv3::OpenAPI`
/// (`None` when the document does not deserialise into it).
type Floor = (f64, Option<f64>);

/// Everything measured for one spec.
#[derive(Debug, Clone, Default)]
pub(super) struct SpecRun {
    pub operations: Option<u64>,
    pub types: Option<u64>,
    /// Lines of the generated Rust files.
    pub lines: Option<u64>,
    pub samples: Vec<Sample>,
    pub floors: Vec<Floor>,
    /// Why the spec has no result (or no floor).
    pub error: Option<String>,
}

/// The median; the mean of the two middle values for an even count.
pub(super) fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Measures one spec: a first run that also gives the counts (untimed
/// warm-up when `runs > 1`), then `runs` times a floor and a generation.
pub(super) fn bench_spec(dirs: &Dirs, spec: &Spec, runs: usize) -> SpecRun {
    let mut result = SpecRun::default();
    let warm_up = runs > 1;
    let limit = Duration::from_secs(300 + 30 * spec.bytes.div_ceil(1 << 20));
    let crate_dir = dirs.sub("crates").join(&spec.name);
    let stats = dirs
        .sub("timings")
        .join(format!("{}.stats.json", spec.name));
    let first = generate(dirs, spec, &crate_dir, Some(&stats), limit);
    let first = match first {
        Ok(s) => s,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    eprintln!(
        "    {}",
        progress(if warm_up { "warm-up" } else { "run 1" }, &first)
    );
    if let Ok(v) = fs::read_to_string(&stats)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()))
    {
        result.operations = v["operations"].as_u64();
        result.types = v["types"].as_u64();
    }
    result.lines = Some(
        line_counts(&crate_dir)
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(_, n)| n)
            .sum(),
    );
    if !warm_up {
        result.samples.push(first);
    }
    for k in 0..runs {
        match floor(dirs, spec) {
            Ok(f) => result.floors.push(f),
            Err(e) => result.error = Some(format!("oagen floor: {e}")),
        }
        if warm_up || k > 0 {
            match generate(dirs, spec, &crate_dir, None, limit) {
                Ok(s) => {
                    eprintln!("    {}", progress(&format!("run {}", k + 1), &s));
                    result.samples.push(s);
                }
                Err(e) => {
                    result.error = Some(e);
                    result.samples.clear();
                    return result;
                }
            }
        }
    }
    result
}

fn progress(label: &str, s: &Sample) -> String {
    format!(
        "{label:<8} {:>9} wall {:>9} CPU {:>6.0} MB",
        secs(s.wall),
        secs(s.cpu),
        s.peak_kb as f64 / 1024.0
    )
}

/// One `oagen generate` into a fresh `crate_dir`, measured.
pub(super) fn generate(
    dirs: &Dirs,
    spec: &Spec,
    crate_dir: &Path,
    stats: Option<&Path>,
    limit: Duration,
) -> Result<Sample, String> {
    let _ = fs::remove_dir_all(crate_dir);
    let timings = dirs.sub("timings").join(format!("{}.json", spec.name));
    let _ = fs::remove_file(&timings);
    let log = dirs.sub("logs").join(format!("{}.stderr", spec.name));
    let stderr = fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut cmd = release::generate(&dirs.bin, &spec.path, crate_dir, &spec.name);
    cmd.arg("--timings").arg(&timings).stderr(stderr);
    if let Some(s) = stats {
        cmd.arg("--stats-json").arg(s);
    }
    let m = measure(&mut cmd, Some(limit))?;
    if !m.success() {
        let text = fs::read_to_string(&log).unwrap_or_default();
        let last = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!(
            "oagen generate failed ({}): {last} (log: {})",
            m.describe_exit(Some(limit)),
            log.display()
        ));
    }
    let text = fs::read_to_string(&timings).map_err(|e| format!("{}: {e}", timings.display()))?;
    Ok(Sample {
        wall: m.wall,
        cpu: m.cpu,
        peak_kb: m.peak_kb,
        phases: parse_timings(&text)?,
    })
}

/// The `--timings` document: `{"read":0.01,"parse":0.2,...}`.
fn parse_timings(text: &str) -> Result<BTreeMap<String, f64>, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("timings: {e}"))?;
    let obj = v.as_object().ok_or("timings: not an object")?;
    obj.iter()
        .map(|(k, v)| {
            v.as_f64()
                .map(|s| (k.clone(), s))
                .ok_or_else(|| format!("timings: `{k}` is not a number"))
        })
        .collect()
}

/// One `oagen floor`.
pub(super) fn floor(dirs: &Dirs, spec: &Spec) -> Result<Floor, String> {
    let out = Command::new(&dirs.bin)
        .arg("floor")
        .arg(&spec.path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    parse_floor(&String::from_utf8_lossy(&out.stdout))
}

/// `{"value":s,"openapiv3":s|null}`.
fn parse_floor(text: &str) -> Result<Floor, String> {
    let v: serde_json::Value = serde_json::from_str(text.trim()).map_err(|e| e.to_string())?;
    let value = v["value"].as_f64().ok_or("no `value`")?;
    Ok((value, v["openapiv3"].as_f64()))
}

/// Lines per file under `dir` (paths relative to it, `/`-separated), sorted.
pub(super) fn line_counts(dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = fs::read(&p) {
                let rel = p.strip_prefix(dir).unwrap_or(&p);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, count_lines(&bytes)));
            }
        }
    }
    out.sort();
    out
}

/// Lines of a text: newlines, plus one for a last line without its newline.
pub(super) fn count_lines(bytes: &[u8]) -> u64 {
    let n = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    n + u64::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

#[cfg(test)]
mod tests {
    use super::super::{args, parse_args};
    use super::*;

    #[test]
    fn selection() {
        let smoke = parse_args(&args("--smoke")).unwrap();
        assert!(selected("seed/px0.yaml", &smoke));
        assert!(selected(GITHUB, &smoke));
        assert!(!selected(STRIPE, &smoke));
        assert!(!selected(GRAPH, &smoke));
        let all = Options::default();
        assert!([STRIPE, GITHUB, GRAPH, "seed/a.yaml"]
            .iter()
            .all(|id| selected(id, &all)));
        let only = parse_args(&args("--only graph --only px0")).unwrap();
        assert!(selected(GRAPH, &only) && selected("seed/px0.yaml", &only));
        assert!(!selected(GITHUB, &only) && !selected("seed/devin.yaml", &only));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[9.0, f64::NAN, 1.0, 2.0]), Some(2.0));
    }

    #[test]
    fn timings_and_floors_are_read() {
        let t = parse_timings(r#"{"read":0.01,"parse":0.5,"emit":2}"#).unwrap();
        assert_eq!(t["parse"], 0.5);
        assert_eq!(t["emit"], 2.0);
        assert!(parse_timings(r#"{"read":"x"}"#).is_err());
        assert!(parse_timings("[1]").is_err());
        assert_eq!(
            parse_floor("{\"value\":0.25,\"openapiv3\":0.5}\n").unwrap(),
            (0.25, Some(0.5))
        );
        assert_eq!(
            parse_floor(r#"{"value":0.25,"openapiv3":null}"#).unwrap(),
            (0.25, None)
        );
        assert!(parse_floor("oops").is_err());
    }
}
