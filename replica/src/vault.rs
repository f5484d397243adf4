//! The PIN that unlocks an encrypted store: the `Pin` type, the key file beside the store
//! (salt, Argon2id parameters, failed attempts — never the key or the PIN), the key derivation
//! and the growing wait after wrong PINs, measured on two clocks: the wall clock and the time
//! since the machine booted, which a person cannot set, so moving the clock forward does not
//! end a wait (a reboot does not either: the wait then counts from the boot).
//!
//! Threat model, plainly: the key is Argon2id(PIN, salt), so someone holding a copy of the
//! store *and* its key file can still try every PIN offline; each try costs one derivation
//! (about 0.35 s and 64 MiB here), so all six-digit PINs take about four days of one core
//! (10⁶ × 0.35 s) and far less on many — a passphrase of a few words is what holds there. The
//! wait after wrong PINs only stops someone guessing on the device itself; a person who can
//! write the device's files can also rewrite the key file's count, which is why the cost of a
//! guess, not the wait, is the protection of a copied file. Deleting the key file (with its
//! salt) makes the store unreadable even with the PIN.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{ReplicaError, Result};

/// The key file's format version.
const FORMAT: u32 = 1;
/// Wrong PINs allowed before waits begin.
const FREE_ATTEMPTS: u32 = 3;
/// The wait after the 4th, 5th, … wrong PIN, in seconds; the last one repeats.
const WAITS: [i64; 6] = [30, 60, 120, 300, 600, 900];

/// Argon2id cost: 64 MiB, 4 passes, one lane. Measured here: about 0.35 s per derivation (see
/// `tests/vault.rs`, which prints it); a cheap phone takes longer, which is still fine once
/// per unlock. Kept in the key file, so a later version can raise it for new stores.
pub const DEFAULT_PARAMS: KdfParams = KdfParams {
    memory_kib: 64 * 1024,
    passes: 4,
    lanes: 1,
};

/// What unlocks an encrypted store: a PIN of 6 to 64 digits, or a passphrase ("frase
/// secreta") of 12 to 128 characters, which is far harder to guess from a copied file (see the
/// threat model above). Its text is wiped from memory when dropped and never printed.
#[derive(Clone)]
pub struct Pin(Zeroizing<String>);

/// Fewest digits of a PIN, and characters of a passphrase.
pub const MIN_PIN: usize = 6;
pub const MIN_PASSPHRASE: usize = 12;

impl Pin {
    pub fn new(text: &str) -> Result<Pin> {
        let text = text.trim();
        let chars = text.chars().count();
        if text.chars().all(|c| c.is_ascii_digit()) {
            if !(MIN_PIN..=64).contains(&chars) {
                return Err(ReplicaError::BadInput(format!(
                    "o PIN deve ter de {MIN_PIN} a 64 números (este tem {chars}); \
                     uma frase secreta de {MIN_PASSPHRASE} letras ou mais é ainda mais segura"
                )));
            }
        } else if !(MIN_PASSPHRASE..=128).contains(&chars) {
            return Err(ReplicaError::BadInput(format!(
                "a frase secreta deve ter de {MIN_PASSPHRASE} a 128 caracteres (esta tem \
                 {chars}); ou use um PIN só de números, com {MIN_PIN} ou mais"
            )));
        }
        Ok(Pin(Zeroizing::new(text.to_owned())))
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(••••••)")
    }
}

/// Argon2id parameters, as kept in the key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

/// The key file beside an encrypted store (`<store>.key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: u32,
    /// 16 random bytes, hex.
    pub salt: String,
    pub argon2id: KdfParams,
    pub failed_attempts: u32,
    pub last_failure: Option<DateTime<Utc>>,
    /// The boot clock at the last wrong PIN, where the platform has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_boot: Option<BootMark>,
}

/// Which boot of the machine, and how long since it, in seconds: a clock nobody sets
/// (Linux and Android: `/proc/sys/kernel/random/boot_id` and `/proc/uptime`, which counts
/// suspended time too). Platforms without it wait by the wall clock alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BootMark {
    pub boot: String,
    pub uptime_secs: u64,
}

impl BootMark {
    /// The machine's boot clock now, if it has one.
    pub fn read() -> Option<BootMark> {
        let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
        let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
        let secs: f64 = uptime.split_whitespace().next()?.parse().ok()?;
        Some(BootMark {
            boot: boot.trim().to_owned(),
            uptime_secs: secs as u64,
        })
    }
}

/// When an attempt happens, by both clocks: the wall clock (injected, as everywhere) and the
/// boot clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub wall: DateTime<Utc>,
    pub boot: Option<BootMark>,
}

