//! Where the store lives when nobody says: the same file the desktop app uses, so the CLI
//! inspects what the app shows. (On Android and iOS the app passes its own data directory.)

use std::path::PathBuf;

/// The app's identifier (tauri.conf.json), which names its data directory.
pub const APP_IDENTIFIER: &str = "org.escritoriosocial.virtual";
pub const STORE_FILE: &str = "store.db";

/// `$ESV_STORE`, else `$XDG_DATA_HOME/<identifier>/store.db`, else
/// `~/.local/share/<identifier>/store.db`, else `./store.db`.
pub fn default_store() -> PathBuf {
    if let Some(path) = std::env::var_os("ESV_STORE") {
        return PathBuf::from(path);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    match base {
        Some(base) => base.join(APP_IDENTIFIER).join(STORE_FILE),
        None => PathBuf::from(STORE_FILE),
    }
}
