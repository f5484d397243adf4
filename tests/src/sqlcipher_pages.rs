//! The decrypted pages of a team device's store, for tests that look for what an erasure must
//! leave nowhere — free pages and the WAL included, which no query reads. SQLCipher 4's page
//! format with a raw key (what `esv_replica::vault` hands it): the key is Argon2id(PIN, the
//! key file's salt) used as is; every page is AES-256-CBC over all but its last 80 bytes (page
//! 1 after its 16-byte salt), with the page's IV in the first 16 of those 80.

use std::path::Path;

use aes::cipher::{BlockDecryptMut, KeyIvInit};

/// SQLCipher's default page size and reserved bytes per page (IV 16 + HMAC-SHA512 64).
const PAGE: usize = 4096;
const RESERVE: usize = 80;
/// A WAL file's header and each frame's header.
const WAL_HEADER: usize = 32;
const FRAME_HEADER: usize = 24;

type Decryptor = cbc::Decryptor<aes::Aes256>;

/// Every page of the store at `path` and of its WAL, decrypted with `pin`, one after another.
/// A file that is not there adds nothing.
pub fn plaintext(path: &Path, pin: &str) -> Vec<u8> {
    let keys = esv_replica::vault::KeyFile::read(path).expect("key file");
    let salt: Vec<u8> = (0..keys.salt.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&keys.salt[i..i + 2], 16).expect("salt"))
        .collect();
    let params = argon2::Params::new(
        keys.argon2id.memory_kib,
        keys.argon2id.passes,
        keys.argon2id.lanes,
        Some(32),
    )
    .expect("params");
    let mut key = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), &salt, &mut key)
        .expect("derive");

    let mut out = Vec::new();
    if let Ok(db) = std::fs::read(path) {
        for page in db.chunks(PAGE) {
            out.extend(decrypt(&key, page));
        }
    }
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    if let Ok(wal) = std::fs::read(wal) {
        if wal.len() > WAL_HEADER {
            for frame in wal[WAL_HEADER..].chunks(FRAME_HEADER + PAGE) {
                if frame.len() == FRAME_HEADER + PAGE {
                    out.extend(decrypt(&key, &frame[FRAME_HEADER..]));
                }
            }
        }
    }
    out
}

/// One page's plaintext; a page of page 1's shape (it starts with the database's salt, not
/// encrypted) is tried both ways, since a WAL frame does not say which page it holds.
fn decrypt(key: &[u8; 32], page: &[u8]) -> Vec<u8> {
    if page.len() != PAGE {
        return Vec::new();
    }
    let iv = &page[PAGE - RESERVE..PAGE - RESERVE + 16];
    let mut out = Vec::new();
    for start in [0, 16] {
        let mut body = page[start..PAGE - RESERVE].to_vec();
        if let Ok(plain) = Decryptor::new(key.into(), iv.into())
            .decrypt_padded_mut::<aes::cipher::block_padding::NoPadding>(&mut body)
        {
            out.extend_from_slice(plain);
        }
    }
    out
}
