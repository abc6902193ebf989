//! The key set in a file: for a single instance, or instances that share a volume.

use std::path::Path;

use super::{KeyError, KeySet, SigningKeys};

/// Loads the keys file, creating it (with fresh keys) when it does not exist yet.
pub fn load_file(path: &Path) -> Result<SigningKeys, KeyError> {
    let mut set = read(path)?;
    if set.complete()? {
        write(path, &set)?;
        tracing::info!(path = %path.display(), "signing keys created");
    }
    SigningKeys::from_set(&path.display().to_string(), set)
}

/// Rotates the key set in the file (see `KeySet::rotate`).
pub fn rotate_file(path: &Path) -> Result<(), KeyError> {
    let mut set = read(path)?;
    set.complete()?;
    set.rotate()?;
    write(path, &set)?;
    load_file(path).map(|_| ())
}

fn read(path: &Path) -> Result<KeySet, KeyError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| KeyError::Invalid {
            origin: path.display().to_string(),
            why: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(KeySet::default()),
        Err(e) => Err(KeyError::Io {
            path: path.display().to_string(),
            why: e.to_string(),
        }),
    }
}

fn write(path: &Path, set: &KeySet) -> Result<(), KeyError> {
    let json = serde_json::to_vec_pretty(set).expect("a key set serializes");
    write_private(path, &json).map_err(|e| KeyError::Io {
        path: path.display().to_string(),
        why: e.to_string(),
    })
}

/// Writes a secret file readable by its owner only, replacing the old one atomically.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&tmp)?;
        out.write_all(bytes)?;
        out.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
