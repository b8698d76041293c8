//! Building and spawning the `cognito-local` binary (std only).
//!
//! Shared by the async test API and by `cargo xtask local` / `cargo xtask test`, so there is one
//! answer to "where is the binary, how is it built, how do I learn its port".
//!
//! The binary is its own Cargo project (AGPL-3.0, `tools/cognito-local`), built in release mode
//! into a target directory *outside* the clone so every clone and CI run on a machine shares the
//! one build: `$COGNITO_LOCAL_TARGET_DIR`, else `$HOME/.cache/cognito-auth/cognito-local-target`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a freshly spawned server may take to print its first line.
const ANNOUNCE_TIMEOUT: Duration = Duration::from_secs(30);

/// `tools/cognito-local` of this checkout (the harness lives next to it).
///
/// Found from the running package's directory first (`cargo run` / `cargo test` set
/// `CARGO_MANIFEST_DIR` for the process), then from where the harness was compiled: a target dir
/// shared between checkouts may hold a binary built in another checkout with the same sources,
/// whose compile-time path points there.
pub fn server_dir() -> PathBuf {
    let running = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    running
        .iter()
        .flat_map(|dir| dir.ancestors().map(|ancestor| ancestor.join("tools").join("cognito-local")))
        .find(|candidate| candidate.join("Cargo.toml").is_file())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("cognito-local"))
}

/// Where the server is built: `$COGNITO_LOCAL_TARGET_DIR`, else
/// `$HOME/.cache/cognito-auth/cognito-local-target`, else `tools/cognito-local/target`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("COGNITO_LOCAL_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => PathBuf::from(home).join(".cache").join("cognito-auth").join("cognito-local-target"),
        None => server_dir().join("target"),
    }
}

/// The server binary: `$COGNITO_LOCAL_BIN` if set, else `<target_dir>/release/cognito-local`.
pub fn binary_path() -> PathBuf {
    if let Some(bin) = std::env::var_os("COGNITO_LOCAL_BIN").filter(|b| !b.is_empty()) {
        return PathBuf::from(bin);
    }
    target_dir().join("release").join(format!("cognito-local{}", std::env::consts::EXE_SUFFIX))
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

/// The server binary for the current sources, built if needed, and its path.
///
/// Binaries are kept by source content in `<target_dir>/by-source/<hash>/`: a fresh clone has
/// new file times, which cargo would take for changes and recompile the server crate (about a
/// minute on two cores), but the same sources at another path or time reuse the binary
/// without running cargo at all. Otherwise `cargo build --release --locked` runs into
/// [`target_dir`] (dependencies stay cached there; the first build on a machine takes a few
/// minutes) and the result is stored under its hash. Cargo's progress goes to our stderr.
pub fn build() -> Result<PathBuf, ProcessError> {
    if std::env::var_os("COGNITO_LOCAL_BIN").is_some_and(|b| !b.is_empty()) {
        // An explicitly provided binary is used as is.
        return Ok(binary_path());
    }
    let key = source_key(&server_dir())?;
    let cached =
        target_dir().join("by-source").join(format!("{key:016x}")).join(binary_path().file_name().unwrap_or_default());
    if cached.is_file() {
        return Ok(cached);
    }
    let built = cargo_build()?;
    store(&built, &cached)?;
    prune_by_source(&target_dir().join("by-source"), KEEP_BUILDS);
    Ok(cached)
}

/// How many source versions keep a cached binary (12 MB each).
const KEEP_BUILDS: usize = 5;

/// FNV-1a over the relative path and bytes of every file that goes into the binary:
/// `Cargo.toml`, `Cargo.lock` and everything under `src/`, in path order.
fn source_key(dir: &Path) -> Result<u64, ProcessError> {
    let mut files = vec![dir.join("Cargo.toml"), dir.join("Cargo.lock")];
    collect_files(&dir.join("src"), &mut files)?;
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        let rel = file.strip_prefix(dir).unwrap_or(file);
        let content = std::fs::read(file).map_err(|e| ProcessError(format!("cannot read {}: {e}", file.display())))?;
        feed(rel.to_string_lossy().replace('\\', "/").as_bytes());
        feed(&[0]);
        feed(&(content.len() as u64).to_le_bytes());
        feed(&content);
    }
    Ok(hash)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ProcessError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ProcessError(format!("cannot list {}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry.map_err(|e| ProcessError(format!("cannot list {}: {e}", dir.display())))?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Copies `built` to `cached` through a temporary file and a rename, so a concurrent reader
/// never sees half a binary and concurrent writers do not collide.
fn store(built: &Path, cached: &Path) -> Result<(), ProcessError> {
    let dir = cached.parent().ok_or_else(|| ProcessError(format!("{} has no parent", cached.display())))?;
    std::fs::create_dir_all(dir).map_err(|e| ProcessError(format!("cannot create {}: {e}", dir.display())))?;
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    std::fs::copy(built, &tmp).map_err(|e| ProcessError(format!("cannot copy {}: {e}", built.display())))?;
    std::fs::rename(&tmp, cached).map_err(|e| ProcessError(format!("cannot store {}: {e}", cached.display())))
}

/// Keeps the `keep` most recently written entries of `by_source` (best effort).
fn prune_by_source(by_source: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(by_source) else {
        return;
    };
    let mut dirs: Vec<(std::time::SystemTime, PathBuf)> =
        entries.filter_map(Result::ok).filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path()))).collect();
    dirs.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    for (_, dir) in dirs.into_iter().skip(keep) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Runs the server's own unit tests (`cargo test --release`, sharing [`target_dir`] with the
/// release build, so only the server crate is compiled again), once per source version: a
/// marker beside the cached binary records that they passed. Returns whether they ran.
pub fn test_server() -> Result<bool, ProcessError> {
    let key = source_key(&server_dir())?;
    let marker = target_dir().join("by-source").join(format!("{key:016x}")).join("unit-tests-passed");
    if marker.is_file() {
        return Ok(false);
    }
    server_cargo("test")?;
    if let Some(dir) = marker.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ProcessError(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&marker, b"").map_err(|e| ProcessError(format!("cannot write {}: {e}", marker.display())))?;
    Ok(true)
}

/// `cargo <subcommand> --release --locked` on the server's manifest, into [`target_dir`].
fn server_cargo(subcommand: &str) -> Result<(), ProcessError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = server_dir().join("Cargo.toml");
    let mut cmd = Command::new(&cargo);
    cmd.args([subcommand, "--release", "--locked", "--manifest-path"])
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
        return Err(ProcessError(format!("cargo {subcommand} of {} failed ({status})", manifest.display())));
    }
    Ok(())
}

