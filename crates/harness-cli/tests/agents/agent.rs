//! Running a real agent CLI: finding it, a clean environment, a timeout, and what it printed.

use std::ffi::OsString;
use std::fmt;
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one CLI run may take before it is killed and the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The directory of the `harness` binary under test, to put first on the agents' `PATH`.
pub fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_harness"))
        .parent()
        .expect("the harness binary's directory")
        .to_owned()
}

/// The CLI that `var` points at. When it is unset the test is skipped (`None`, with a note on
/// stderr) on a developer machine and fails in CI, which must run it.
#[allow(
    clippy::print_stderr,
    reason = "the note says why a test passed without running"
)]
pub fn find_cli(var: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(path.exists(), "{var}={} does not exist", path.display());
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{var} is not set, and CI must run the agent tests: scripts/test.sh installs the agent CLIs \
         into .tools/agents and sets it"
    );
    eprintln!("skipped: {var} is not set (scripts/test.sh installs the agent CLIs and sets it)");
    None
}

/// A command for an agent CLI with a clean environment: only `PATH` (with `path_prefix` first),
/// `HOME` and what the caller adds, so the developer's keys and settings cannot leak in.
pub fn command(bin: &Path, path_prefix: &Path, home: &Path) -> Command {
    let mut path = OsString::from(path_prefix);
    if let Some(rest) = std::env::var_os("PATH") {
        path.push(":");
        path.push(rest);
    }
    let mut command = Command::new(bin);
    command
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1");
    if let Some(tmp) = std::env::var_os("TMPDIR") {
        command.env("TMPDIR", tmp);
    }
    command
}

/// What one CLI run did.
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Panics with the whole output unless the CLI exited with 0.
    pub fn assert_success(&self) -> &Outcome {
        assert!(self.status.success(), "the agent failed\n{self}");
        self
    }

    /// Every line of stdout that is a JSON value (Codex `--json` events; Claude's one result), or
    /// the whole of stdout when it is one value over several lines (Gemini CLI's result).
    pub fn json_lines(&self) -> Vec<Value> {
        if let Ok(value) = serde_json::from_str(&self.stdout) {
            return vec![value];
        }
        self.stdout
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// The agent's last answer: Claude's `result`, the text of Codex's last `agent_message`, or
    /// Gemini CLI's `response`.
    pub fn final_text(&self) -> String {
        self.json_lines()
            .iter()
            .rev()
            .find_map(|v| match v["type"].as_str() {
                Some("result") => v["result"].as_str(),
                Some("item.completed") if v["item"]["type"] == "agent_message" => {
                    v["item"]["text"].as_str()
                }
                None => v["response"].as_str(),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no final answer in the output\n{self}"))
            .to_owned()
    }

    /// The `session_id` of Claude's or Gemini CLI's result, or Codex's `thread_id` from
    /// `thread.started`.
    pub fn session_id(&self) -> String {
        self.json_lines()
            .iter()
            .find_map(|v| {
                v["session_id"]
                    .as_str()
                    .or(v["thread_id"].as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| panic!("no session id in the output\n{self}"))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "status: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// Runs `command` with stdin closed and kills it (and everything it started) after [`TIMEOUT`].
pub fn run(command: Command) -> Outcome {
    run_for(command, TIMEOUT)
}

fn run_for(mut command: Command, timeout: Duration) -> Outcome {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A process group of its own, so hooks and tool commands can be killed with it.
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
    let stdout = Drain::start(child.stdout.take());
    let stderr = Drain::start(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the agent") {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        thread::sleep(Duration::from_millis(50));
    };
    // Leftovers (a background command) would keep the pipes open.
    kill_group(&child);
    let timed_out = status.is_none();
    let status = status.unwrap_or_else(|| child.wait().expect("wait for the killed agent"));
    let outcome = Outcome {
        status,
        stdout: stdout.take(),
        stderr: stderr.take(),
    };
    assert!(
        !timed_out,
        "the agent ran longer than {timeout:?} and was killed\n{outcome}"
    );
    outcome
}

/// A pipe read to its end on a thread of its own.
struct Drain {
    bytes: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl Drain {
    /// How long to wait for the end of the output once the agent has exited.
    const GRACE: Duration = Duration::from_secs(5);

    fn start(pipe: Option<impl Read + Send + 'static>) -> Drain {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let (send, done) = mpsc::channel();
        let sink = Arc::clone(&bytes);
        thread::spawn(move || {
            let mut buf = [0; 8192];
            if let Some(mut pipe) = pipe {
                loop {
                    match pipe.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => sink
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .extend_from_slice(&buf[..n]),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
            }
            let _ = send.send(());
        });
        Drain { bytes, done }
    }

    /// The output, or what there is of it when a process outside the agent's process group
    /// still holds the pipe after [`Drain::GRACE`].
    fn take(self) -> String {
        let _ = self.done.recv_timeout(Drain::GRACE);
        let bytes = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

fn kill_group(child: &Child) {
    // Fails harmlessly when the group is already gone.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn leftover_background_processes_do_not_hold_the_output() {
        let started = Instant::now();
        let outcome = run_for(sh("echo out; (sleep 30 &)"), TIMEOUT);
        assert_eq!(outcome.stdout, "out\n");
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    #[should_panic(expected = "ran longer than 1s and was killed")]
    fn a_run_past_its_timeout_is_killed_with_its_output() {
        run_for(sh("echo out; sleep 30 & sleep 30"), Duration::from_secs(1));
    }
}
