//! `cargo xtask`: see the library half of this crate.

fn main() -> std::process::ExitCode {
    xtask::main()
}
