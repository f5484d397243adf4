//! Plain language in the bundled rights articles, in Portuguese and in their Spanish texts,
//! checked on every build of the tests: what a person reads there is what they act on, so it
//! must be readable without a lawyer, in either language.
//!
//! Two rules, each with a table of cases that shows it can fail:
//! - every sentence of an article's body has at most [`MAX_WORDS`] words (a list strung
//!   together with `:` and `;` is one sentence: write it as short sentences instead);
//! - a legal term of [`GLOSSARY`] that appears anywhere in an article (title, summary or body)
//!   is explained in that article's body where the body first uses it: a gloss in parentheses
//!   right after it (`reincidente (que já tinha…)`), a marker right after it (`, isto é,`,
//!   `, ou seja,`, `quer dizer`, `que é`, `significa`, or the term opening a definition with
//!   `é`/`são`/`:`), or a naming before it in the same sentence (`… se chama período de prova`).
//!
//! The Spanish texts follow the same rules with the Spanish forms of the terms and markers
//! ([`SPANISH`]: `reincidente (que ya tenía…)`, `, es decir,`, `se llama período de prueba`).

use std::path::Path;

use esv_shared::document::Entity;
use esv_shared::domain::RightsArticle;

/// The longest sentence a body may have, in words.
const MAX_WORDS: usize = 30;

/// The words of one language the rules look for.
struct Language {
    /// Legal terms a person cannot be expected to know: (name, the forms it takes in a text).
    /// Forms are matched case-insensitively on word boundaries.
    glossary: &'static [(&'static str, &'static [&'static str])],
    /// Markers that, right after a term, say what it means.
    after: &'static [&'static str],
    /// Verbs that, right after a term, open its definition ("Falta grave é…").
    defines: &'static [&'static str],
    /// Markers that, before a term in the same sentence, name it: "… se chama X".
    before: &'static [&'static str],
}

const PORTUGUESE: Language = Language {
    glossary: GLOSSARY,
    after: AFTER,
    defines: &[" é", " são"],
    before: BEFORE,
};

const SPANISH: Language = Language {
    glossary: &[
        (
            "reincidente",
            &["reincidente", "reincidentes", "reincidencia"],
        ),
        ("falta grave", &["falta grave", "faltas graves"]),
        (
            "sentencia firme (trânsito em julgado)",
            &["sentencia firme", "condena firme", "trânsito em julgado"],
        ),
        ("régimen semiabierto", &["semiabierto"]),
        ("régimen cerrado", &["régimen cerrado"]),
        ("período de prueba", &["período de prueba"]),
        ("delito doloso", &["doloso", "dolosos", "dolosa"]),
        ("delito hediondo", &["hediondo", "hediondos"]),
        ("extinción de la punibilidad", &["punibilidad"]),
        ("prisión preventiva", &["prisión preventiva", "preventiva"]),
        ("remição", &["remição", "redención de pena"]),
        ("comarca", &["comarca"]),
        ("examen criminológico", &["examen criminológico"]),
        (
            "medida cautelar",
            &["medida cautelar", "medidas cautelares"],
        ),
    ],
    after: &[
        ", es decir",
        ", o sea",
        " quiere decir",
        ", que quiere decir",
        ", que es",
        " que es",
        " significa",
        ", que significa",
    ],
    defines: &[" es", " son"],
    before: &[
        "se llama",
        "llamado",
        "llamada",
        "se le dice",
        "se conoce como",
    ],
};

const GLOSSARY: &[(&str, &[&str])] = &[
    (
        "reincidente",
        &["reincidente", "reincidentes", "reincidência"],
    ),
    ("falta grave", &["falta grave", "faltas graves"]),
    (
        "trânsito em julgado",
        &[
            "trânsito em julgado",
            "transitada em julgado",
            "transitado em julgado",
        ],
    ),
    ("regime semiaberto", &["semiaberto"]),
    ("regime fechado", &["regime fechado"]),
    ("período de prova", &["período de prova"]),
    ("crime doloso", &["doloso", "dolosos", "dolosa"]),
    ("crime hediondo", &["hediondo", "hediondos"]),
    ("extinção da punibilidade", &["punibilidade"]),
    ("prisão preventiva", &["prisão preventiva", "preventiva"]),
    ("remição", &["remição"]),
    ("comarca", &["comarca"]),
    ("exame criminológico", &["exame criminológico"]),
    (
        "medida cautelar",
        &["medida cautelar", "medidas cautelares"],
    ),
];

