//! Running external commands visibly: every command is printed before it
//! runs, and a non-zero exit becomes an error that names the command.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The workspace root (the parent of this crate), so that every command works
/// from any current directory.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Prints a section header.
pub fn section(title: &str) {
    println!("\n==== {title} ====");
}

/// Renders a command the way one would type it.
pub fn display(cmd: &Command) -> String {
    let mut line = String::new();
    for (key, value) in cmd.get_envs() {
        if key == "PATH" {
            continue;
        }
        if let Some(value) = value {
            line.push_str(&format!("{}={} ", key.to_string_lossy(), quote(value)));
        }
    }
    line.push_str(&quote(cmd.get_program()));
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    if let Some(dir) = cmd.get_current_dir() {
        line.push_str(&format!("   (in {})", dir.display()));
    }
    line
}

fn quote(s: &OsStr) -> String {
    let s = s.to_string_lossy();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c))
    {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Prints and runs a command, failing if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Result<()> {
    println!("$ {}", display(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", cmd.get_program().to_string_lossy()))?;
    if !status.success() {
        // The full command line was printed just above.
        bail!("{} failed ({status})", cmd.get_program().to_string_lossy());
    }
    Ok(())
}

/// Runs a command quietly and returns its stdout, or `None` if it cannot run
/// or fails (used for version probes, which are expected to fail when a tool
/// is missing).
pub fn probe(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Cargo's target folder: `CARGO_TARGET_DIR` (relative to the root) or
/// `target/`.
pub fn cargo_target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        })
        .unwrap_or_else(|| root().join("target"))
}

/// Points this process's stdout (fd 1) at stderr until dropped, so that
/// everything but the final report goes to stderr, children included.
pub struct StdoutToStderr {
    saved: libc::c_int,
}

impl StdoutToStderr {
    pub fn new() -> Result<Self> {
        std::io::stdout().flush()?;
        // SAFETY: plain file-descriptor calls on the process's own fds.
        let saved = unsafe { libc::dup(1) };
        if saved < 0 {
            return Err(std::io::Error::last_os_error()).context("dup(1)");
        }
        // SAFETY: as above.
        if unsafe { libc::dup2(2, 1) } < 0 {
            let err = std::io::Error::last_os_error();
            // SAFETY: `saved` is our own descriptor.
            unsafe { libc::close(saved) };
            return Err(err).context("dup2(2, 1)");
        }
        Ok(Self { saved })
    }
}

impl Drop for StdoutToStderr {
    fn drop(&mut self) {
        let _ = std::io::stdout().flush();
        // SAFETY: restores the descriptor saved in `new` and closes the copy.
        unsafe {
            libc::dup2(self.saved, 1);
            libc::close(self.saved);
        }
    }
}
