//! cfn-lint for the test command: auth-deploy's `cfn_lint_passes_on_every_example` test lints
//! the CloudFormation template of every example with it, and CI must have it.
//!
//! Installed from PyPI into a virtualenv kept outside the clone (like the other build caches),
//! at the version pinned in `tools/requirements-cfn-lint.txt`; reinstalled only when that file
//! changes. The test finds it through `CFN_LINT`.

use std::path::PathBuf;
use std::process::Command;

/// The virtualenv: `$CFN_LINT_VENV`, else `~/.cache/cognito-auth/cfn-lint-venv`.
fn venv() -> PathBuf {
    if let Some(dir) = std::env::var_os("CFN_LINT_VENV") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("cognito-auth").join("cfn-lint-venv")
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command.output().map_err(|error| format!("cannot run {what}: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed: {}", String::from_utf8_lossy(&output.stderr).trim()))
    }
}

/// The cfn-lint to use: `$CFN_LINT` if set, else the pinned one, installed if needed.
pub fn ensure() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CFN_LINT") {
        return Ok(PathBuf::from(path));
    }
    let requirements_path = crate::workspace_root().join("tools").join("requirements-cfn-lint.txt");
    let requirements = std::fs::read_to_string(&requirements_path)
        .map_err(|error| format!("cannot read {}: {error}", requirements_path.display()))?;
    let venv = venv();
    let binary = venv.join("bin").join("cfn-lint");
    let stamp = venv.join("installed-requirements.txt");
    if binary.exists() && std::fs::read_to_string(&stamp).is_ok_and(|installed| installed == requirements) {
        return Ok(binary);
    }
    eprintln!("installing cfn-lint ({}) into {}", requirements_path.display(), venv.display());
    if !venv.join("bin").join("pip").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv), "python3 -m venv")?;
    }
    run(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements_path),
        "pip install cfn-lint",
    )?;
    std::fs::write(&stamp, requirements).map_err(|error| format!("cannot write {}: {error}", stamp.display()))?;
    Ok(binary)
}
