//! Runs a child process and measures it: wall time, CPU time (user + system)
//! and peak resident memory, all from `wait4`, with an optional time limit
//! (at which the child and every process below it are killed).
//!
//! `wait4`'s resource usage covers the child and the descendants it waited
//! for (rustc under cargo, java under a wrapper script): CPU times add up,
//! the peak is the largest single process's.

use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How a measured child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// Killed at the time limit.
    TimedOut,
}

/// What [`measure`] saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub exit: Exit,
    /// Seconds from just before the spawn to the child's exit.
    pub wall: f64,
    /// User plus system CPU seconds.
    pub cpu: f64,
    /// Peak resident memory in KiB (`ru_maxrss`).
    pub peak_kb: u64,
}

impl Measured {
    pub fn success(&self) -> bool {
        self.exit == Exit::Code(0)
    }

    pub fn peak_mb(&self) -> f64 {
        self.peak_kb as f64 / 1024.0
    }

    /// `exit code 1`, `killed by signal 9`, `no result after 60 s`.
    pub fn describe_exit(&self, limit: Option<Duration>) -> String {
        match self.exit {
            Exit::Code(n) => format!("exit code {n}"),
            Exit::Signal(s) => format!("killed by signal {s}"),
            Exit::TimedOut => format!(
                "no result after {} s (killed)",
                limit.map_or(0, |l| l.as_secs())
            ),
        }
    }
}

/// Spawns `cmd`, waits for it (killing it and its descendants after `limit`,
/// if given: a cargo killed alone would leave its rustc running) and measures
/// it. `cmd`'s stdin, stdout and stderr are the caller's to set (files, to
/// keep the output). Errors only when the child cannot be started or waited for.
pub fn measure(cmd: &mut Command, limit: Option<Duration>) -> Result<Measured, String> {
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
    // The child is reaped below with wait4, never through `child`.
    drop(child);

    // The watchdog kills the child at the limit unless it has exited. The child
    // stays a zombie (waitid with WNOWAIT) until `done` is set, so the pid
    // cannot be reused by another process while the watchdog may still use it.
    let done = Arc::new((Mutex::new(false), Condvar::new()));
    let watchdog = limit.map(|limit| {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let (lock, cvar) = &*done;
            let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, _) = cvar
                .wait_timeout_while(guard, limit, |finished| !*finished)
                .unwrap_or_else(|e| e.into_inner());
            if !*guard {
                kill_tree(pid);
                return true;
            }
            false
        })
    });

    loop {
        // SAFETY: siginfo_t is plain data; all zeroes is a valid value.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our own unreaped child; the pointer is valid for the call.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 {
            break;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break;
        }
    }
    let wall = start.elapsed().as_secs_f64();
    {
        let (lock, cvar) = &*done;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cvar.notify_all();
    }
    let timed_out = watchdog.is_some_and(|w| w.join().unwrap_or(false));

    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own child, exited but not reaped; the pointers are valid.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for {:?}: {e}", cmd.get_program()));
        }
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let exit = if timed_out {
        Exit::TimedOut
    } else if libc::WIFEXITED(status) {
        Exit::Code(libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Signal(0)
    };
    Ok(Measured {
        exit,
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        peak_kb: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    })
}

/// Kills `pid` (an unreaped child of ours) and every process below it: the
/// child and, round by round, the processes found below it are stopped first,
/// so that none starts another unseen, then all are killed.
fn kill_tree(pid: libc::pid_t) {
    // SAFETY: pid is our child, not reaped (see `measure`), so still its pid.
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    let mut tree: Vec<libc::pid_t> = Vec::new();
    loop {
        let found: Vec<libc::pid_t> = descendants(pid)
            .into_iter()
            .filter(|p| !tree.contains(p))
            .collect();
        if found.is_empty() {
            break;
        }
        for &p in &found {
            // SAFETY: sending a signal has no memory effects; p was just seen below our child.
            unsafe { libc::kill(p, libc::SIGSTOP) };
        }
        tree.extend(found);
    }
    for &p in tree.iter().chain([&pid]) {
        // SAFETY: as above.
        unsafe { libc::kill(p, libc::SIGKILL) };
    }
}

/// The processes below `pid` (its children, theirs, ...), from `/proc/*/stat`.
fn descendants(pid: libc::pid_t) -> Vec<libc::pid_t> {
    let mut parent_of: Vec<(libc::pid_t, libc::pid_t)> = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = e.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok());
        if let Some(ppid) = ppid {
            parent_of.push((p, ppid));
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for &(p, pp) in &parent_of {
            if pp == parent && !out.contains(&p) {
                out.push(p);
                frontier.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_child_is_measured_and_its_exit_code_kept() {
        let m = measure(Command::new("sh").args(["-c", "exit 3"]), None).unwrap();
        assert_eq!(m.exit, Exit::Code(3));
        assert!(m.wall < 5.0);
        assert!(m.peak_kb > 0);
    }

    #[test]
    fn cpu_time_and_memory_are_the_childs() {
        // A busy loop of about 0.3 s of CPU that holds a 64 MiB string.
        let m = measure(
            Command::new("python3").args([
                "-c",
                "import time\nx = 'a' * (64 << 20)\nt = time.process_time()\n\
                 while time.process_time() - t < 0.3: pass",
            ]),
            None,
        )
        .unwrap();
        assert!(m.success(), "{m:?}");
        assert!(m.cpu >= 0.25, "{m:?}");
        assert!(m.wall >= m.cpu * 0.5, "{m:?}");
        assert!(m.peak_kb >= 64 * 1024, "{m:?}");
    }

    #[test]
    fn a_child_past_its_limit_is_killed() {
        let m = measure(
            Command::new("sleep").arg("30"),
            Some(Duration::from_millis(200)),
        )
        .unwrap();
        assert_eq!(m.exit, Exit::TimedOut);
        assert!(m.wall < 10.0, "{m:?}");
        let m = measure(&mut Command::new("true"), Some(Duration::from_secs(30))).unwrap();
        assert!(m.success());
    }

    #[test]
    fn the_processes_below_a_child_past_its_limit_are_killed_too() {
        let file = std::env::temp_dir().join(format!("oagen-measure-{}", std::process::id()));
        let script = format!("sleep 30 & echo $! > {}; wait", file.display());
        let m = measure(
            Command::new("sh").args(["-c", &script]),
            Some(Duration::from_millis(300)),
        )
        .unwrap();
        assert_eq!(m.exit, Exit::TimedOut);
        let sleep: libc::pid_t = std::fs::read_to_string(&file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let _ = std::fs::remove_file(&file);
        // Gone, or a zombie waiting for whoever adopted it.
        std::thread::sleep(Duration::from_millis(100));
        let state = std::fs::read_to_string(format!("/proc/{sleep}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')')
                    .map(|(_, r)| r.trim_start().chars().next())
            })
            .flatten();
        assert!(matches!(state, None | Some('Z')), "sleep is {state:?}");
    }

    #[test]
    fn a_missing_program_is_an_error() {
        assert!(measure(&mut Command::new("/nonexistent/oagen-bench"), None).is_err());
    }
}
