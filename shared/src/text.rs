//! Search text normalisation: accent folding, tokens, stopwords and edit distance — the same
//! rules for the text that is indexed and the text a person types.

/// Lowercases and removes the accents of Portuguese and Spanish letters: "Identificação" →
/// "identificacao", "Ñ" → "n". Accents typed as separate combining marks (decomposed Unicode:
/// "a" then U+0303, as some keyboards and copied text give them) are removed too, so both forms
/// of a name fold alike. Other characters are kept as they are. No Unicode tables: this runs in
/// the UI's wasm too.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !is_combining_accent(*c))
        .flat_map(char::to_lowercase)
        .map(strip_accent)
        .collect()
}

/// The block of combining diacritical marks (U+0300–U+036F): the acute, grave, tilde,
/// circumflex, cedilla and diaeresis of decomposed Portuguese and Spanish letters.
fn is_combining_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn strip_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ý' | 'ÿ' => 'y',
        'º' => 'o',
        'ª' => 'a',
        other => other,
    }
}

/// Words that carry no meaning in a search ("onde tirar o RG" → "tirar", "rg").
const STOPWORDS: &[&str] = &[
    "a", "ao", "aos", "as", "com", "como", "da", "das", "de", "do", "dos", "e", "em", "eu", "me",
    "meu", "minha", "na", "nas", "no", "nos", "o", "onde", "os", "ou", "para", "pra", "pro", "por",
    "que", "quero", "preciso", "se", "um", "uma", "la", "el", "los", "las", "y", "del", "mi",
    "necesito", "donde",
];

pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// Folded words of a text, in order, without punctuation or stopwords. Digits are kept
/// ("180", "136").
pub fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !is_stopword(w))
        .map(str::to_owned)
        .collect()
}

/// Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of two
/// neighbours), or `None` as soon as it exceeds `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut prev2 = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0usize; width];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// How many typos a word of this length may carry and still match: none for short words
/// (too many false friends), one from 4 letters, two from 8.
pub fn typo_budget(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}