impl From<DateTime<Utc>> for Moment {
    /// `wall`, with the machine's boot clock read now.
    fn from(wall: DateTime<Utc>) -> Moment {
        Moment {
            wall,
            boot: BootMark::read(),
        }
    }
}

/// A 32-byte SQLCipher key, wiped from memory when dropped.
#[derive(Clone)]
pub(crate) struct RawKey(Zeroizing<[u8; 32]>);

impl RawKey {
    /// The `x'…'` literal SQLCipher takes as a raw key (no PBKDF2 of its own).
    fn literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        s.push('\'');
        s
    }

    /// Keys a fresh connection, before anything reads the file.
    pub(crate) fn apply(&self, conn: &Connection) -> Result<()> {
        quiet(conn)?;
        conn.pragma_update(None, "key", &*self.literal())?;
        Ok(())
    }

    /// Changes a keyed connection's file to this key (SQLCipher's `rekey`).
    pub(crate) fn rekey(&self, conn: &Connection) -> Result<()> {
        conn.pragma_update(None, "rekey", &*self.literal())?;
        Ok(())
    }

    /// `ATTACH … KEY …` of a new encrypted file under `schema`.
    pub(crate) fn attach(&self, conn: &Connection, file: &Path, schema: &str) -> Result<()> {
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS {schema} KEY ?2"),
            rusqlite::params![file.to_string_lossy(), &*self.literal()],
        )?;
        Ok(())
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// SQLCipher logs to stderr by default; the shells print their own plain lines.
pub(crate) fn quiet(conn: &Connection) -> Result<()> {
    let _: Option<String> = conn
        .query_row("PRAGMA cipher_log_level = NONE", [], |r| r.get(0))
        .ok();
    Ok(())
}

/// Where the key file of the store at `store` lives.
pub fn key_path(store: &Path) -> PathBuf {
    side_path(store, ".key")
}

pub(crate) fn side_path(store: &Path, ext: &str) -> PathBuf {
    PathBuf::from(format!("{}{ext}", store.display()))
}

/// Whether the store at `path` is encrypted: its key file is there and the file is not a plain
/// SQLite database. (A key file beside a plain file is left from an encryption that stopped
/// before its last step; the plain file is still the store.)
pub fn is_encrypted(path: &Path) -> bool {
    key_path(path).exists() && !is_plain_sqlite(path)
}

/// A plain SQLite file starts with this header; an SQLCipher one starts with random salt.
fn is_plain_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    match std::fs::File::open(path) {
        Ok(mut f) => {
            std::io::Read::read_exact(&mut f, &mut head).is_ok() && &head == b"SQLite format 3\0"
        }
        Err(_) => false,
    }
}

