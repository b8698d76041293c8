//! Cross-checks the SRP client step against two other implementations run with the same inputs:
//! amazon-cognito-identity-js (npm) and pycognito (PyPI), installed from `tests/crosscheck/`'s
//! package.json and requirements.txt on first use. The fixed vector and a set of random inputs
//! must give byte-identical `A`, session key and signatures.

use auth_client::srp::{DeviceVerifier, SrpClient};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crosscheck")
}

fn run(program: &Path, args: &[&str]) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir())
        .output()
        .map_err(|error| format!("{} cannot run: {error}", program.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{} {args:?} failed: {}", program.display(), String::from_utf8_lossy(&output.stderr)))
    }
}

/// Installs amazon-cognito-identity-js once; `Err` only when npm itself is missing or fails.
fn node() -> Result<(), String> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            if dir().join("node_modules/amazon-cognito-identity-js/lib/AuthenticationHelper.js").exists() {
                return Ok(());
            }
            run(Path::new("npm"), &["ci", "--no-audit", "--no-fund"])
        })
        .clone()
}

/// Creates `.venv` with pycognito once; `Err` only when python3 or pip fails.
fn python() -> Result<PathBuf, String> {
    static READY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    READY
        .get_or_init(|| {
            let interpreter = dir().join(".venv/bin/python");
            let installed = Command::new(&interpreter)
                .args(["-c", "import pycognito"])
                .output()
                .is_ok_and(|output| output.status.success());
            if !installed {
                run(Path::new("python3"), &["-m", "venv", ".venv"])?;
                run(&interpreter, &["-m", "pip", "install", "-q", "-r", "requirements.txt"])?;
            }
            Ok(interpreter)
        })
        .clone()
}

fn script(program: &Path, script: &str, input: &serde_json::Value) -> serde_json::Value {
    let mut child = Command::new(program)
        .arg(script)
        .current_dir(dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{script}: {error}"));
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{script}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn random(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).unwrap();
    bytes
}

/// What this crate computes for the inputs.
fn ours(input: &serde_json::Value) -> serde_json::Value {
    let s = |name: &str| input[name].as_str().unwrap().to_string();
    let client = SrpClient::from_secret(&unhex(&s("a")));
    let key = client.password_key(&s("pool_name"), &s("user_id"), &s("password"), &s("srp_b"), &s("salt")).unwrap();
    let signature = key.sign(&s("pool_name"), &s("user_id"), &s("secret_block"), &s("timestamp")).unwrap();
    let device_key = client
        .password_key(&s("device_group_key"), &s("device_key"), &s("device_password"), &s("srp_b"), &s("salt"))
        .unwrap();
    let device_signature =
        device_key.sign(&s("device_group_key"), &s("device_key"), &s("secret_block"), &s("timestamp")).unwrap();
    let device = DeviceVerifier::from_parts(
        &s("device_group_key"),
        &s("device_key"),
        &s("device_password"),
        &unhex(&s("device_salt")),
    );
    serde_json::json!({
        "A": client.public_a_hex(),
        "key": hex(key.as_bytes()),
        "signature": signature,
        "device_signature": device_signature,
        "device_salt_b64": device.salt_b64,
        "device_verifier_b64": device.verifier_b64,
    })
}

fn inputs() -> Vec<serde_json::Value> {
    use base64::Engine as _;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let fixed: serde_json::Value = serde_json::from_str(include_str!("crosscheck/vectors.json")).unwrap();
    let mut all = vec![fixed.clone()];
    for round in 0..4 {
        let mut input = fixed.clone();
        input["a"] = hex(&random(128)).into();
        // A server's B = g^b mod N for a random b (any value in [1, N) exercises the maths).
        input["srp_b"] = SrpClient::from_secret(&random(32)).public_a_hex().into();
        input["salt"] = hex(&random(16)).into();
        input["secret_block"] = b64(&random(96)).into();
        input["password"] = format!("pässwörd-{round}-{}", hex(&random(4))).into();
        input["user_id"] = format!("user-{}", hex(&random(8))).into();
        input["device_password"] = b64(&random(40)).into();
        input["device_salt"] = hex(&random(16)).into();
        all.push(input);
    }
    all
}

fn compare(name: &str, theirs: &serde_json::Value, ours: &serde_json::Value) {
    let keys: Vec<&String> = theirs.as_object().unwrap().keys().collect();
    assert!(keys.len() >= 4, "{name} returned too little: {theirs}");
    for key in keys {
        assert_eq!(theirs[key], ours[key], "{name} disagrees on {key}");
    }
}

#[test]
fn matches_amazon_cognito_identity_js() {
    if let Err(why) = node() {
        eprintln!("\n!!!!!!!! SKIPPED: amazon-cognito-identity-js cannot be installed: {why} !!!!!!!!\n");
        return;
    }
    for input in inputs() {
        compare("amazon-cognito-identity-js", &script(Path::new("node"), "srp.js", &input), &ours(&input));
    }
}

#[test]
fn matches_pycognito() {
    let interpreter = match python() {
        Ok(interpreter) => interpreter,
        Err(why) => {
            eprintln!("\n!!!!!!!! SKIPPED: pycognito cannot be installed: {why} !!!!!!!!\n");
            return;
        }
    };
    for input in inputs() {
        compare("pycognito", &script(&interpreter, "srp.py", &input), &ours(&input));
    }
}
