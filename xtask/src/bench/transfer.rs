//! `cargo xtask bench --transfer`: a binary upload and download between the generated client and server of the transfer fixture (`examples/transfer-bench`), each side its own process, streamed and buffered; throughput and each side's peak memory (`wait4`'s `ru_maxrss`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::measure::{measure, Measured};

use super::format::table;

/// The size moved by a full run, and by `--smoke`.
pub(super) const FULL_BYTES: u64 = 1 << 30;
pub(super) const SMOKE_BYTES: u64 = 64 << 20;

/// A side that takes longer than this is killed.
const LIMIT: Duration = Duration::from_secs(600);

/// One transfer: which way, how, and each side measured.
#[derive(Debug, Clone)]
pub(super) struct Transfer {
    direction: &'static str,
    mode: &'static str,
    bytes: u64,
    client: Measured,
    server: Measured,
}

impl Transfer {
    fn ok(&self) -> bool {
        self.client.success() && self.server.success()
    }

    /// Megabytes (10^6) a second, over the client's wall time.
    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.client.wall.max(1e-9)
    }
}

/// Whether the run has the transfer section: asked for, or a run that
/// selects no spec by name (a full run, `--smoke`).
pub(super) fn wanted(opts: &super::Options) -> bool {
    opts.transfer || opts.only.is_empty()
}

/// Builds the bench binary (release) and runs the four transfers of `bytes`
/// bytes, writing each side's output into `logs`.
pub(super) fn run(root: &Path, logs: &Path, bytes: u64) -> Result<Vec<Transfer>, String> {
    eprintln!("==> building the transfer bench: cargo build --release -p oagen-transfer-bench");
    crate::run(
        Command::new(crate::release::cargo())
            .args(["build", "--release", "-p", "oagen-transfer-bench"])
            .current_dir(root),
    )?;
    let bin = crate::release::target_dir(root).join("release/transfer-bench");
    std::fs::create_dir_all(logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let mut out = Vec::new();
    for direction in ["upload", "download"] {
        for mode in ["streamed", "buffered"] {
            eprintln!("==> transfer: {direction} of {} MB, {mode}", bytes >> 20);
            let t = transfer(&bin, logs, direction, mode, bytes)?;
            eprintln!(
                "    {:.0} MB/s, client {:.0} MB, server {:.0} MB{}",
                t.mb_per_s(),
                t.client.peak_mb(),
                t.server.peak_mb(),
                if t.ok() {
                    ""
                } else {
                    " (FAILED: see the logs)"
                }
            );
            out.push(t);
        }
    }
    Ok(out)
}

/// A command whose output goes to `logs/<name>.out` and `.err`.
fn logged(bin: &Path, logs: &Path, name: &str) -> Result<Command, String> {
    let file = |ext: &str| {
        let path = logs.join(format!("{name}.{ext}"));
        std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let mut cmd = Command::new(bin);
    cmd.stdin(Stdio::null())
        .stdout(file("out")?)
        .stderr(file("err")?);
    Ok(cmd)
}

fn transfer(
    bin: &Path,
    logs: &Path,
    direction: &'static str,
    mode: &'static str,
    bytes: u64,
) -> Result<Transfer, String> {
    let name = format!("{direction}-{mode}");
    let port_file: PathBuf = logs.join(format!("{name}.port"));
    let _ = std::fs::remove_file(&port_file);
    let mut server = logged(bin, logs, &format!("{name}-server"))?;
    server.arg("serve").arg(mode).arg(&port_file);
    let serving = std::thread::spawn(move || measure(&mut server, Some(LIMIT)));
    // The server writes its port once it listens.
    let started = Instant::now();
    let port = loop {
        if let Ok(text) = std::fs::read_to_string(&port_file) {
            break text.trim().to_string();
        }
        if serving.is_finished() || started.elapsed() > Duration::from_secs(30) {
            return Err(format!(
                "the {name} server did not start (see {})",
                logs.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut client = logged(bin, logs, &format!("{name}-client"))?;
    client
        .arg(direction)
        .arg(format!("http://127.0.0.1:{port}"))
        .arg(bytes.to_string())
        .arg(mode);
    let client = measure(&mut client, Some(LIMIT))?;
    let server = serving
        .join()
        .map_err(|_| "the server's measuring thread failed".to_string())??;
    Ok(Transfer {
        direction,
        mode,
        bytes,
        client,
        server,
    })
}

/// The report's section: a table of the transfers.
pub(super) fn section(transfers: &[Transfer]) -> String {
    let mut md = String::from("\n## Binary transfers (client and server processes)\n\n");
    let size = transfers.first().map_or(0, |t| t.bytes >> 20);
    let _ = writeln!(
        md,
        "{size} MB moved over loopback by the generated client and server of \
         `examples/feature-tests/specs/transfer.yaml` (`examples/transfer-bench`): streamed, \
         each side produces or consumes the body chunk by chunk (`ByteBody` streams); \
         buffered, each side holds it whole. MB/s over the client's wall time; peak resident \
         memory of each process (`ru_maxrss`).\n"
    );
    md.push_str(&table(
        &[
            "transfer",
            "mode",
            "MB/s",
            "client peak",
            "server peak",
            "result",
        ],
        &[false, false, true, true, true, false],
        &transfers_rows(transfers),
    ));
    md
}

/// The rows of the table.
fn transfers_rows(transfers: &[Transfer]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for t in transfers {
        rows.push(vec![
            t.direction.to_string(),
            t.mode.to_string(),
            format!("{:.0}", t.mb_per_s()),
            format!("{:.0} MB", t.client.peak_mb()),
            format!("{:.0} MB", t.server.peak_mb()),
            if t.ok() {
                "ok".into()
            } else {
                format!(
                    "client {}, server {}",
                    t.client.describe_exit(Some(LIMIT)),
                    t.server.describe_exit(Some(LIMIT))
                )
            },
        ]);
    }
    rows
}

/// Whether every transfer moved its bytes.
pub(super) fn all_ok(transfers: &[Transfer]) -> bool {
    !transfers.is_empty() && transfers.iter().all(Transfer::ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Exit;

    fn measured(wall: f64, peak_kb: u64) -> Measured {
        Measured {
            exit: Exit::Code(0),
            wall,
            cpu: wall,
            peak_kb,
        }
    }

    #[test]
    fn the_section_shows_throughput_and_both_peaks() {
        let t = Transfer {
            direction: "upload",
            mode: "streamed",
            bytes: 1 << 30,
            client: measured(2.0, 10 * 1024),
            server: measured(2.1, 12 * 1024),
        };
        assert!((t.mb_per_s() - 536.87).abs() < 0.1);
        let md = section(std::slice::from_ref(&t));
        assert!(md.contains("1024 MB moved"), "{md}");
        assert!(md.contains(" 537 |"), "{md}");
        assert!(md.contains("10 MB") && md.contains("12 MB"), "{md}");
        assert!(all_ok(std::slice::from_ref(&t)));
        let failed = Transfer {
            server: Measured {
                exit: Exit::Code(1),
                ..measured(1.0, 1)
            },
            ..t
        };
        assert!(!all_ok(std::slice::from_ref(&failed)) && !all_ok(&[]));
        assert!(section(&[failed]).contains("server exit code 1"));
    }
}
