//! Search text normalisation as tables: folding, tokens and edit distance.

use esv_shared::text::{edit_distance, fold, tokens, typo_budget};

#[test]
fn folding() {
    let cases = [
        ("Identificação", "identificacao"),
        ("SAÚDE", "saude"),
        ("Alimentação e água", "alimentacao e agua"),
        ("Jurídico", "juridico"),
        ("nº 96", "no 96"),
        ("Niño", "nino"),
        ("CadÚnico", "cadunico"),
        ("título", "titulo"),
        ("plain", "plain"),
        ("🙂 emoji", "🙂 emoji"),
        // Decomposed: a letter and then its combining accent.
        ("Joa\u{303}o", "joao"),
        ("Conceic\u{327}a\u{303}o", "conceicao"),
        ("Mun\u{303}oz", "munoz"),
        ("JOSE\u{301}", "jose"),
    ];
    for (input, want) in cases {
        assert_eq!(fold(input), want, "{input:?}");
    }
}

#[test]
fn a_decomposed_name_is_one_word_and_finds_the_composed_one() {
    assert_eq!(
        tokens("Joa\u{303}o Conceic\u{327}a\u{303}o"),
        ["joao", "conceicao"]
    );
    assert_eq!(
        tokens("João Conceição"),
        tokens("Joa\u{303}o Conceic\u{327}a\u{303}o")
    );
}

#[test]
fn tokens_drop_stopwords_and_punctuation() {
    let cases: &[(&str, &[&str])] = &[
        ("Onde tirar o RG?", &["tirar", "rg"]),
        ("carteira de trabalho", &["carteira", "trabalho"]),
        ("preciso de um advogado", &["advogado"]),
        ("Disque 100", &["disque", "100"]),
        ("\"NEAR\" OR *", &["near", "or"]),
        ("", &[]),
        ("de da do", &[]),
        ("comida-hoje", &["comida", "hoje"]),
    ];
    for (input, want) in cases {
        assert_eq!(tokens(input), *want, "{input:?}");
    }
}

#[test]
fn edit_distances() {
    let cases = [
        ("identidad", "identidade", 2, Some(1)),
        ("emprgo", "emprego", 1, Some(1)),
        ("identiddae", "identidade", 2, Some(1)),
        ("trabaho", "trabalho", 1, Some(1)),
        ("cpf", "cpf", 0, Some(0)),
        ("abc", "xyz", 2, None),
        ("saude", "saudade", 1, None),
        ("", "rg", 2, Some(2)),
    ];
    for (a, b, max, want) in cases {
        assert_eq!(edit_distance(a, b, max), want, "{a} → {b} (max {max})");
    }
}

#[test]
fn typo_budgets() {
    for (word, want) in [
        ("rg", 0),
        ("cpf", 0),
        ("vaga", 1),
        ("emprego", 1),
        ("identidade", 2),
    ] {
        assert_eq!(typo_budget(word), want, "{word}");
    }
}
