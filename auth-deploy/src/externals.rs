//! Values the spec references instead of containing: provider secrets (environment variables) and
//! SAML metadata documents (files next to the spec).
//!
//! They are read at the edges only. For a diff, each is reduced to a SHA-256 fingerprint, which
//! is what the live side holds too (see [`crate::normalize`]), so the plan can tell "changed"
//! without holding or printing a secret. For a deploy, [`Externals::value`] reads the value just
//! before the request that needs it.

use crate::error::{Error, Result};
use auth_spec::state::{AuthState, DetailValue};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// SHA-256 of a value, hex. Never shown to users (a fingerprint of a weak secret can be guessed).
pub fn fingerprint(value: &[u8]) -> String {
    hex::encode(Sha256::digest(value))
}

/// Where referenced values come from.
#[derive(Clone)]
pub struct Externals {
    base_dir: PathBuf,
    env: Option<BTreeMap<String, String>>,
}

impl fmt::Debug for Externals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let env = self.env.as_ref().map(|env| env.keys().cloned().collect::<Vec<_>>());
        f.debug_struct("Externals").field("base_dir", &self.base_dir).field("env_names", &env).finish()
    }
}

impl Default for Externals {
    fn default() -> Self {
        Externals::from_process(".")
    }
}

impl Externals {
    /// Secrets from the process environment; files relative to `base_dir` (the spec's folder).
    pub fn from_process(base_dir: impl Into<PathBuf>) -> Externals {
        Externals { base_dir: base_dir.into(), env: None }
    }

    /// Secrets from this map instead of the environment (tests, or a secret manager's output).
    pub fn from_map(base_dir: impl Into<PathBuf>, env: BTreeMap<String, String>) -> Externals {
        Externals { base_dir: base_dir.into(), env: Some(env) }
    }

    fn env(&self, name: &str) -> Option<String> {
        match &self.env {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
        .filter(|value| !value.is_empty())
    }

    fn path(&self, relative: &str) -> PathBuf {
        let path = Path::new(relative);
        if path.is_absolute() { path.to_path_buf() } else { self.base_dir.join(path) }
    }

    /// The value of a referenced detail, read now; `None` for a plain value or a fingerprint.
    pub fn value(&self, resource: &str, value: &DetailValue) -> Result<Option<String>> {
        match value {
            DetailValue::Plain(_) | DetailValue::SecretFingerprint(_) => Ok(None),
            DetailValue::Secret(secret) => self
                .env(&secret.env)
                .map(Some)
                .ok_or_else(|| Error::MissingSecret { resource: resource.to_string(), env: secret.env.clone() }),
            DetailValue::File(path) => {
                let full = self.path(path);
                std::fs::read_to_string(&full).map(Some).map_err(|error| Error::File {
                    resource: resource.to_string(),
                    path: full.display().to_string(),
                    message: error.to_string(),
                })
            }
        }
    }

    /// Fingerprints of every value the desired state references; `None` where the value is not
    /// available (unset variable, missing file): the plan then cannot tell whether it changed.
    pub fn fingerprints(&self, desired: &AuthState) -> Fingerprints {
        let mut known = BTreeMap::new();
        for provider in desired.identity_providers.values() {
            for value in provider.details.values() {
                let Some(key) = Fingerprints::key(value) else { continue };
                let fingerprint = match value {
                    DetailValue::Secret(secret) => self.env(&secret.env).map(|v| fingerprint(v.as_bytes())),
                    DetailValue::File(path) => std::fs::read(self.path(path)).ok().map(|bytes| fingerprint(&bytes)),
                    _ => None,
                };
                known.insert(key, fingerprint);
            }
        }
        Fingerprints { known }
    }
}

/// Fingerprints of referenced values, by reference (`env:NAME`, `file:path`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprints {
    known: BTreeMap<String, Option<String>>,
}

impl Fingerprints {
    /// No value known: every referenced value is reported as unverifiable, none as changed.
    pub fn none() -> Fingerprints {
        Fingerprints::default()
    }

    /// The key of a referenced value.
    fn key(value: &DetailValue) -> Option<String> {
        match value {
            DetailValue::Secret(secret) => Some(format!("env:{}", secret.env)),
            DetailValue::File(path) => Some(format!("file:{path}")),
            DetailValue::Plain(_) | DetailValue::SecretFingerprint(_) => None,
        }
    }

    /// The fingerprint of a referenced value, when known.
    pub fn get(&self, value: &DetailValue) -> Option<&str> {
        Self::key(value).and_then(|key| self.known.get(&key)).and_then(|fp| fp.as_deref())
    }

    /// Records a fingerprint (tests; callers with their own secret source).
    pub fn insert(&mut self, value: &DetailValue, fingerprint: String) {
        if let Some(key) = Self::key(value) {
            self.known.insert(key, Some(fingerprint));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use auth_spec::model::SecretRef;

    #[test]
    fn fingerprint_is_sha256_hex() {
        assert_eq!(fingerprint(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn secrets_come_from_the_environment_and_their_absence_is_an_error_naming_the_variable() {
        let externals = Externals::from_map(".", BTreeMap::from([("G".to_string(), "topsecret".to_string())]));
        let present = DetailValue::Secret(SecretRef::env("G"));
        assert_eq!(externals.value("provider Google", &present).unwrap().as_deref(), Some("topsecret"));
        let missing = DetailValue::Secret(SecretRef::env("NOPE"));
        let error = externals.value("provider Google", &missing).unwrap_err();
        assert_eq!(error, Error::MissingSecret { resource: "provider Google".into(), env: "NOPE".into() });
        assert!(!format!("{externals:?}").contains("topsecret"), "Debug must not show secret values");
    }
}
