//! `cargo xtask local [--port N]`: the local Cognito-compatible server in the foreground.
//!
//! Builds `tools/cognito-local` (release, into a cache outside the clone; cargo makes it a
//! no-op when nothing changed), starts it on 127.0.0.1 and prints how to point tools at it.
//! Ctrl-C stops it.

use cognito_local_harness::process::{self, SpawnOptions};

#[derive(clap::Args, Debug)]
pub struct LocalArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 9229)]
    pub port: u16,
}

pub fn run(args: LocalArgs) -> i32 {
    eprintln!("building cognito-local (release, cached in {})", process::target_dir().display());
    let binary = match process::build() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let options = SpawnOptions {
        port: args.port,
        // If this process dies (Ctrl-C reaches both of us anyway), the server follows.
        exit_with_parent: true,
        log_filter: std::env::var("RUST_LOG").ok().or_else(|| Some("warn,cognito_local=info".into())),
    };
    let mut server = match process::spawn(&binary, &options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            if args.port != 0 {
                eprintln!("(is port {} already in use? try --port 0)", args.port);
            }
            return 1;
        }
    };
    println!("{}", banner(server.endpoint()));
    match server.wait() {
        Ok(status) if status.success() => 0,
        Ok(status) => {
            eprintln!("cognito-local exited: {status}");
            status.code().unwrap_or(1)
        }
        Err(e) => {
            eprintln!("error: waiting for cognito-local: {e}");
            1
        }
    }
}

/// What a developer needs to use the server: env vars, client settings, test endpoints.
fn banner(endpoint: &str) -> String {
    format!(
        "\
cognito-local (AGPL-3.0-or-later; wraps fakecloud 0.51.0) is listening on {endpoint}

Point the AWS SDK / CLI at it:
  export AWS_ENDPOINT_URL={endpoint}
  export AWS_REGION=us-east-1
  export AWS_ACCESS_KEY_ID=000000000000      # a 12-digit key id is the account it acts in
  export AWS_SECRET_ACCESS_KEY=local          # any secret: signatures are not checked
Run the test suite against it instead of a private server:
  export COGNITO_LOCAL_ENDPOINT={endpoint}
Browser / JS clients:
  Amplify JS v6:              Auth.Cognito.userPoolEndpoint = \"{endpoint}\"
  amazon-cognito-identity-js: new CognitoUserPool({{ UserPoolId, ClientId, endpoint: \"{endpoint}\" }})

Codes and messages (JSON):
  codes of a user:  GET  {endpoint}/_local/codes?userPoolId=<pool-id>&username=<name>
  emails:           GET  {endpoint}/_local/outbox/email?to=<address>
  text messages:    GET  {endpoint}/_local/outbox/sms?to=<+number>
  trigger calls:    GET  {endpoint}/_local/triggers/invocations
  reset everything: POST {endpoint}/_local/reset
  health:           GET  {endpoint}/_local/health
Tokens: JWKS at {endpoint}/<pool-id>/.well-known/jwks.json (issuer stays https://cognito-idp.<region>.amazonaws.com/<pool-id>)
Known differences from real Cognito: tools/cognito-local/README.md

Press Ctrl-C to stop."
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn banner_names_the_endpoint_everywhere_it_is_needed() {
        let b = super::banner("http://127.0.0.1:4242");
        assert!(b.contains("export AWS_ENDPOINT_URL=http://127.0.0.1:4242"));
        assert!(b.contains("export COGNITO_LOCAL_ENDPOINT=http://127.0.0.1:4242"));
        assert!(b.contains("http://127.0.0.1:4242/_local/codes?userPoolId="));
        assert!(b.contains("endpoint: \"http://127.0.0.1:4242\""));
    }
}
