//! How long `#[auth_config]` takes to expand each example spec: reading, validating (schema and
//! rules) and generating, as the compiler pays for it on every build of the calling crate.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;

fn expand(c: &mut Criterion) {
    for example in ["minimal", "full"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(format!("{example}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        c.bench_function(&format!("expand {example}.toml"), |b| {
            b.iter(|| {
                let spec = auth_spec::load_str(&path, &text, None).unwrap().spec;
                auth_macros_core::expand_spec_text("auth.toml", &spec).unwrap()
            })
        });
    }
}

criterion_group!(benches, expand);
criterion_main!(benches);