/// `cargo build --release --locked` of the server into [`target_dir`]; the built binary's path.
fn cargo_build() -> Result<PathBuf, ProcessError> {
    server_cargo("build")?;
    let bin = binary_path();
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(ProcessError(format!("the build succeeded but {} is missing", bin.display())))
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

/// [`binary_path`] (the last cargo build) if it exists, else [`build`]: for callers that
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
        SpawnOptions { port: 0, exit_with_parent: true, log_filter: None }
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
    let port = v.get("port").and_then(|p| p.as_u64()).and_then(|p| u16::try_from(p).ok());
    let pid = v.get("pid").and_then(|p| p.as_u64()).and_then(|p| u32::try_from(p).ok()).unwrap_or(0);
    match (endpoint, port) {
        (Some(endpoint), Some(port)) => Ok(Announcement { endpoint: endpoint.to_string(), port, pid }),
        _ => Err(ProcessError(format!("cognito-local's first line lacks endpoint/port: {line:?}"))),
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
    let mut child = cmd.spawn().map_err(|e| ProcessError(format!("cannot start {}: {e}", binary.display())))?;
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
            return Err(ProcessError(format!("cognito-local exited before announcing its port ({status:?})")));
        }
        Ok(Err(e)) => {
            let _ = child.kill();
            return Err(ProcessError(format!("cannot read cognito-local's stdout: {e}")));
        }
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ProcessError(format!("cognito-local did not announce its port within {ANNOUNCE_TIMEOUT:?}")));
        }
    };
    match parse_announcement(&line) {
        Ok(announcement) => Ok(ServerProcess { child, _stdin: stdin, announcement }),
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
        assert!(!stripped.iter().any(|k| k == "CARGO_HOME" || k == "PATH" || k == "HOME"), "{stripped:?}");
    }

    #[test]
    fn source_key_follows_content_not_location() {
        let tmp = std::env::temp_dir().join(format!("cl-key-{}", std::process::id()));
        let (a, b) = (tmp.join("a"), tmp.join("b"));
        for d in [&a, &b] {
            std::fs::create_dir_all(d.join("src/sub")).unwrap();
            std::fs::write(d.join("Cargo.toml"), "[package]").unwrap();
            std::fs::write(d.join("Cargo.lock"), "# lock").unwrap();
            std::fs::write(d.join("src/main.rs"), "fn main() {}").unwrap();
            std::fs::write(d.join("src/sub/x.rs"), "// x").unwrap();
        }
        assert_eq!(source_key(&a).unwrap(), source_key(&b).unwrap(), "same content, other place");
        std::fs::write(b.join("src/sub/x.rs"), "// y").unwrap();
        assert_ne!(source_key(&a).unwrap(), source_key(&b).unwrap(), "a changed file changes the key");
        std::fs::remove_file(b.join("src/sub/x.rs")).unwrap();
        std::fs::write(b.join("src/x.rs"), "// x").unwrap();
        assert_ne!(source_key(&a).unwrap(), source_key(&b).unwrap(), "a moved file changes the key");
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn pruning_keeps_the_newest() {
        let tmp = std::env::temp_dir().join(format!("cl-prune-{}", std::process::id()));
        let base = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        for i in 0..4u64 {
            let dir = tmp.join(format!("{i}"));
            std::fs::create_dir_all(&dir).unwrap();
            let when = base + std::time::Duration::from_secs(i * 60);
            std::fs::File::open(&dir).unwrap().set_modified(when).unwrap();
        }
        prune_by_source(&tmp, 2);
        let mut left: Vec<String> =
            std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, vec!["2", "3"]);
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn paths_are_under_the_target_dir() {
        if std::env::var_os("COGNITO_LOCAL_BIN").is_none() {
            assert!(binary_path().starts_with(target_dir()));
        }
        assert!(server_dir().join("Cargo.toml").is_file(), "tools/cognito-local is next to the harness");
    }
}
