//! `cognito-local`: a local, Cognito-compatible server for offline development and tests.
//!
//! It wraps the published fakecloud service crates (cognito-idp, cognito-identity, IAM, STS)
//! behind fakecloud's own wire-protocol dispatcher, and adds what a test suite needs around
//! them: per-account isolation (see `tenants.rs`), the JWKS / OpenID discovery / hosted-UI
//! OAuth2 endpoints (`server.rs`), in-process Lambda triggers (`triggers.rs`), captured email and
//! SMS (`outbox.rs`), the `/_local/...` test endpoints (`test_api.rs`) and a few repairs where
//! fakecloud would break a standard client flow (`shims.rs`).
//!
//! The first line on stdout is a JSON object announcing the bound endpoint, so a harness that
//! started us with `--port 0` can find the port without racing for a free one.

mod outbox;
mod server;
mod shims;
mod tenants;
mod test_api;
mod triggers;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use clap::Parser;
use tokio::io::AsyncReadExt;

/// Command line of the server. Everything has a default so `cognito-local` alone works.
#[derive(Parser, Debug)]
#[command(
    name = "cognito-local",
    version,
    about = "Local Cognito-compatible server (AGPL-3.0-or-later, wraps fakecloud)"
)]
struct Args {
    /// TCP port on 127.0.0.1; 0 picks a free port (the bound one is printed on stdout).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Region used when a request does not name one (unsigned calls, test endpoints).
    #[arg(long, default_value = "us-east-1")]
    region: String,

    /// Account that credentials which are not a 12-digit account id (e.g. `test`) act in.
    #[arg(long, default_value = tenants::DEFAULT_ACCOUNT)]
    default_account: String,

    /// Exit when stdin reaches end of file. A harness keeps our stdin open and holds the write
    /// end: when the test process exits, for whatever reason, the pipe closes and we follow, so
    /// no orphan server outlives its test run.
    #[arg(long)]
    exit_on_stdin_eof: bool,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if !tenants::is_account_id(&args.default_account) {
        eprintln!("cognito-local: --default-account must be 12 digits, got {:?}", args.default_account);
        return std::process::ExitCode::from(2);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,cognito_local=info")),
        )
        .with_writer(std::io::stderr)
        .init();

    // Two worker threads: the machines this runs on have two cores, shared with cargo.
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cognito-local: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognito-local: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let bind = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| format!("cannot bind {bind}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| format!("cannot read the bound address: {e}"))?;
    let endpoint = format!("http://{bound}");

    let app = Arc::new(server::App::new(&endpoint, &args.region, &args.default_account));
    let router = server::router(app);

    // The machine-readable announcement: first line on stdout, one JSON object.
    let announcement = serde_json::json!({
        "cognito_local": "listening",
        "endpoint": endpoint,
        "port": bound.port(),
        "pid": std::process::id(),
        "region": args.region,
        "default_account": args.default_account,
    });
    println!("{announcement}");
    tracing::info!(%endpoint, "cognito-local is ready");

    let exit_on_eof = args.exit_on_stdin_eof;
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal(exit_on_eof))
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Resolves on Ctrl-C, SIGTERM, or (when asked) end of stdin.
async fn shutdown_signal(exit_on_stdin_eof: bool) {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    let stdin_eof = async {
        if !exit_on_stdin_eof {
            return std::future::pending::<()>().await;
        }
        let mut stdin = tokio::io::stdin();
        let mut buf = [0u8; 256];
        // Anything written to stdin is ignored; only EOF (or a broken pipe) ends the server.
        loop {
            match stdin.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
        _ = stdin_eof => {},
    }
    tracing::info!("cognito-local is shutting down");
    // Graceful shutdown waits for open connections; a client that keeps one open must not keep
    // the process alive after its owner is gone, so give in-flight requests a moment, then exit.
    std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_secs(3));
        std::process::exit(0);
    });
}
