//! Building and spawning the `cognito-local` binary (std only).
//!
//! Shared by the async test API and by `cargo xtask local` / `cargo xtask test`, so there is one
//! answer to "where is the binary, how is it built, how do I learn its port".
//!
//! The binary is its own Cargo project (AGPL-3.0, `tools/cognito-local`), built in release mode
//! into a target directory *outside* the clone so every clone and CI run on a machine shares the
//! one build: `$COGNITO_LOCAL_TARGET_DIR`, else `$HOME/.cache/cognito-auth/cognito-local-target`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a freshly spawned server may take to print its first line.
const ANNOUNCE_TIMEOUT: Duration = Duration::from_secs(30);

/// `tools/cognito-local` of this checkout (the harness lives next to it).
pub fn server_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("cognito-local")
}

/// Where the server is built: `$COGNITO_LOCAL_TARGET_DIR`, else
/// `$HOME/.cache/cognito-auth/cognito-local-target`, else `tools/cognito-local/target`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("COGNITO_LOCAL_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => PathBuf::from(home)
            .join(".cache")
            .join("cognito-auth")
            .join("cognito-local-target"),
        None => server_dir().join("target"),
    }
}

/// The server binary: `$COGNITO_LOCAL_BIN` if set, else `<target_dir>/release/cognito-local`.
pub fn binary_path() -> PathBuf {
    if let Some(bin) = std::env::var_os("COGNITO_LOCAL_BIN").filter(|b| !b.is_empty()) {
        return PathBuf::from(bin);
    }
    target_dir()
        .join("release")
        .join(format!("cognito-local{}", std::env::consts::EXE_SUFFIX))
}

/// Failure to build, start or talk to the server.
#[derive(Debug)]
pub struct ProcessError(pub String);

impl std::fmt::Display for ProcessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProcessError {}

/// `cargo build --release --locked` of the server into [`target_dir`]. Cargo's own freshness
/// check makes this a sub-second no-op when nothing changed, so callers that want "always
/// current" (xtask) just call it; the cold build takes a few minutes on two cores.
/// Cargo's progress goes to our stderr.
pub fn build() -> Result<PathBuf, ProcessError> {
    if std::env::var_os("COGNITO_LOCAL_BIN").is_some_and(|b| !b.is_empty()) {
        // An explicitly provided binary is used as is.
        return Ok(binary_path());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = server_dir().join("Cargo.toml");
    let mut cmd = Command::new(&cargo);
    cmd.args(["build", "--release", "--locked", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", target_dir());
    for name in inherited_build_env() {
        cmd.env_remove(name);
    }
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| ProcessError(format!("cannot run {}: {e}", PathBuf::from(&cargo).display())))?;
    if !status.success() {
        return Err(ProcessError(format!(
            "building {} failed ({status})",
            manifest.display()
        )));
    }
    let bin = binary_path();
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(ProcessError(format!(
            "the build succeeded but {} is missing",
            bin.display()
        )))
    }
}

/// Variables that `cargo run` / `cargo test` set for the program they start (and settings of
/// the outer build), present in our environment when xtask or a test builds the server.
/// They must not reach the inner `cargo build`: build scripts such as ring's declare
/// `rerun-if-env-changed` on `CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, ..., and cargo compares
/// those with *its own* environment, so values that differ between callers (xtask vs a test
/// binary, or a clone at another path) would rebuild ring, rcgen, fakecloud-cognito and the
/// server every time, defeating the shared cache.
fn inherited_build_env() -> Vec<std::ffi::OsString> {
    const EXACT: &[&str] = &[
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_MANIFEST_LINKS",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_RUSTC_CURRENT_DIR",
        "CARGO_TARGET_TMPDIR",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "OUT_DIR",
    ];
    const PREFIXES: &[&str] = &["CARGO_PKG_", "CARGO_BIN_EXE_", "CARGO_CFG_"];
    std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| {
            let name = k.to_string_lossy();
            EXACT.contains(&name.as_ref()) || PREFIXES.iter().any(|p| name.starts_with(p))
        })
        .collect()
}

/// [`binary_path`] if it exists, else [`build`] it: for callers that cannot run cargo and
/// accept a possibly stale binary. The harness and xtask call [`build`].
pub fn ensure_built() -> Result<PathBuf, ProcessError> {
    let bin = binary_path();
    if bin.is_file() { Ok(bin) } else { build() }
}

/// How to start the server.
#[derive(Debug, Clone)]
pub struct SpawnOptions {
    /// 0 = a free port chosen by the OS.
    pub port: u16,
    /// Tie the server's life to ours: it exits when our end of its stdin closes, which the OS
    /// does when this process ends in any way (including a panic or SIGKILL).
    pub exit_with_parent: bool,
    /// `RUST_LOG` for the server (its log goes to our stderr). `None` keeps the environment's.
    pub log_filter: Option<String>,
}

impl Default for SpawnOptions {
    fn default() -> Self {
        SpawnOptions {
            port: 0,
            exit_with_parent: true,
            log_filter: None,
        }
    }
}

/// The announcement the server prints as its first stdout line.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub endpoint: String,
    pub port: u16,
    pub pid: u32,
}

