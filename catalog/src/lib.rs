//! Turns the catalog's reviewable data files (`catalog/data`, format in `FORMAT.md`) into saved
//! automerge documents, reproducibly: a fixed actor and timestamp, so the same files give the
//! same bytes and every device starts from the same history.
//!
//! Used by the replica's build script (the bundled catalog) and by tests. Errors name the file
//! and line.

mod bundle;
mod raw;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use automerge::ActorId;
use esv_shared::document::{self, DocKind, Entity, Stamp};

pub use bundle::{decode_bundle, encode_bundle, BundleError, CompiledDoc};
pub use raw::SynonymGroup;

/// The actor id of every change in the bundled catalog.
pub const CATALOG_ACTOR: [u8; 16] = *b"esv-catalog-0001";
/// The timestamp of every change in the bundled catalog (2026-11-24T00:00:00Z).
pub const CATALOG_TIME: i64 = 1_795_478_400;

/// A data-file problem: which file, which line, what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct CatalogError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub message: String,
}

/// The catalog as read from its files.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Offices, organisations and rights articles, ordered by document id.
    pub entities: Vec<Entity>,
    pub synonyms: Vec<SynonymGroup>,
}

/// Reads and validates every data file under `dir`.
pub fn load_dir(dir: &Path) -> Result<Catalog, CatalogError> {
    let mut entities = Vec::new();
    let mut origins: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    let mut article_help: Vec<(PathBuf, usize, String)> = Vec::new();
    for (sub, kind) in [
        ("offices", DocKind::Office),
        ("organizations", DocKind::Organization),
        ("rights", DocKind::RightsArticle),
    ] {
        for path in toml_files(&dir.join(sub))? {
            let text = std::fs::read_to_string(&path).map_err(|e| CatalogError {
                file: path.clone(),
                line: 0,
                message: format!("cannot read: {e}"),
            })?;
            let parsed = validate::parse(kind, &path, &text)?;
            for (id, line) in parsed.ids {
                if let Some((first, first_line)) = origins.get(&id) {
                    return Err(CatalogError {
                        file: path.clone(),
                        line,
                        message: format!(
                            "id {id:?} is already used at {}:{first_line}",
                            first.display()
                        ),
                    });
                }
                origins.insert(id, (path.clone(), line));
            }
            article_help.extend(
                parsed
                    .help_services
                    .into_iter()
                    .map(|(id, line)| (path.clone(), line, id)),
            );
            entities.push(parsed.entity);
        }
    }
    let service_ids: BTreeSet<&str> = entities
        .iter()
        .flat_map(|e| match e {
            Entity::Office(o) => o.services.iter().map(|s| s.id.as_str()).collect(),
            Entity::Organization(o) => o.services.iter().map(|s| s.id.as_str()).collect(),
            _ => Vec::new(),
        })
        .collect();
    for (file, line, id) in article_help {
        if !service_ids.contains(id.as_str()) {
            return Err(CatalogError {
                file,
                line,
                message: format!(
                    "help_services names {id:?}, which is not a service of the catalog"
                ),
            });
        }
    }
    entities.sort_by_key(Entity::doc_id);
    let synonyms = validate::synonyms(&dir.join("synonyms.toml"))?;
    Ok(Catalog { entities, synonyms })
}

/// One saved automerge document per entity, made with the fixed actor and timestamp.
pub fn compile(catalog: &Catalog) -> Result<Vec<CompiledDoc>, document::DocumentError> {
    let stamp = Stamp {
        message: "Catálogo embutido".to_owned(),
        time: CATALOG_TIME,
    };
    catalog
        .entities
        .iter()
        .map(|entity| {
            let doc = document::create(entity, ActorId::from(CATALOG_ACTOR), &stamp)?;
            Ok(CompiledDoc {
                doc_id: entity.doc_id(),
                kind: entity.kind(),
                bytes: doc.save(),
            })
        })
        .collect()
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, CatalogError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(CatalogError {
                file: dir.to_owned(),
                line: 0,
                message: format!("cannot list: {e}"),
            })
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}
