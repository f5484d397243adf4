//! The languages the app speaks, and the words of the domain (categories, rights groups,
//! kinds of opportunity) in each of them.

use serde::{Deserialize, Serialize};

use crate::domain::{Category, OpportunityKind, RightsGroup};

/// The languages the app speaks. pt-BR is the default; Spanish is for the many migrants
/// (Venezuelans in Roraima above all) who use the Escritórios Sociais.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    #[serde(rename = "pt-BR")]
    PtBr,
    #[serde(rename = "es")]
    Es,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::PtBr, Locale::Es];

    /// The BCP 47 tag, for `<html lang>` and speech synthesis.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::PtBr => "pt-BR",
            Locale::Es => "es",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// The language's name in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::PtBr => "Português",
            Locale::Es => "Español",
        }
    }
}

/// What a piece of domain vocabulary is called in each language.
pub trait Named {
    fn name_in(self, locale: Locale) -> &'static str;
}

impl Named for Category {
    fn name_in(self, locale: Locale) -> &'static str {
        match locale {
            Locale::PtBr => self.label(),
            Locale::Es => match self {
                Category::Documents => "Documentos",
                Category::Health => "Salud",
                Category::WorkIncome => "Trabajo e ingresos",
                Category::SocialAssistance => "Asistencia social",
                Category::Food => "Alimentación",
                Category::Housing => "Vivienda y albergue",
                Category::Legal => "Ayuda jurídica",
                Category::Education => "Educación",
                Category::Family => "Familia",
            },
        }
    }
}

impl Named for RightsGroup {
    fn name_in(self, locale: Locale) -> &'static str {
        match locale {
            Locale::PtBr => self.label(),
            Locale::Es => match self {
                RightsGroup::Documents => "Documentos",
                RightsGroup::WorkIncome => "Trabajo e ingresos",
                RightsGroup::Benefits => "Beneficios",
                RightsGroup::Sentence => "Cumplimiento de la pena",
                RightsGroup::Health => "Salud",
                RightsGroup::Family => "Familia",
                RightsGroup::Participation => "Participación",
                RightsGroup::LegalHelp => "Ayuda jurídica",
            },
        }
    }
}

impl Named for OpportunityKind {
    fn name_in(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::PtBr, OpportunityKind::Job) => "Vaga de emprego",
            (Locale::PtBr, OpportunityKind::Course) => "Curso",
            (Locale::PtBr, OpportunityKind::Workshop) => "Oficina",
            (Locale::Es, OpportunityKind::Job) => "Vacante de empleo",
            (Locale::Es, OpportunityKind::Course) => "Curso",
            (Locale::Es, OpportunityKind::Workshop) => "Taller",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_serde_uses_them() {
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
            let json = serde_json::to_string(&l).expect("serialise");
            assert_eq!(json, format!("\"{}\"", l.tag()));
        }
        assert_eq!(Locale::from_tag("PT-br"), Some(Locale::PtBr));
        assert_eq!(Locale::from_tag("fr"), None);
    }

    #[test]
    fn every_category_has_a_spanish_name_of_its_own_words() {
        for c in Category::ALL {
            assert!(!c.name_in(Locale::Es).is_empty());
        }
        assert_eq!(Category::Health.name_in(Locale::Es), "Salud");
        assert_eq!(Category::Health.name_in(Locale::PtBr), "Saúde");
    }
}
