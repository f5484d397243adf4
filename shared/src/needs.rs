//! "Preciso de…": the needs a person starts from when they don't know which service or
//! category to look for, each turned into a search (a category, words, and whether only
//! places open now matter). Data, so they can be reviewed and tested like the synonyms.

use crate::domain::Category;
use crate::ipc::SearchRequest;
use crate::locale::Locale;

/// A need on the first screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedShortcut {
    /// In URLs: `#/preciso/<slug>`.
    pub slug: &'static str,
    /// "documentos", "comida hoje" (after "Preciso de…").
    pub pt: &'static str,
    pub es: &'static str,
    /// The pictogram's name (see the UI's `pictogram` module).
    pub pictogram: &'static str,
    pub category: Option<Category>,
    /// Words searched for (synonyms apply), when a category alone is not the need.
    pub words: &'static str,
    /// "Comida hoje" means a place open now, not a list of every kitchen.
    pub open_now: bool,
}

pub const NEEDS: &[NeedShortcut] = &[
    NeedShortcut {
        slug: "documentos",
        pt: "documentos",
        es: "documentos",
        pictogram: "documents",
        category: Some(Category::Documents),
        words: "",
        open_now: false,
    },
    NeedShortcut {
        slug: "comida-hoje",
        pt: "comida hoje",
        es: "comida hoy",
        pictogram: "food",
        category: Some(Category::Food),
        words: "",
        open_now: true,
    },
    NeedShortcut {
        slug: "lugar-para-dormir",
        pt: "um lugar para dormir",
        es: "un lugar para dormir",
        pictogram: "housing",
        category: Some(Category::Housing),
        words: "",
        open_now: false,
    },
    NeedShortcut {
        slug: "trabalho",
        pt: "trabalho",
        es: "trabajo",
        pictogram: "work-income",
        category: Some(Category::WorkIncome),
        words: "",
        open_now: false,
    },
    NeedShortcut {
        slug: "saude",
        pt: "saúde",
        es: "salud",
        pictogram: "health",
        category: Some(Category::Health),
        words: "",
        open_now: false,
    },
    NeedShortcut {
        slug: "ajuda-juridica",
        pt: "ajuda jurídica",
        es: "ayuda jurídica",
        pictogram: "legal",
        category: Some(Category::Legal),
        words: "",
        open_now: false,
    },
    NeedShortcut {
        slug: "falar-com-alguem",
        pt: "falar com alguém",
        es: "hablar con alguien",
        pictogram: "talk",
        category: None,
        words: "conversar",
        open_now: false,
    },
];

impl NeedShortcut {
    pub fn from_slug(slug: &str) -> Option<&'static NeedShortcut> {
        NEEDS.iter().find(|n| n.slug == slug)
    }

    pub fn label(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::PtBr => self.pt,
            Locale::Es => self.es,
        }
    }

    /// The search this need stands for.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            text: self.words.to_owned(),
            category: self.category,
            open_now_only: self.open_now,
            ..SearchRequest::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_round_trip() {
        for n in NEEDS {
            assert_eq!(NeedShortcut::from_slug(n.slug), Some(n));
            assert!(
                n.category.is_some() || !n.words.is_empty(),
                "{} searches nothing",
                n.slug
            );
        }
        assert_eq!(NeedShortcut::from_slug("nada"), None);
    }
}
