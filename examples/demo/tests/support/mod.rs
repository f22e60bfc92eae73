//! What the tests that drive external processes share: the workspace root, its installed tools, a free local port, and a child process started on one, waited for until ready and killed when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// The workspace root (where `specs/` and `.tools/` are).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The installed tool at `path` under the workspace's `.tools/` (`name` says
/// which); a panic that says how to install it when it is missing.
pub fn tool(name: &str, path: &str) -> PathBuf {
    let bin = workspace().join(".tools").join(path);
    assert!(
        bin.is_file(),
        "{name} is not installed ({} is missing): run `cargo xtask tools` first",
        bin.display()
    );
    bin
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a free local port")
        .port()
}

/// What `start` starts on a free local port, trying up to three ports: a port
/// chosen free just before the process binds it can be taken in between, and then
/// the process exits (`start` says so with Err and what it printed). Panics with
/// the last such error.
pub fn on_free_port<T>(what: &str, mut start: impl FnMut(u16) -> Result<T, String>) -> T {
    let mut last_error = String::new();
    for _attempt in 0..3 {
        match start(free_port()) {
            Ok(started) => return started,
            Err(e) => last_error = e,
        }
    }
    panic!("{what} did not start: {last_error}");
}

/// A child process; killed (and waited for) when dropped, also when a test panics.
pub struct Process(pub Child);

impl Process {
    /// Polls every 50 ms until `ready` holds. Err(status) when the process exits
    /// first; a panic with `timed_out()` after `timeout`.
    pub fn wait_ready(
        &mut self,
        timeout: Duration,
        mut ready: impl FnMut() -> bool,
        timed_out: impl FnOnce() -> String,
    ) -> Result<(), ExitStatus> {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.0.try_wait() {
                return Err(status);
            }
            if ready() {
                return Ok(());
            }
            if start.elapsed() > timeout {
                panic!("{}", timed_out());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the process and waits for it (again: a no-op).
    pub fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}
