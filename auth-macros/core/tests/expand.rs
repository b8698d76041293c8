//! Snapshots of the code generated for each example spec, pretty-printed: a change to the
//! generator shows up as a reviewable diff of real output.

use std::path::Path;

fn expanded(example: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(format!("{example}.toml"));
    let spec = auth_spec::load_file(&path, None).unwrap().spec;
    let tokens = auth_macros_core::expand_spec_text(&format!("examples/{example}.toml"), &spec).unwrap();
    let file: syn::File = syn::parse2(tokens).expect("the generated code parses");
    prettyplease::unparse(&file)
}

#[test]
fn minimal() {
    insta::assert_snapshot!(expanded("minimal"));
}

#[test]
fn social() {
    insta::assert_snapshot!(expanded("social"));
}

#[test]
fn mfa_required() {
    insta::assert_snapshot!(expanded("mfa-required"));
}

#[test]
fn custom_auth() {
    insta::assert_snapshot!(expanded("custom-auth"));
}

#[test]
fn full() {
    insta::assert_snapshot!(expanded("full"));
}
