//! Checks the Spanish texts of a data file (`[es]`, `[services.es]`; see `FORMAT.md`) against
//! the Portuguese they translate: nothing empty, the same paragraphs and the same documents
//! to bring (a translation adds and drops nothing), and a translation's review no older than
//! the Portuguese it was checked against.

use chrono::NaiveDate;
use esv_shared::translation::{ArticleText, ProviderText, ServiceText};
use toml::Spanned;

use super::Source;
use crate::raw::{ArticleEsRaw, ProviderEsRaw, ServiceEsRaw};
use crate::CatalogError;

/// What the Spanish of an article must match.
pub struct ArticlePt<'a> {
    pub body: &'a [String],
    pub reviewed_on: NaiveDate,
}

pub fn article(
    src: &Source<'_>,
    raw: Spanned<ArticleEsRaw>,
    pt: ArticlePt<'_>,
) -> Result<ArticleText, CatalogError> {
    let at = raw.span().start;
    let raw = raw.into_inner();
    filled(src, at, "title", &raw.title)?;
    filled(src, at, "summary", &raw.summary)?;
    for (i, paragraph) in raw.body.iter().enumerate() {
        filled(src, at, &format!("body paragraph {}", i + 1), paragraph)?;
    }
    if raw.body.len() != pt.body.len() {
        return Err(src.error(
            at,
            format!(
                "[es] body has {} paragraphs and the Portuguese {}: translate paragraph by \
                 paragraph, adding and dropping nothing",
                raw.body.len(),
                pt.body.len()
            ),
        ));
    }
    for keyword in &raw.keywords {
        filled(src, at, "a keyword", keyword)?;
    }
    Ok(ArticleText {
        title: raw.title,
        summary: raw.summary,
        body: raw.body,
        keywords: raw.keywords,
        reviewed_on: reviewed(src, raw.reviewed_on.as_ref(), pt.reviewed_on)?,
    })
}

/// What the Spanish of a service must match.
pub struct ServicePt<'a> {
    pub id: &'a str,
    /// Where the service starts (its `id`): errors point there, as the service's other
    /// errors do (the span of a `[services.es]` table is not its header's).
    pub at: usize,
    pub required_documents: &'a [String],
    pub reviewed_on: NaiveDate,
}

pub fn service(
    src: &Source<'_>,
    raw: Spanned<ServiceEsRaw>,
    pt: ServicePt<'_>,
) -> Result<ServiceText, CatalogError> {
    let at = pt.at;
    let raw = raw.into_inner();
    let what = |field: &str| format!("{field} of service {:?}", pt.id);
    filled(src, at, &what("name"), &raw.name)?;
    filled(src, at, &what("description"), &raw.description)?;
    filled(src, at, &what("audience"), &raw.audience)?;
    for document in &raw.required_documents {
        filled(src, at, "a required document", document)?;
    }
    for keyword in &raw.keywords {
        filled(src, at, "a keyword", keyword)?;
    }
    if raw.required_documents.len() != pt.required_documents.len() {
        return Err(src.error(
            at,
            format!(
                "service {:?}: [services.es] lists {} required documents and the Portuguese {}",
                pt.id,
                raw.required_documents.len(),
                pt.required_documents.len()
            ),
        ));
    }
    Ok(ServiceText {
        name: raw.name,
        description: raw.description,
        audience: raw.audience,
        required_documents: raw.required_documents,
        keywords: raw.keywords,
        reviewed_on: reviewed(src, raw.reviewed_on.as_ref(), pt.reviewed_on)?,
    })
}

pub fn provider(
    src: &Source<'_>,
    raw: Spanned<ProviderEsRaw>,
    pt_reviewed_on: NaiveDate,
) -> Result<ProviderText, CatalogError> {
    let at = raw.span().start;
    let raw = raw.into_inner();
    if let Some(name) = &raw.name {
        filled(src, at, "name", name)?;
    }
    filled(src, at, "description", &raw.description)?;
    Ok(ProviderText {
        name: raw.name,
        description: raw.description,
        reviewed_on: reviewed(src, raw.reviewed_on.as_ref(), pt_reviewed_on)?,
    })
}

fn filled(src: &Source<'_>, at: usize, what: &str, text: &str) -> Result<(), CatalogError> {
    if text.trim().is_empty() {
        return Err(src.error(
            at,
            format!("[es] {what} is empty: write it, or leave out [es]"),
        ));
    }
    Ok(())
}

/// A translation is checked against the Portuguese as it stands, so not before it.
fn reviewed(
    src: &Source<'_>,
    raw: Option<&Spanned<toml::value::Datetime>>,
    pt: NaiveDate,
) -> Result<Option<NaiveDate>, CatalogError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let date = src.date(raw)?;
    if date < pt {
        return Err(src.error(
            raw.span().start,
            format!(
                "[es] reviewed_on {date} is before the Portuguese text's reviewed_on {pt}: \
                 check the translation against the text as it is now"
            ),
        ));
    }
    Ok(Some(date))
}
