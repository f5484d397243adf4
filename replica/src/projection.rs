//! Projections: the SQLite rows made from each document, for listing and full-text search.
//! Always written in the same transaction as the document, and always rebuildable from it.

use esv_shared::document::{DocKind, Entity};
use esv_shared::domain::{Category, Service};
use rusqlite::{params, Transaction};

use crate::error::Result;

mod people;

/// Removes what a document projected before and writes what it projects now.
pub fn project(tx: &Transaction<'_>, doc_id: &str, entity: &Entity) -> Result<()> {
    forget(tx, doc_id)?;
    match entity {
        Entity::Office(office) => {
            let data = serde_json::to_string(office).unwrap_or_default();
            provider(tx, doc_id, "office", &office.id, &office.name, &data)?;
            for service in &office.services {
                self::service(tx, doc_id, &office.id, &office.name, service)?;
            }
        }
        Entity::Organization(org) => {
            let data = serde_json::to_string(org).unwrap_or_default();
            provider(tx, doc_id, "organization", &org.id, &org.name, &data)?;
            for service in &org.services {
                self::service(tx, doc_id, &org.id, &org.name, service)?;
            }
        }
        Entity::RightsArticle(article) => {
            let data = serde_json::to_string(article).unwrap_or_default();
            tx.execute(
                "INSERT INTO articles (id, doc_id, title, grp, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    article.id,
                    doc_id,
                    article.title,
                    article.group.label(),
                    data
                ],
            )?;
            search_row(
                tx,
                doc_id,
                "article",
                &article.id,
                [
                    article.title.clone(),
                    keywords(
                        &article.keywords,
                        article
                            .es
                            .as_ref()
                            .map(|es| (es.title.as_str(), es.keywords.as_slice())),
                    ),
                    article.group.label().to_owned(),
                    format!("{} {}", article.summary, article.body.join(" ")),
                ],
            )?;
        }
        Entity::Opportunity(o) => {
            let data = serde_json::to_string(o).unwrap_or_default();
            tx.execute(
                "INSERT INTO opportunities (id, doc_id, office_id, deadline, data)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![o.id, doc_id, o.office_id, o.deadline.to_string(), data],
            )?;
        }
        personal => people::project(tx, doc_id, personal)?,
    }
    Ok(())
}

/// Empties every projection table.
pub fn clear(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM providers; DELETE FROM services; DELETE FROM service_categories;
         DELETE FROM articles; DELETE FROM search_fts; DELETE FROM search_rows;
         DELETE FROM opportunities;",
    )?;
    people::clear(tx)?;
    Ok(())
}

/// Removes every row a document projected (before a rewrite, or when it is erased). Every
/// lookup goes through an index on the document id — the full-text rows by the rowids
/// `search_rows` noted — so a write costs the same with 10 catalog documents or 10,000.
pub fn forget(tx: &Transaction<'_>, doc_id: &str) -> Result<()> {
    let personal = doc_id
        .split_once(':')
        .and_then(|(kind, _)| DocKind::parse(kind))
        .is_some_and(DocKind::is_personal);
    if personal {
        return people::forget(tx, doc_id);
    }
    tx.prepare_cached(
        "DELETE FROM search_fts WHERE rowid IN
           (SELECT fts_rowid FROM search_rows WHERE doc_id = ?1)",
    )?
    .execute([doc_id])?;
    tx.prepare_cached("DELETE FROM search_rows WHERE doc_id = ?1")?
        .execute([doc_id])?;
    tx.prepare_cached(
        "DELETE FROM service_categories WHERE service_id IN
           (SELECT id FROM services WHERE doc_id = ?1)",
    )?
    .execute([doc_id])?;
    for table in ["services", "providers", "articles", "opportunities"] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?
            .execute([doc_id])?;
    }
    Ok(())
}

fn provider(
    tx: &Transaction<'_>,
    doc_id: &str,
    kind: &str,
    id: &str,
    name: &str,
    data: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO providers (id, doc_id, kind, name, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, doc_id, kind, name, data])?;
    Ok(())
}

fn service(
    tx: &Transaction<'_>,
    doc_id: &str,
    provider_id: &str,
    provider_name: &str,
    service: &Service,
) -> Result<()> {
    let data = serde_json::to_string(service).unwrap_or_default();
    tx.prepare_cached(
        "INSERT INTO services (id, doc_id, provider_id, name, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![service.id, doc_id, provider_id, service.name, data])?;
    for category in &service.categories {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO service_categories (service_id, category) VALUES (?1, ?2)",
        )?
        .execute(params![service.id, category.slug()])?;
    }
    search_row(
        tx,
        doc_id,
        "service",
        &service.id,
        service_columns(service, provider_name),
    )
}

/// Adds a row to the full-text index and notes which document it came from, so `forget`
/// finds it by rowid.
fn search_row(
    tx: &Transaction<'_>,
    doc_id: &str,
    kind: &str,
    id: &str,
    [name, keywords, categories, body]: [String; 4],
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO search_fts (kind, ref, name, keywords, categories, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![kind, id, name, keywords, categories, body])?;
    let rowid = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO search_rows (fts_rowid, doc_id) VALUES (?1, ?2)")?
        .execute(params![rowid, doc_id])?;
    Ok(())
}

/// The keywords column: the Portuguese keywords, then the Spanish name or title and keywords
/// (so a search in Spanish finds it, whichever language the device is in, while the Portuguese
/// name keeps the name column's weight to itself).
fn keywords(pt: &[String], es: Option<(&str, &[String])>) -> String {
    let mut words = pt.join(" ");
    if let Some((name, keywords)) = es {
        for word in std::iter::once(name).chain(keywords.iter().map(String::as_str)) {
            words.push(' ');
            words.push_str(word);
        }
    }
    words
}

/// A service's full-text columns, strongest first: name, keywords (with the provider's name),
/// categories, body. The search index and the in-memory ranking of broad searches read the
/// same text.
pub fn service_columns(service: &Service, provider_name: &str) -> [String; 4] {
    let categories: Vec<&str> = service
        .categories
        .iter()
        .map(|c| Category::label(*c))
        .collect();
    let place = service
        .location
        .as_ref()
        .map(|l| format!("{} {}", l.municipality, l.uf.code()))
        .unwrap_or_default();
    let keywords = keywords(
        &service.keywords,
        service
            .es
            .as_ref()
            .map(|es| (es.name.as_str(), es.keywords.as_slice())),
    );
    [
        service.name.clone(),
        format!("{keywords} {provider_name}"),
        categories.join(" "),
        format!(
            "{} {} {} {place}",
            service.description,
            service.audience,
            service.required_documents.join(" ")
        ),
    ]
}