const AFTER: &[&str] = &[
    ", isto é",
    ", ou seja",
    " quer dizer",
    ", que quer dizer",
    ", que é",
    " que é",
    " significa",
    ", que significa",
];
/// How far after the term an `AFTER` marker may start, in characters.
const AFTER_REACH: usize = 3;
const BEFORE: &[&str] = &[
    "se chama",
    "chamado de",
    "chamada de",
    "chamam de",
    "é chamado",
    "é chamada",
];

/// The sentences of a paragraph: split after `.`, `!` or `?` followed by a space (so `gov.br`
/// and `7.210` stay whole).
fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let ends = matches!(c, '.' | '!' | '?')
            && chars
                .get(i + 1)
                .is_none_or(|&(_, next)| next.is_whitespace());
        if ends {
            let end = at + c.len_utf8();
            let s = paragraph[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn words(sentence: &str) -> usize {
    sentence
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Byte ranges where `form` occurs in `text` as whole words (both already lowercase).
fn find_word(text: &str, form: &str) -> Vec<(usize, usize)> {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
    text.match_indices(form)
        .map(|(at, _)| (at, at + form.len()))
        .filter(|&(at, end)| {
            !is_word(text[..at].chars().next_back()) && !is_word(text[end..].chars().next())
        })
        .collect()
}

/// Whether the occurrence `at..end` of a term in `sentence` (lowercase) is explained there.
fn explained(language: &Language, sentence: &str, at: usize, end: usize) -> bool {
    let after = &sentence[end..];
    let after = after.trim_start_matches(['”', '"', '’']);
    if after.starts_with(" (")
        || after.starts_with(':')
        || language.defines.iter().any(|v| {
            after
                .strip_prefix(v)
                .is_some_and(|r| r.starts_with([' ', ',']))
        })
    {
        return true;
    }
    let near: String = after.chars().take(AFTER_REACH + 20).collect();
    if language
        .after
        .iter()
        .any(|m| near.find(m).is_some_and(|p| p <= AFTER_REACH))
    {
        return true;
    }
    let before = &sentence[..at];
    language.before.iter().any(|m| before.contains(m))
}

/// What is wrong with an article, in words a writer can act on.
fn problems(article: &RightsArticle) -> Vec<String> {
    problems_in(&PORTUGUESE, article)
}

/// What is wrong with an article's Spanish text (nothing when it has none).
fn spanish_problems(article: &RightsArticle) -> Vec<String> {
    let Some(es) = &article.es else {
        return Vec::new();
    };
    let as_text = RightsArticle {
        id: format!("{} [es]", article.id),
        title: es.title.clone(),
        summary: es.summary.clone(),
        body: es.body.clone(),
        es: None,
        ..article.clone()
    };
    problems_in(&SPANISH, &as_text)
}

fn problems_in(language: &Language, article: &RightsArticle) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in &article.body {
        for s in sentences(paragraph) {
            let n = words(s);
            if n > MAX_WORDS {
                out.push(format!(
                    "{}: a sentence of {n} words (at most {MAX_WORDS}): {s:?}",
                    article.id
                ));
            }
        }
    }
    let whole = format!(
        "{}\n{}\n{}",
        article.title,
        article.summary,
        article.body.join("\n")
    )
    .to_lowercase();
    for (name, forms) in language.glossary {
        if !forms.iter().any(|f| !find_word(&whole, f).is_empty()) {
            continue;
        }
        // The body's first use: the earliest occurrence of any form, sentence by sentence.
        let first = article
            .body
            .iter()
            .flat_map(|p| sentences(p))
            .map(str::to_lowercase)
            .find_map(|s| {
                let hit = forms
                    .iter()
                    .flat_map(|f| find_word(&s, f))
                    .min_by_key(|&(at, _)| at)?;
                Some((s, hit))
            });
        match first {
            None => out.push(format!(
                "{}: “{name}” is in the title or summary but the body never explains it",
                article.id
            )),
            Some((s, (at, end))) if !explained(language, &s, at, end) => out.push(format!(
                "{}: “{name}” is not explained where the body first uses it: {s:?}",
                article.id
            )),
            Some(_) => {}
        }
    }
    out
}

fn article(body: &[&str]) -> RightsArticle {
    RightsArticle {
        id: "teste".to_owned(),
        title: "Teste".to_owned(),
        group: esv_shared::domain::RightsGroup::Sentence,
        summary: "Um texto de teste.".to_owned(),
        body: body.iter().map(|&p| p.to_owned()).collect(),
        sources: Vec::new(),
        reviewed_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        help_services: Vec::new(),
        keywords: Vec::new(),
        es: None,
    }
}

#[test]
fn the_rules_catch_what_they_are_for() {
    // (body, how many problems)
    let long = "Quem pode receber é a pessoa condenada que já cumpriu uma parte da pena e teve bom comportamento e pode se sustentar com trabalho honesto e reparou o dano do crime se tinha como.";
    let cases: &[(&str, usize)] = &[
        ("Uma frase curta. Outra frase curta.", 0),
        (long, 1),
        // a list strung with ":" and ";" is one sentence
        ("Quem pode: a pessoa idosa; a pessoa com deficiência; a gestante.", 0),
        (
            "Quem pode receber: a pessoa que tem 65 anos ou mais; a pessoa com deficiência de qualquer idade; a mulher gestante; e quem cuida sozinho de criança pequena ou de pessoa doente.",
            1,
        ),
        // dots inside words and numbers do not end a sentence
        ("Veja no gov.br a Lei 7.210 às 8:00. Pronto.", 0),
        ("Quem é reincidente espera mais.", 1),
        ("Quem é reincidente (já tinha uma condenação definitiva antes) espera mais.", 0),
        ("Falta grave é, por exemplo, fugir. Uma falta grave atrasa tudo.", 0),
        ("Uma falta grave atrasa tudo. Falta grave é, por exemplo, fugir.", 1),
        ("O tempo que falta da pena se chama período de prova.", 0),
        ("A condenação transitada em julgado, isto é, sem recurso, suspende o voto.", 0),
        ("A condenação transitada em julgado suspende o voto.", 1),
        ("Ele passou para o semiaberto.", 1),
        // a word that only contains a term is not the term
        ("A irreincidente palavra não existe.", 0),
    ];
    for &(body, want) in cases {
        let got = problems(&article(&[body]));
        assert_eq!(got.len(), want, "{body:?}: {got:#?}");
    }
    // A term in the summary must be explained in the body.
    let mut a = article(&["Nada aqui."]);
    a.summary = "Sobre a remição.".to_owned();
    assert_eq!(problems(&a).len(), 1, "{:?}", problems(&a));
}

#[test]
fn the_spanish_rules_catch_what_they_are_for() {
    let cases: &[(&str, usize)] = &[
        ("Una frase corta. Otra frase corta.", 0),
        ("Quien es reincidente espera más.", 1),
        ("Quien es reincidente (ya tenía una condena definitiva antes) espera más.", 0),
        ("Falta grave es, por ejemplo, fugarse. Una falta grave atrasa todo.", 0),
        ("Una falta grave atrasa todo. Falta grave es, por ejemplo, fugarse.", 1),
        ("El tiempo que falta de la pena se llama período de prueba.", 0),
        ("La sentencia firme, es decir, sin recurso, suspende el voto.", 0),
        ("La sentencia firme suspende el voto.", 1),
        ("Pasó al semiabierto.", 1),
        (
            "Quien puede recibirlo es la persona condenada que ya cumplió una parte de la pena y tuvo buena conducta y puede mantenerse con un trabajo honesto y reparó el daño del delito si podía.",
            1,
        ),
    ];
    for &(body, want) in cases {
        let mut a = article(&["Nada aquí."]);
        a.es = Some(esv_shared::translation::ArticleText {
            title: "Prueba".to_owned(),
            summary: "Un texto de prueba.".to_owned(),
            body: vec![body.to_owned()],
            keywords: Vec::new(),
            reviewed_on: None,
        });
        let got = spanish_problems(&a);
        assert_eq!(got.len(), want, "{body:?}: {got:#?}");
    }
}

#[test]
fn every_rights_article_is_plain() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let catalog = esv_catalog::load_dir(&data).expect("the bundled catalog loads");
    let articles: Vec<&RightsArticle> = catalog
        .entities
        .iter()
        .filter_map(|e| match e {
            Entity::RightsArticle(a) => Some(a),
            _ => None,
        })
        .collect();
    assert!(
        articles.len() >= 30,
        "only {} articles read",
        articles.len()
    );
    let all: Vec<String> = articles
        .iter()
        .flat_map(|a| problems(a).into_iter().chain(spanish_problems(a)))
        .collect();
    assert!(
        all.is_empty(),
        "{} problems:\n{}",
        all.len(),
        all.join("\n")
    );
}
