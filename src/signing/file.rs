//! The key set in a file: for a single instance, or instances that share a volume.

use std::path::Path;

use super::{KeyError, KeySet, SigningKeys};

/// Loads the keys file, creating it (with fresh keys) when it does not exist yet.
pub fn load_file(path: &Path) -> Result<SigningKeys, KeyError> {
    Ok(load_unless(path, None)?.expect("nothing is known yet").0)
}

/// The keys in the file with its bytes, unless the file still holds `known`.
pub(super) fn load_unless(
    path: &Path,
    known: Option<&[u8]>,
) -> Result<Option<(SigningKeys, Vec<u8>)>, KeyError> {
    let bytes = read_bytes(path)?;
    if bytes.is_some() && bytes.as_deref() == known {
        return Ok(None);
    }
    let mut set = parse(path, bytes.as_deref())?;
    let bytes = if set.complete()? {
        write(path, &set)?;
        tracing::info!(path = %path.display(), "signing keys created");
        read_bytes(path)?
    } else {
        bytes
    };
    let keys = SigningKeys::from_set(&path.display().to_string(), set)?;
    Ok(Some((keys, bytes.unwrap_or_default())))
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
    parse(path, read_bytes(path)?.as_deref())
}

/// The file's bytes; `None` when it does not exist yet.
fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, KeyError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(KeyError::Io {
            path: path.display().to_string(),
            why: e.to_string(),
        }),
    }
}

fn parse(path: &Path, bytes: Option<&[u8]>) -> Result<KeySet, KeyError> {
    let Some(bytes) = bytes else {
        return Ok(KeySet::default());
    };
    serde_json::from_slice(bytes).map_err(|e| KeyError::Invalid {
        origin: path.display().to_string(),
        why: e.to_string(),
    })
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
