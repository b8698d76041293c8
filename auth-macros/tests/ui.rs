//! Compile-time behaviour of `#[auth_config]`: code written against each example spec compiles
//! (under `#![deny(warnings)]`), and each kind of mistake fails with a checked message.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
