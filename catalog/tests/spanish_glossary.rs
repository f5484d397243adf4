//! The Spanish the app shows follows one glossary (`docs/glossario-es.md`): no form of its
//! "no escribir" column in the catalog's Spanish texts or in the screens' words
//! (`ui-kit/locales/es.json`), and the screens' Spanish has every key of the Portuguese, none
//! empty and none left in Portuguese.
//!
//! Keywords are left out: they are what people type ("defensoría", "copia"), never shown.

use std::path::{Path, PathBuf};

use esv_shared::document::Entity;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

/// The "no escribir" forms of the glossary's table, lowercase.
fn forbidden() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs/glossario-es.md")).expect("glossary");
    text.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .skip(1)
        .filter_map(|l| l.split('|').nth(3))
        .flat_map(|cell| cell.split(','))
        .map(|form| form.trim().to_lowercase())
        .filter(|form| !form.is_empty())
        .collect()
}

/// Where `form` occurs in `text` as whole words (both lowercase).
fn has_word(text: &str, form: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(form).any(|(at, _)| {
        !is_word(text[..at].chars().next_back()) && !is_word(text[at + form.len()..].chars().next())
    })
}

/// Every Spanish text of the bundled catalog a person reads, with where it is.
fn catalog_texts() -> Vec<(String, String)> {
    let catalog = esv_catalog::load_dir(&root().join("catalog/data")).expect("catalog");
    let mut out = Vec::new();
    let mut services = |owner: &str, list: &[esv_shared::domain::Service]| {
        for s in list {
            if let Some(es) = &s.es {
                let texts = [&es.name, &es.description, &es.audience]
                    .into_iter()
                    .chain(&es.required_documents);
                out.extend(texts.map(|t| (format!("{owner}/{}", s.id), t.clone())));
            }
        }
    };
    let mut providers = Vec::new();
    for entity in &catalog.entities {
        match entity {
            Entity::Office(o) => {
                services(&o.id, &o.services);
                providers.push((o.id.clone(), o.es.clone()));
            }
            Entity::Organization(o) => {
                services(&o.id, &o.services);
                providers.push((o.id.clone(), o.es.clone()));
            }
            _ => {}
        }
    }
    for (id, es) in providers.into_iter() {
        if let Some(es) = es {
            out.extend(es.name.map(|n| (id.clone(), n)));
            out.push((id, es.description));
        }
    }
    for entity in &catalog.entities {
        if let Entity::RightsArticle(a) = entity {
            if let Some(es) = &a.es {
                let texts = [&es.title, &es.summary].into_iter().chain(&es.body);
                out.extend(texts.map(|t| (a.id.clone(), t.clone())));
            }
        }
    }
    out
}

fn flat(value: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flat(v, &path, out);
            }
        }
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

fn locale(name: &str) -> Vec<(String, String)> {
    let path = root().join("ui-kit/locales").join(name);
    let text = std::fs::read_to_string(&path).expect("locale file");
    let value: Value = serde_json::from_str(&text).expect("json");
    let mut out = Vec::new();
    flat(&value, "", &mut out);
    out
}

#[test]
fn the_glossary_names_what_not_to_write() {
    let forms = forbidden();
    for want in [
        "oficina social",
        "aparato",
        "término de consentimiento",
        "defensoría pública",
    ] {
        assert!(forms.iter().any(|f| f == want), "{want:?} in {forms:?}");
    }
    assert!(has_word("el aparato", "aparato"));
    assert!(!has_word("los aparatos", "aparato"));
    assert!(!has_word("copiar el texto", "copia"));
}

#[test]
fn spanish_texts_follow_the_glossary() {
    let forms = forbidden();
    let texts: Vec<(String, String)> = catalog_texts()
        .into_iter()
        .chain(locale("es.json"))
        .collect();
    assert!(texts.len() > 600, "only {} texts read", texts.len());
    let problems: Vec<String> = texts
        .iter()
        .flat_map(|(at, text)| {
            let lower = text.to_lowercase();
            forms
                .iter()
                .filter(move |f| has_word(&lower, f))
                .map(move |f| format!("{at}: {f:?} in {text:?}"))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_screens_spanish_is_whole() {
    let pt = locale("pt-BR.json");
    let es = locale("es.json");
    let es_keys: Vec<&str> = es.iter().map(|(k, _)| k.as_str()).collect();
    let missing: Vec<&str> = pt
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !es_keys.contains(k))
        .collect();
    assert!(missing.is_empty(), "keys without Spanish: {missing:?}");
    // Letters Spanish never writes: a text left in Portuguese.
    let portuguese = ['ã', 'õ', 'ç', 'ê', 'ô', 'à'];
    let left: Vec<String> = es
        .iter()
        .filter(|(_, v)| v.trim().is_empty() || v.to_lowercase().contains(portuguese))
        .map(|(k, v)| format!("{k}: {v:?}"))
        .collect();
    assert!(left.is_empty(), "empty or Portuguese: {left:#?}");
}
