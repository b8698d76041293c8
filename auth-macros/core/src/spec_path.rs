//! Where the spec file is: relative to the calling crate's manifest directory, as cargo builds
//! it. Under trybuild, `CARGO_MANIFEST_DIR` is trybuild's generated project, so the directories
//! above the calling source file are tried too (BUILD-NOTES: `Span::local_file`).

extern crate proc_macro;

use std::path::{Path, PathBuf};
use syn::LitStr;

/// The spec's absolute path, or an error naming every place that was tried.
pub fn resolve(literal: &LitStr) -> syn::Result<PathBuf> {
    let relative = PathBuf::from(literal.value());
    if relative.is_absolute() {
        return if relative.is_file() { Ok(relative) } else { Err(not_found(literal, &[relative])) };
    }
    let mut tried = Vec::new();
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let candidate = Path::new(&dir).join(&relative);
        if candidate.is_file() {
            return Ok(candidate);
        }
        tried.push(candidate);
    }
    if let Some(file) = calling_file() {
        for dir in file.ancestors().skip(1) {
            let candidate = dir.join(&relative);
            if candidate.is_file() {
                return Ok(candidate);
            }
            if dir.join("Cargo.toml").is_file() {
                tried.push(candidate);
                break;
            }
        }
    }
    Err(not_found(literal, &tried))
}

/// Names the path that was tried next to the calling crate's `Cargo.toml` (the last candidate:
/// the one found from the calling file, which is the crate's own directory even when a test
/// harness builds the crate elsewhere).
fn not_found(literal: &LitStr, tried: &[PathBuf]) -> syn::Error {
    let tried = tried.last().map(|path| format!(" at {}", path.display())).unwrap_or_default();
    syn::Error::new(
        literal.span(),
        format!("auth spec `{}` not found{tried}: the path is relative to the crate's Cargo.toml", literal.value()),
    )
}

/// The absolute path of the source file the macro is called from, when the compiler knows it.
fn calling_file() -> Option<PathBuf> {
    if !proc_macro::is_available() {
        return None;
    }
    let file = proc_macro::Span::call_site().local_file()?;
    if file.is_absolute() { Some(file) } else { std::env::current_dir().ok().map(|dir| dir.join(file)) }
}