/// Parses the server's first stdout line (a JSON object with `endpoint` and `port`).
pub fn parse_announcement(line: &str) -> Result<Announcement, ProcessError> {
    let v: serde_json::Value = serde_json::from_str(line.trim())
        .map_err(|e| ProcessError(format!("unexpected first line from cognito-local ({e}): {line:?}")))?;
    let endpoint = v.get("endpoint").and_then(|e| e.as_str());
    let port = v
        .get("port")
        .and_then(|p| p.as_u64())
        .and_then(|p| u16::try_from(p).ok());
    let pid = v
        .get("pid")
        .and_then(|p| p.as_u64())
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(0);
    match (endpoint, port) {
        (Some(endpoint), Some(port)) => Ok(Announcement {
            endpoint: endpoint.to_string(),
            port,
            pid,
        }),
        _ => Err(ProcessError(format!(
            "cognito-local's first line lacks endpoint/port: {line:?}"
        ))),
    }
}

/// A running server started by us. Dropping it stops the server.
pub struct ServerProcess {
    child: Child,
    // Held only so the pipe stays open (see `SpawnOptions::exit_with_parent`).
    _stdin: Option<ChildStdin>,
    announcement: Announcement,
}

impl ServerProcess {
    /// `http://127.0.0.1:<port>`
    pub fn endpoint(&self) -> &str {
        &self.announcement.endpoint
    }

    pub fn port(&self) -> u16 {
        self.announcement.port
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the server to exit (e.g. on Ctrl-C in `cargo xtask local`).
    pub fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        self.child.wait()
    }

    /// Stops the server now and reaps it.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

/// Starts `binary` and waits (up to 30 s) for its announcement line.
pub fn spawn(binary: &std::path::Path, options: &SpawnOptions) -> Result<ServerProcess, ProcessError> {
    let mut cmd = Command::new(binary);
    cmd.arg("--port").arg(options.port.to_string());
    if options.exit_with_parent {
        cmd.arg("--exit-on-stdin-eof").stdin(Stdio::piped());
    } else {
        cmd.stdin(Stdio::null());
    }
    if let Some(filter) = &options.log_filter {
        cmd.env("RUST_LOG", filter);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let mut child = cmd
        .spawn()
        .map_err(|e| ProcessError(format!("cannot start {}: {e}", binary.display())))?;
    let stdin = child.stdin.take();
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        return Err(ProcessError("cognito-local started without a stdout pipe".into()));
    };
    // Read the first line on a thread so a server that never prints cannot hang us; the same
    // thread then drains stdout so the server never blocks on a full pipe.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut first = String::new();
        let read = reader.read_line(&mut first).map(|_| first);
        let _ = tx.send(read);
        let mut sink = String::new();
        while matches!(reader.read_line(&mut sink), Ok(n) if n > 0) {
            sink.clear();
        }
    });
    let line = match rx.recv_timeout(ANNOUNCE_TIMEOUT) {
        Ok(Ok(line)) if !line.is_empty() => line,
        Ok(Ok(_)) => {
            let status = child.wait().ok();
            return Err(ProcessError(format!(
                "cognito-local exited before announcing its port ({status:?})"
            )));
        }
        Ok(Err(e)) => {
            let _ = child.kill();
            return Err(ProcessError(format!("cannot read cognito-local's stdout: {e}")));
        }
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ProcessError(format!(
                "cognito-local did not announce its port within {ANNOUNCE_TIMEOUT:?}"
            )));
        }
    };
    match parse_announcement(&line) {
        Ok(announcement) => Ok(ServerProcess {
            child,
            _stdin: stdin,
            announcement,
        }),
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcement_parsing() {
        let a = parse_announcement(
            r#"{"cognito_local":"listening","endpoint":"http://127.0.0.1:4000","port":4000,"pid":7}"#,
        )
        .unwrap();
        assert_eq!((a.endpoint.as_str(), a.port, a.pid), ("http://127.0.0.1:4000", 4000, 7));
        assert!(parse_announcement("Compiling foo").is_err());
        assert!(parse_announcement(r#"{"endpoint":"x"}"#).is_err());
        assert!(parse_announcement(r#"{"endpoint":"x","port":70000}"#).is_err());
    }

    #[test]
    fn strips_what_cargo_sets_for_the_running_crate() {
        // cargo (and nextest) run tests with CARGO_MANIFEST_DIR and CARGO_PKG_* set.
        let stripped = inherited_build_env();
        assert!(stripped.iter().any(|k| k == "CARGO_MANIFEST_DIR"), "{stripped:?}");
        assert!(stripped.iter().any(|k| k == "CARGO_PKG_NAME"), "{stripped:?}");
        assert!(
            !stripped.iter().any(|k| k == "CARGO_HOME" || k == "PATH" || k == "HOME"),
            "{stripped:?}"
        );
    }

    #[test]
    fn paths_are_under_the_target_dir() {
        if std::env::var_os("COGNITO_LOCAL_BIN").is_none() {
            assert!(binary_path().starts_with(target_dir()));
        }
        assert!(
            server_dir().join("Cargo.toml").is_file(),
            "tools/cognito-local is next to the harness"
        );
    }
}
