//! A store's files readable by their owner only: the store, its WAL and shared-memory files,
//! its key file and any copy kept aside are 0600, in a folder that is 0700 when the app made
//! it or owns it. (Unix only: Linux, Android and iOS; elsewhere the platform's defaults.)

use std::path::Path;

use crate::error::{ReplicaError, Result};
use crate::vault::side_path;

/// The files SQLite keeps beside a store, and the key file.
const SIDES: [&str; 3] = ["-wal", "-shm", ".key"];

/// Makes the store at `path`, its side files that exist and its own folder private. A folder
/// is only tightened when it is the app's own (named after [`crate::paths::APP_IDENTIFIER`]):
/// a folder a person chose for `esv --store` is theirs.
pub fn keep_private(path: &Path) -> Result<()> {
    private_file(path)?;
    for side in SIDES {
        private_file(&side_path(path, side))?;
    }
    if let Some(dir) = path.parent() {
        if dir.file_name().and_then(|n| n.to_str()) == Some(crate::paths::APP_IDENTIFIER) {
            set_mode(dir, 0o700)?;
        }
    }
    Ok(())
}

/// Makes one file readable and writable by its owner only, if it exists.
pub fn private_file(path: &Path) -> Result<()> {
    if path.exists() {
        set_mode(path, 0o600)?;
    }
    Ok(())
}

/// Creates `dir` and its missing parents, each new one 0700.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|source| ReplicaError::CreateDir {
            path: dir.to_owned(),
            source,
        })
}

/// Opens a new file for writing, created 0600 from the start (never readable by others, not
/// even for a moment), replacing one that was there.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // A file that already existed keeps its old mode through `open`: set it.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(file)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .map_err(|source| file_error(path, source))?;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|source| file_error(path, source))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

fn file_error(path: &Path, source: std::io::Error) -> ReplicaError {
    ReplicaError::File {
        path: path.to_owned(),
        source,
    }
}
