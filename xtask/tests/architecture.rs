//! The invariants of ARCHITECTURE.md that a dependency change could break, checked on the
//! resolved dependency graph (`cargo tree`, from the lock file).

use std::process::Command;

/// The packages `package` builds with (normal and build dependencies, not dev ones).
fn dependencies(package: &str) -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--locked",
            "--offline",
            "-p",
            package,
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree -p {package}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_spec_and_the_macro_do_not_depend_on_the_aws_sdk() {
    for package in ["auth-spec", "auth-macros", "auth-macros-core"] {
        let deps = dependencies(package);
        assert!(deps.iter().any(|d| d == "serde"), "{package}: the tree was read ({deps:?})");
        let aws: Vec<&String> = deps.iter().filter(|d| d.starts_with("aws-")).collect();
        assert!(aws.is_empty(), "{package} depends on {aws:?}");
    }
}

#[test]
fn no_product_crate_links_the_agpl_server() {
    for package in ["auth-spec", "auth-macros", "auth-deploy", "auth-client", "xtask", "cognito-local-harness"] {
        let deps = dependencies(package);
        let linked: Vec<&String> =
            deps.iter().filter(|d| d.starts_with("fakecloud") || d.as_str() == "cognito-local").collect();
        assert!(linked.is_empty(), "{package} links {linked:?}");
    }
}
