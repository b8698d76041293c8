//! Loading never panics, whatever it is given: random bytes, and example specs with random edits.

use proptest::prelude::*;
use std::path::Path;

fn example_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    texts.sort();
    texts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = auth_spec::load_str(Path::new("random.toml"), &text, None);
        let _ = auth_spec::load_str(Path::new("random.toml"), &text, Some("prod"));
    }

    #[test]
    fn edited_examples(example in 0usize..5, edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..8)) {
        let texts = example_texts();
        let mut text: Vec<char> = texts[example % texts.len()].chars().collect();
        for (index, kind, c) in edits {
            if text.is_empty() { break; }
            let at = index.index(text.len());
            match kind {
                0 => { text.remove(at); }
                1 => text.insert(at, c),
                2 => text[at] = c,
                _ => {
                    let tokens = ["=", "[", "]", "\"", "{", "}", ",", "\n", "0", "-1", "true", "99999999999999999999", "1e999", "nan"];
                    for t in tokens[at % tokens.len()].chars().rev() { text.insert(at, t); }
                }
            }
        }
        let text: String = text.into_iter().collect();
        for env in [None, Some("prod"), Some("staging")] {
            if let Err(error) = auth_spec::load_str(Path::new("edited.toml"), &text, env) {
                // Rendering every report must not panic either.
                let _ = error.to_string();
            }
        }
    }
}
