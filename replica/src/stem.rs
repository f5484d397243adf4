//! Portuguese stems (the Snowball stemmer), so a verb or a plural finds the words the catalog
//! uses: "trabalhar" finds "trabalho", "almoçar" finds "almoço", "documentos" finds
//! "documento". Search only: stems are never shown, and the index keeps the real words (its
//! ranking and typo correction work on them).

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// Words shorter than this are left alone: their stems would join unrelated words
/// ("casa" and "caso" share "cas").
const MIN_CHARS: usize = 5;
/// Words of the index a stem may add to one term of a query, at most: a common stem must not
/// turn a search into "everything".
pub(crate) const MAX_WORDS_PER_STEM: usize = 8;

fn stemmer() -> &'static Stemmer {
    static STEMMER: std::sync::OnceLock<Stemmer> = std::sync::OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Portuguese))
}

/// The stem of a folded word, or `None` for a word too short or a number.
pub(crate) fn stem(word: &str) -> Option<String> {
    if word.chars().count() < MIN_CHARS || word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(stemmer().stem(word).into_owned())
}

/// The words of `vocabulary` under their stems.
pub(crate) fn groups<'a>(
    vocabulary: impl IntoIterator<Item = &'a String>,
) -> HashMap<String, Vec<String>> {
    let mut by_stem: HashMap<String, Vec<String>> = HashMap::new();
    for word in vocabulary {
        if let Some(s) = stem(word) {
            by_stem.entry(s).or_default().push(word.clone());
        }
    }
    by_stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_and_plurals_share_the_stem_of_the_noun() {
        let same = [
            ("trabalhar", "trabalho"),
            ("trabalhando", "trabalho"),
            ("almocar", "almoco"),
            ("documentos", "documento"),
            ("estudar", "estudos"),
            ("cadastrar", "cadastro"),
        ];
        for (a, b) in same {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("rg"), None, "short words are left alone");
        assert_eq!(stem("casa"), None);
        assert_eq!(stem("12345"), None);
    }

    #[test]
    fn groups_list_every_word_under_its_stem() {
        let words: Vec<String> = ["trabalho", "trabalhos", "trabalhador", "comida", "rg"]
            .iter()
            .map(|w| (*w).to_owned())
            .collect();
        let by_stem = groups(&words);
        let work = by_stem
            .get(&stem("trabalhar").expect("stem"))
            .expect("group");
        assert!(work.contains(&"trabalho".to_owned()) && work.contains(&"trabalhos".to_owned()));
        assert!(!by_stem.values().flatten().any(|w| w == "rg"));
    }
}
