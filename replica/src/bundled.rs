//! The catalog that ships inside the app (compiled by `build.rs` from `catalog/data`), loaded
//! into the store on first start and merged in again when a new release brings changes.

use std::sync::OnceLock;

use automerge::Automerge;
use chrono::{TimeZone, Utc};
use esv_catalog::{decode_bundle, CompiledDoc, SynonymGroup, CATALOG_TIME};

use crate::error::{ReplicaError, Result};
use crate::store::Store;

const BUNDLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.bin"));
const SYNONYMS: &str = include_str!(concat!(env!("OUT_DIR"), "/synonyms.json"));

/// The bundled documents.
pub fn documents() -> Result<Vec<CompiledDoc>> {
    decode_bundle(BUNDLE).map_err(|e| ReplicaError::Bundle(e.to_string()))
}

/// The synonym groups from `catalog/data/synonyms.toml`.
pub fn synonyms() -> &'static [SynonymGroup] {
    static PARSED: OnceLock<Vec<SynonymGroup>> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(SYNONYMS).unwrap_or_default())
}

/// Identifies this release's catalog: a hash of the bundle's bytes.
pub fn version() -> String {
    // FNV-1a, 64 bits: stable across builds and platforms.
    let hash = BUNDLE.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Puts the bundled documents into the store unless this release's catalog is already there.
/// Documents already present are merged, so nothing a device added since is lost.
pub fn load_if_new(store: &mut Store) -> Result<usize> {
    let version = version();
    if store.meta("catalog_version")?.as_deref() == Some(version.as_str()) {
        return Ok(0);
    }
    let docs = documents()?
        .into_iter()
        .map(|d| {
            Automerge::load(&d.bytes)
                .map(|doc| (d.doc_id.clone(), doc))
                .map_err(|e| ReplicaError::Bundle(format!("{}: {e}", d.doc_id)))
        })
        .collect::<Result<Vec<_>>>()?;
    let built = Utc
        .timestamp_opt(CATALOG_TIME, 0)
        .single()
        .unwrap_or_default();
    let written = store.put_documents(docs, built)?;
    store.set_meta("catalog_version", &version)?;
    Ok(written)
}
