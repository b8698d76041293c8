//! Where tokens and device secrets persist: an async key-value trait like Amplify's
//! `KeyValueStorage`, with an in-memory store and a file store (created 0600, atomic writes).

use crate::error::AuthError;
use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;

/// A boxed future, so the trait can be used as `Arc<dyn KeyValueStorage>`.
pub type StorageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AuthError>> + Send + 'a>>;

/// An async key-value store for the session. Values are JSON text holding tokens and device
/// secrets: implementations should keep them private to the user (keychain, 0600 file).
pub trait KeyValueStorage: Send + Sync {
    /// The value of `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<String>>;
    /// Stores `value` under `key`.
    fn set<'a>(&'a self, key: &'a str, value: String) -> StorageFuture<'a, ()>;
    /// Removes `key`; removing a missing key is not an error.
    fn remove<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()>;
}

/// A store that lives as long as the process.
#[derive(Default)]
pub struct MemoryStorage {
    values: Mutex<BTreeMap<String, String>>,
}

impl std::fmt::Debug for MemoryStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<String> = self.values.lock().map(|values| values.keys().cloned().collect()).unwrap_or_default();
        f.debug_struct("MemoryStorage").field("keys", &keys).finish()
    }
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut BTreeMap<String, String>) -> T) -> Result<T, AuthError> {
        let mut values = self.values.lock().map_err(|_| AuthError::Storage("memory store poisoned".into()))?;
        Ok(f(&mut values))
    }
}

impl KeyValueStorage for MemoryStorage {
    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<String>> {
        Box::pin(async move { self.with(|values| values.get(key).cloned()) })
    }

    fn set<'a>(&'a self, key: &'a str, value: String) -> StorageFuture<'a, ()> {
        Box::pin(async move { self.with(|values| drop(values.insert(key.to_string(), value))) })
    }

    fn remove<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move { self.with(|values| drop(values.remove(key))) })
    }
}

/// A JSON file holding every key. It is created with mode 0600 (on Unix) and replaced atomically
/// (write a temporary file beside it, sync, rename), so a crash leaves the old or the new content.
#[derive(Debug)]
pub struct FileStorage {
    path: PathBuf,
    lock: tokio::sync::Mutex<()>,
}

impl FileStorage {
    /// A store at `path`; the file is created on the first write, its directory must exist.
    pub fn new(path: impl Into<PathBuf>) -> FileStorage {
        FileStorage { path: path.into(), lock: tokio::sync::Mutex::new(()) }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn read(&self) -> Result<BTreeMap<String, String>, AuthError> {
        match tokio::fs::read(&self.path).await {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|error| AuthError::Storage(format!("{} is not a token store: {error}", self.path.display()))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(error) => Err(AuthError::Storage(format!("reading {}: {error}", self.path.display()))),
        }
    }

    async fn write(&self, values: &BTreeMap<String, String>) -> Result<(), AuthError> {
        let text = serde_json::to_vec_pretty(values).map_err(|error| AuthError::Storage(error.to_string()))?;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&path, &text))
            .await
            .map_err(|error| AuthError::Storage(error.to_string()))?
            .map_err(|error| AuthError::Storage(format!("writing {}: {error}", self.path.display())))
    }

    async fn update(&self, f: impl FnOnce(&mut BTreeMap<String, String>) -> bool) -> Result<(), AuthError> {
        let _guard = self.lock.lock().await;
        let mut values = self.read().await?;
        if f(&mut values) {
            self.write(&values).await?;
        }
        Ok(())
    }
}

fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let directory = path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().and_then(|name| name.to_str()).unwrap_or("tokens");
    let mut suffix = [0u8; 8];
    crate::srp::random_bytes(&mut suffix).map_err(std::io::Error::other)?;
    let temporary = directory.join(format!(".{file_name}.{:016x}.tmp", u64::from_le_bytes(suffix)));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

impl KeyValueStorage for FileStorage {
    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<String>> {
        Box::pin(async move {
            let _guard = self.lock.lock().await;
            Ok(self.read().await?.remove(key))
        })
    }

    fn set<'a>(&'a self, key: &'a str, value: String) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            self.update(|values| {
                values.insert(key.to_string(), value);
                true
            })
            .await
        })
    }

    fn remove<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move { self.update(|values| values.remove(key).is_some()).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn round_trip(store: &dyn KeyValueStorage) {
        assert_eq!(store.get("a").await.unwrap(), None);
        store.set("a", "1".into()).await.unwrap();
        store.set("b", "2".into()).await.unwrap();
        assert_eq!(store.get("a").await.unwrap().as_deref(), Some("1"));
        store.remove("a").await.unwrap();
        store.remove("missing").await.unwrap();
        assert_eq!(store.get("a").await.unwrap(), None);
        assert_eq!(store.get("b").await.unwrap().as_deref(), Some("2"));
    }

    #[tokio::test]
    async fn memory_store_round_trips() {
        round_trip(&MemoryStorage::new()).await;
    }

    #[tokio::test]
    async fn file_store_round_trips_and_survives_a_new_instance() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("tokens.json");
        round_trip(&FileStorage::new(&path)).await;
        let reopened = FileStorage::new(&path);
        assert_eq!(reopened.get("b").await.unwrap().as_deref(), Some("2"));
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(directory.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("tokens.json")]);
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn file_store_is_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("tokens.json");
        FileStorage::new(&path).set("k", "v".into()).await.unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[tokio::test]
    async fn file_store_reports_a_corrupt_file() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("tokens.json");
        std::fs::write(&path, b"not json").unwrap();
        assert!(matches!(FileStorage::new(&path).get("k").await, Err(AuthError::Storage(_))));
    }

    #[tokio::test]
    async fn concurrent_writes_keep_every_key() {
        let directory = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(FileStorage::new(directory.path().join("tokens.json")));
        let mut tasks = Vec::new();
        for index in 0..20 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move { store.set(&format!("k{index}"), index.to_string()).await }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        for index in 0..20 {
            assert_eq!(store.get(&format!("k{index}")).await.unwrap(), Some(index.to_string()));
        }
    }
}
