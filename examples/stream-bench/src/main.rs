//! `stream-bench [--count N] [--rounds R]`: the generated server on loopback, read in alternating rounds by the generated client and by the floor (plain reqwest + serde_json), as server-sent events and as JSON lines; the medians as JSON on stdout.
//!
//! The server runs on a runtime of its own (one worker thread); the readers
//! run one at a time on the main thread (a current-thread runtime, which
//! also drives their connections), so the main thread's CPU time is the
//! reader's. Every reader's count and sums are checked against what the
//! server sent; a mismatch is an error, not a result.

use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;

use oagen_stream_bench::api::client;
use oagen_stream_bench::floor;
use oagen_stream_bench::read::{generated, thread_cpu, Checksum, Kind};
use oagen_stream_bench::server::serve;

const USAGE: &str = "usage: stream-bench [--count N] [--rounds R]";

/// Items per stream, and rounds, by default.
const COUNT: u64 = 100_000;
const ROUNDS: usize = 5;

/// Items per stream of the untimed warm-up round.
const WARM_UP: u64 = 1_000;

struct Options {
    count: u64,
    rounds: usize,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        count: COUNT,
        rounds: ROUNDS,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            let v = it.next().ok_or(format!("{name} needs a value"))?;
            match v.parse::<u64>() {
                Ok(n) if n >= 1 && n <= i64::MAX as u64 => Ok(n),
                _ => Err(format!("{name} needs a whole number from 1, not `{v}`")),
            }
        };
        match a.as_str() {
            "--count" => o.count = value("--count")?,
            "--rounds" => o.rounds = value("--rounds")? as usize,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(o)
}

/// Who reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Generated,
    Floor,
}

/// One timed read.
struct Sample {
    wall: f64,
    cpu: f64,
    sum: Checksum,
    /// The body's bytes (the floor counts them; the generated client reads
    /// the same endpoint's same bytes).
    bytes: Option<u64>,
}

struct Readers {
    base: String,
    generated: client::Client,
    http: reqwest::Client,
}

impl Readers {
    async fn read(&self, side: Side, kind: Kind, count: u64) -> Result<Sample, String> {
        let url = format!("{}{}?count={count}", self.base, kind.path());
        let (wall0, cpu0) = (Instant::now(), thread_cpu());
        let (sum, bytes) = match side {
            Side::Generated => (generated(&self.generated, kind, count as i64).await?, None),
            Side::Floor => {
                let (sum, bytes) = floor::read(&self.http, &url, kind).await?;
                (sum, Some(bytes))
            }
        };
        let sample = Sample {
            wall: wall0.elapsed().as_secs_f64(),
            cpu: thread_cpu() - cpu0,
            sum,
            bytes,
        };
        let expected = Checksum::expected(kind, count);
        if sample.sum != expected {
            return Err(format!(
                "{side:?} {} decoded {:?}, the server sent {expected:?}",
                kind.name(),
                sample.sum
            ));
        }
        Ok(sample)
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

async fn run(base: String, opts: &Options) -> Result<serde_json::Value, String> {
    let readers = Readers {
        generated: client::Client::new(base.clone()).map_err(|e| e.to_string())?,
        http: reqwest::Client::new(),
        base,
    };
    let kinds = [Kind::Sse, Kind::Lines];
    for kind in kinds {
        for side in [Side::Generated, Side::Floor] {
            readers.read(side, kind, WARM_UP.min(opts.count)).await?;
        }
    }
    // Per (kind, side), in rounds that alternate which side reads first.
    let mut samples: Vec<((Kind, Side), Vec<Sample>)> = Vec::new();
    for kind in kinds {
        for side in [Side::Generated, Side::Floor] {
            samples.push(((kind, side), Vec::new()));
        }
    }
    for round in 0..opts.rounds {
        for kind in kinds {
            let mut order = [Side::Generated, Side::Floor];
            if round % 2 == 1 {
                order.reverse();
            }
            for side in order {
                let sample = readers.read(side, kind, opts.count).await?;
                if let Some((_, s)) = samples.iter_mut().find(|(k, _)| *k == (kind, side)) {
                    s.push(sample);
                }
            }
        }
    }
    let mut results = Vec::new();
    for (kind, side) in samples.iter().map(|(k, _)| *k) {
        let of = |side: Side| {
            samples
                .iter()
                .find(|(k, _)| *k == (kind, side))
                .map(|s| &s.1)
        };
        let floor_bytes: Vec<u64> = of(Side::Floor)
            .into_iter()
            .flatten()
            .filter_map(|s| s.bytes)
            .collect();
        let bytes = floor_bytes.first().copied().unwrap_or(0);
        if floor_bytes.iter().any(|b| *b != bytes) {
            return Err(format!(
                "{}: the body's size varied: {floor_bytes:?}",
                kind.name()
            ));
        }
        let rounds = of(side).map(Vec::as_slice).unwrap_or_default();
        let mut walls: Vec<f64> = rounds.iter().map(|s| s.wall).collect();
        let mut cpus: Vec<f64> = rounds.iter().map(|s| s.cpu).collect();
        let wall_s = walls.clone();
        let cpu_s = cpus.clone();
        let (wall, cpu) = (median(&mut walls), median(&mut cpus));
        let sum = rounds.first().map(|s| s.sum).unwrap_or_default();
        results.push(json!({
            "client": match side { Side::Generated => "generated", Side::Floor => "floor" },
            "stream": kind.name(),
            "items": opts.count,
            "bytes": bytes,
            "checksum": [sum.items, sum.numbers, sum.lengths],
            "wall_s": wall_s,
            "cpu_s": cpu_s,
            "median_wall_s": wall,
            "median_cpu_s": cpu,
            "events_per_s": opts.count as f64 / wall,
            "mb_per_s": bytes as f64 / wall / 1e6,
            "cpu_us_per_item": cpu / opts.count as f64 * 1e6,
        }));
    }
    Ok(json!({
        "count": opts.count,
        "rounds": opts.rounds,
        "warm_up": WARM_UP.min(opts.count),
        "results": results,
    }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse_args(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("stream-bench: {e}");
            return ExitCode::from(2);
        }
    };
    let result = (|| -> Result<serde_json::Value, String> {
        let server = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let addr = server
            .block_on(async { serve(tokio::net::TcpListener::bind("127.0.0.1:0").await?).await })
            .map_err(|e| format!("serving on loopback: {e}"))?;
        let readers = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let out = readers.block_on(run(format!("http://{addr}"), &opts));
        server.shutdown_background();
        out
    })();
    match result {
        Ok(json) => {
            println!("{json:#}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("stream-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