impl KeyFile {
    /// A key file with a new random salt.
    pub fn new() -> Result<KeyFile> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| {
            ReplicaError::BadInput(format!("o aparelho não forneceu números aleatórios: {e}"))
        })?;
        Ok(KeyFile {
            format: FORMAT,
            salt: salt.iter().map(|b| format!("{b:02x}")).collect(),
            argon2id: DEFAULT_PARAMS,
            failed_attempts: 0,
            last_failure: None,
            failure_boot: None,
        })
    }

    pub fn read(store: &Path) -> Result<KeyFile> {
        let path = key_path(store);
        let bad = |why: String| ReplicaError::KeyFile {
            path: path.clone(),
            why,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if file.format != FORMAT {
            return Err(bad(format!("versão {} desconhecida", file.format)));
        }
        Ok(file)
    }

    /// Writes the key file whole or not at all: a temporary file, synced, renamed over.
    pub fn write(&self, store: &Path) -> Result<()> {
        let path = key_path(store);
        let tmp = side_path(store, ".key.tmp");
        let io = |e: std::io::Error| ReplicaError::KeyFile {
            path: path.clone(),
            why: e.to_string(),
        };
        let json = serde_json::to_string_pretty(self).map_err(|e| ReplicaError::KeyFile {
            path: path.clone(),
            why: e.to_string(),
        })?;
        let mut f = crate::files::create_private(&tmp).map_err(io)?;
        f.write_all(json.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(io)?;
        sync_dir(&path);
        Ok(())
    }

    /// Seconds to wait before the next attempt may even derive a key (0: try now). Time
    /// passed is the lesser of the two clocks' (see [`Moment`]): a wall clock moved forward
    /// shortens nothing while the boot clock says otherwise; after a reboot, the time since
    /// the boot is all that counts.
    pub fn wait_seconds(&self, now: &Moment) -> u64 {
        let Some(last) = self.last_failure else {
            return 0;
        };
        if self.failed_attempts < FREE_ATTEMPTS {
            return 0;
        }
        let step = (self.failed_attempts - FREE_ATTEMPTS) as usize;
        let delay = WAITS[step.min(WAITS.len() - 1)];
        // A clock set back never makes the wait longer than one delay.
        let by_wall = (now.wall - last).num_seconds().clamp(0, delay);
        let by_boot = match (&self.failure_boot, &now.boot) {
            (Some(then), Some(now)) if then.boot == now.boot => {
                i64::try_from(now.uptime_secs.saturating_sub(then.uptime_secs)).unwrap_or(delay)
            }
            (Some(_), Some(now)) => i64::try_from(now.uptime_secs).unwrap_or(delay),
            _ => by_wall,
        };
        let left = delay - by_wall.min(by_boot).clamp(0, delay);
        u64::try_from(left).unwrap_or(0)
    }

    /// Notes a wrong PIN at `now`.
    pub(crate) fn failed(&mut self, now: &Moment) {
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        self.last_failure = Some(now.wall);
        self.failure_boot = now.boot.clone();
    }

    pub(crate) fn derive(&self, pin: &Pin) -> Result<RawKey> {
        let salt = decode_hex(&self.salt).ok_or_else(|| ReplicaError::KeyFile {
            path: PathBuf::from("<store>.key"),
            why: "sal ilegível".to_owned(),
        })?;
        derive(pin, &salt, self.argon2id)
    }
}

/// Argon2id(PIN, salt) → 32 bytes.
pub(crate) fn derive(pin: &Pin, salt: &[u8], params: KdfParams) -> Result<RawKey> {
    let p = argon2::Params::new(params.memory_kib, params.passes, params.lanes, Some(32))
        .map_err(|e| ReplicaError::BadInput(format!("parâmetros do PIN inválidos: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(pin.as_bytes(), salt, &mut *key)
        .map_err(|e| ReplicaError::BadInput(format!("não foi possível derivar a chave: {e}")))?;
    Ok(RawKey(key))
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Makes a rename or removal in `path`'s folder durable (best effort: not every platform can
/// open a folder).
pub(crate) fn sync_dir(path: &Path) {
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(d) = std::fs::File::open(parent) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_six_digits_or_more_or_a_passphrase() {
        for (text, ok) in [
            ("123456", true),
            ("123456789012", true),
            ("1234567890123", true),
            (" 654321 ", true),
            ("uma frase boa", true),
            ("12345", false),
            ("12345a", false),
            ("", false),
            // Other scripts' digits are not a PIN; six characters are no passphrase either.
            ("١٢٣٤٥٦", false),
        ] {
            assert_eq!(Pin::new(text).is_ok(), ok, "{text:?}");
        }
        assert_eq!(
            format!("{:?}", Pin::new("123456").expect("pin")),
            "Pin(••••••)"
        );
    }

    #[test]
    fn waits_grow_after_three_wrong_pins_and_are_capped() {
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .expect("t")
            .with_timezone(&Utc);
        let mut k = KeyFile::new().expect("key file");
        // The wall clock only (a platform with no boot clock).
        let at = |wall| Moment { wall, boot: None };
        let check = |k: &KeyFile, failed: u32, wait: u64| {
            let mut k = k.clone();
            k.failed_attempts = failed;
            k.last_failure = Some(t0);
            assert_eq!(k.wait_seconds(&at(t0)), wait, "after {failed} wrong PINs");
        };
        for (failed, wait) in [
            (1, 0),
            (2, 0),
            (3, 30),
            (4, 60),
            (5, 120),
            (6, 300),
            (7, 600),
        ] {
            check(&k, failed, wait);
        }
        check(&k, 50, 900);
        k.failed_attempts = 3;
        k.last_failure = Some(t0);
        assert_eq!(k.wait_seconds(&at(t0 + chrono::Duration::seconds(10))), 20);
        assert_eq!(k.wait_seconds(&at(t0 + chrono::Duration::seconds(31))), 0);
        // The clock set back a year: still one delay at most.
        assert_eq!(k.wait_seconds(&at(t0 - chrono::Duration::days(365))), 30);
    }

    #[test]
    fn the_raw_key_literal_is_hex() {
        let key = RawKey(Zeroizing::new([0xab; 32]));
        let lit = key.literal();
        assert_eq!(lit.len(), 67);
        assert!(lit.starts_with("x'abab") && lit.ends_with("ab'"));
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0g"), None);
    }
}
