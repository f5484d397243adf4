//! Identidade de gênero is written by the person in their own words; reports group it into a
//! few categories by matching the folded words of common self-declarations.
//!
//! Rules, in order (words are folded: lower case, no accents, split at anything not a letter
//! or digit):
//! - nothing written, or "não declarada / não informado / prefere não dizer / não sabe" →
//!   **não declarada**;
//! - "não binário/binária/binárie", "nb", "agênero", "gênero fluido" → **não binário**;
//! - "travesti", or "trans/transexual/transgênero" with "mulher/feminina", or "transfeminina"
//!   → **mulher trans/travesti**;
//! - "trans…" with "homem/masculino", or "transmasculino", "transhomem" → **homem trans**;
//! - "mulher", "feminina/feminino", "f", "cis" with "mulher" → **mulher cis**;
//! - "homem", "masculino", "m" → **homem cis**;
//! - anything else (including "trans" alone, which does not say which) → **outra**.
//!
//! "Mulher" or "homem" alone counts as cis: the form asks for one free answer, and most people
//! who are not trans do not write "cis". A trans woman who writes only "mulher" is counted as
//! mulher cis; offices that want this to be exact ask the question with the categories.

use serde::{Deserialize, Serialize};

use crate::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GenderGroup {
    CisWoman,
    CisMan,
    TransWoman,
    TransMan,
    NonBinary,
    Other,
    NotDeclared,
}

impl GenderGroup {
    pub const ALL: &'static [GenderGroup] = &[
        GenderGroup::CisWoman,
        GenderGroup::CisMan,
        GenderGroup::TransWoman,
        GenderGroup::TransMan,
        GenderGroup::NonBinary,
        GenderGroup::Other,
        GenderGroup::NotDeclared,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            GenderGroup::CisWoman => "mulher-cis",
            GenderGroup::CisMan => "homem-cis",
            GenderGroup::TransWoman => "mulher-trans-travesti",
            GenderGroup::TransMan => "homem-trans",
            GenderGroup::NonBinary => "nao-binario",
            GenderGroup::Other => "outra",
            GenderGroup::NotDeclared => "nao-declarada",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GenderGroup::CisWoman => "Mulher cis",
            GenderGroup::CisMan => "Homem cis",
            GenderGroup::TransWoman => "Mulher trans/travesti",
            GenderGroup::TransMan => "Homem trans",
            GenderGroup::NonBinary => "Não binário",
            GenderGroup::Other => "Outra",
            GenderGroup::NotDeclared => "Não declarada",
        }
    }

    /// The group of what the person wrote.
    pub fn of(declared: Option<&str>) -> GenderGroup {
        let folded = fold(declared.unwrap_or(""));
        let words: Vec<&str> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |w: &str| words.contains(&w);
        let starts = |p: &str| words.iter().any(|w| w.starts_with(p));
        let not = has("nao") || has("sem");
        if words.is_empty()
            || (not
                && (starts("declar")
                    || starts("inform")
                    || starts("sab")
                    || has("sei")
                    || starts("dizer")))
            || starts("prefer")
        {
            return GenderGroup::NotDeclared;
        }
        if (not && starts("binar"))
            || has("nb")
            || has("naobinario")
            || has("naobinaria")
            || starts("agener")
            || (starts("genero") && starts("fluid"))
        {
            return GenderGroup::NonBinary;
        }
        let trans = words
            .iter()
            .any(|w| *w == "trans" || w.starts_with("transex") || w.starts_with("transgener"));
        let woman = has("mulher") || starts("feminin");
        let man = has("homem") || starts("masculin");
        if has("travesti") || starts("transfem") || (trans && woman && !man) {
            return GenderGroup::TransWoman;
        }
        if starts("transmasc") || has("transhomem") || (trans && man && !woman) {
            return GenderGroup::TransMan;
        }
        if trans {
            return GenderGroup::Other;
        }
        match (woman || has("f"), man || has("m")) {
            (true, false) => GenderGroup::CisWoman,
            (false, true) => GenderGroup::CisMan,
            _ => GenderGroup::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GenderGroup::{self, *};

    #[test]
    fn common_self_declarations() {
        let cases: &[(Option<&str>, GenderGroup)] = &[
            (None, NotDeclared),
            (Some("  "), NotDeclared),
            (Some("Não declarou"), NotDeclared),
            (Some("prefere não informar"), NotDeclared),
            (Some("não sei"), NotDeclared),
            (Some("Mulher"), CisWoman),
            (Some("mulher cis"), CisWoman),
            (Some("Mulher cisgênero"), CisWoman),
            (Some("feminino"), CisWoman),
            (Some("F"), CisWoman),
            (Some("Homem"), CisMan),
            (Some("masculino"), CisMan),
            (Some("homem cis"), CisMan),
            (Some("M"), CisMan),
            (Some("Travesti"), TransWoman),
            (Some("mulher trans"), TransWoman),
            (Some("Mulher transexual"), TransWoman),
            (Some("transfeminina"), TransWoman),
            (Some("trans feminina"), TransWoman),
            (Some("homem trans"), TransMan),
            (Some("Transmasculino"), TransMan),
            (Some("homem transgênero"), TransMan),
            (Some("não binário"), NonBinary),
            (Some("Não-binárie"), NonBinary),
            (Some("NB"), NonBinary),
            (Some("agênero"), NonBinary),
            (Some("gênero fluido"), NonBinary),
            (Some("trans"), Other),
            (Some("queer"), Other),
            (Some("homem e mulher"), Other),
        ];
        for (declared, expected) in cases {
            assert_eq!(GenderGroup::of(*declared), *expected, "{declared:?}");
        }
    }
}
