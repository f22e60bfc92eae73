//! The machine: its description for the report, and waiting for free memory and disk before a big build.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The free memory (GiB) a build should find before it starts: the GitHub
/// crate with every feature peaks near 8 GB.
const BUILD_MEMORY_GB: f64 = 9.0;

/// The free disk (GiB) a build should find: the GitHub crate's debug build
/// writes several GB.
const BUILD_DISK_GB: f64 = 10.0;

/// The machine, for the report.
pub(super) struct Machine {
    pub cpus: String,
    pub cpu_model: String,
    pub memory: String,
    pub kernel: String,
    pub date: String,
    pub load: String,
}

impl Machine {
    pub(super) fn now() -> Machine {
        let cmd = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_else(|| "?".into())
        };
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
            .unwrap_or_else(|| "?".into());
        let memory = meminfo_kb("MemTotal")
            .map(|kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0))
            .unwrap_or_else(|| "?".into());
        Machine {
            cpus: cmd("nproc", &[]),
            cpu_model,
            memory,
            kernel: cmd("uname", &["-srm"]),
            date: cmd("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            load: Machine::load(),
        }
    }

    /// The load averages (1, 5, 15 minutes).
    pub(super) fn load() -> String {
        fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "?".into())
    }
}

/// A field of `/proc/meminfo` in KiB.
fn meminfo_kb(field: &str) -> Option<u64> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Free space (GiB) on the file system of `path`, for unprivileged users.
fn disk_free_gb(path: &Path) -> Option<f64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs is plain data; all zeroes is a valid value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string and `st` a valid out pointer for the call.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as f64 * st.f_frsize as f64 / f64::from(1u32 << 30))
}

/// What is short before a build: `memory 5.1 of 9 GiB`, `disk 3.0 of 10 GiB`.
fn shortages(memory: Option<f64>, disk: Option<f64>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = memory.filter(|&m| m < BUILD_MEMORY_GB) {
        out.push(format!("memory {m:.1} of {BUILD_MEMORY_GB:.0} GiB"));
    }
    if let Some(d) = disk.filter(|&d| d < BUILD_DISK_GB) {
        out.push(format!("disk {d:.1} of {BUILD_DISK_GB:.0} GiB"));
    }
    out
}

/// Waits (up to 20 minutes) until [`BUILD_MEMORY_GB`] of memory and
/// [`BUILD_DISK_GB`] of disk (where `dir` is) are free, so that a big build
/// does not run alongside other big jobs. Returns a note when it had to wait
/// or gave up waiting.
pub(super) fn wait_for_room(dir: &Path) -> Option<String> {
    let start = std::time::Instant::now();
    let mut waited = false;
    loop {
        let memory = meminfo_kb("MemAvailable").map(|kb| kb as f64 / 1024.0 / 1024.0);
        let short = shortages(memory, disk_free_gb(dir));
        if short.is_empty() {
            return waited.then(|| {
                format!(
                    "waited {:.0} s for free memory and disk",
                    start.elapsed().as_secs_f64()
                )
            });
        }
        if start.elapsed() > Duration::from_secs(1200) {
            return Some(format!(
                "started short of room ({}; gave up waiting after 20 min)",
                short.join(", ")
            ));
        }
        if !waited {
            eprintln!("    waiting for room: {} free", short.join(", "));
        }
        waited = true;
        std::thread::sleep(Duration::from_secs(15));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_measured() {
        assert!(shortages(Some(BUILD_MEMORY_GB), Some(BUILD_DISK_GB)).is_empty());
        assert!(shortages(None, None).is_empty(), "unknown is not short");
        assert_eq!(
            shortages(Some(2.0), Some(1.5)),
            vec!["memory 2.0 of 9 GiB", "disk 1.5 of 10 GiB"]
        );
        assert!(disk_free_gb(Path::new("/")).is_some_and(|g| g > 0.0));
        assert_eq!(disk_free_gb(Path::new("/nonexistent/oagen")), None);
    }
}
