//! The Spanish version of the catalog's texts (rights articles, services, offices and partner
//! organisations), and the one rule of which text a person reads: the one in their language
//! when there is one, else the Portuguese, said so.
//!
//! A translation sits beside the Portuguese in the same entity (field `es`), so one document
//! carries both and an app that knows nothing of it reads the Portuguese as before (readers
//! ignore fields they don't know). What is not translated is never translated: sources, law
//! citations, phones, addresses, hours.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{Office, Organization, RightsArticle, Service};
use crate::locale::Locale;

/// A rights article in Spanish: the same article, the same sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleText {
    pub title: String,
    pub summary: String,
    pub body: Vec<String>,
    /// Words people type in Spanish; search finds the article by them and by its title.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The day someone checked this translation against the Portuguese and its sources;
    /// `None` while nobody has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<NaiveDate>,
}

/// A service in Spanish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceText {
    pub name: String,
    pub description: String,
    pub audience: String,
    #[serde(default)]
    pub required_documents: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<NaiveDate>,
}

/// An office or a partner organisation in Spanish. Without `name`, its name is the
/// Portuguese one (a proper name: "Escritório Social de Vitória").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<NaiveDate>,
}

/// The words of an article a person reads, and the language they are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleWords<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a [String],
    /// `PtBr` for a Spanish reader when the article has no Spanish text.
    pub language: Locale,
}

/// The words of a service a person reads, and the language they are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceWords<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub audience: &'a str,
    pub required_documents: &'a [String],
    pub language: Locale,
}

/// The words of an office or organisation a person reads, and the language they are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderWords<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub language: Locale,
}

impl RightsArticle {
    /// The article in `locale`, or in Portuguese when it has no text in it.
    pub fn words(&self, locale: Locale) -> ArticleWords<'_> {
        match (locale, &self.es) {
            (Locale::Es, Some(es)) => ArticleWords {
                title: &es.title,
                summary: &es.summary,
                body: &es.body,
                language: Locale::Es,
            },
            _ => ArticleWords {
                title: &self.title,
                summary: &self.summary,
                body: &self.body,
                language: Locale::PtBr,
            },
        }
    }
}

impl Service {
    /// The service in `locale`, or in Portuguese when it has no text in it.
    pub fn words(&self, locale: Locale) -> ServiceWords<'_> {
        match (locale, &self.es) {
            (Locale::Es, Some(es)) => ServiceWords {
                name: &es.name,
                description: &es.description,
                audience: &es.audience,
                required_documents: &es.required_documents,
                language: Locale::Es,
            },
            _ => ServiceWords {
                name: &self.name,
                description: &self.description,
                audience: &self.audience,
                required_documents: &self.required_documents,
                language: Locale::PtBr,
            },
        }
    }
}

fn provider_words<'a>(
    name: &'a str,
    description: &'a str,
    es: Option<&'a ProviderText>,
    locale: Locale,
) -> ProviderWords<'a> {
    match (locale, es) {
        (Locale::Es, Some(es)) => ProviderWords {
            name: es.name.as_deref().unwrap_or(name),
            description: &es.description,
            language: Locale::Es,
        },
        _ => ProviderWords {
            name,
            description,
            language: Locale::PtBr,
        },
    }
}

impl Office {
    /// The office in `locale`, or in Portuguese when it has no text in it.
    pub fn words(&self, locale: Locale) -> ProviderWords<'_> {
        provider_words(&self.name, &self.description, self.es.as_ref(), locale)
    }
}

impl Organization {
    /// The organisation in `locale`, or in Portuguese when it has no text in it.
    pub fn words(&self, locale: Locale) -> ProviderWords<'_> {
        provider_words(&self.name, &self.description, self.es.as_ref(), locale)
    }
}

/// A name as a person reading in `wanted` is shown it when the text is in `language`:
/// marked "(em português)" when they asked for another language and it has none.
pub fn marked(name: &str, language: Locale, wanted: Locale) -> String {
    if language == wanted {
        name.to_owned()
    } else {
        format!("{name} {}", crate::words::in_language(language))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_marked_only_when_its_language_is_not_the_persons() {
        let cases = [
            (Locale::Es, Locale::Es, "CPF"),
            (Locale::PtBr, Locale::PtBr, "CPF"),
            (Locale::PtBr, Locale::Es, "CPF (em português)"),
        ];
        for (language, wanted, want) in cases {
            assert_eq!(marked("CPF", language, wanted), want);
        }
    }
}
