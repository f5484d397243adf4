//! Bad catalog data stops the build with the file and line: a table of broken files and the
//! line and words each error must carry.

use std::path::Path;

const OFFICE: &str = r#"id = "es-teste"
name = "Escritório Social de Teste"
description = "Um escritório para testes."
reviewed_on = 2026-11-24
phones = [{ number = "2731325137", display = "(27) 3132-5137" }]

[location]
address = "Rua de Teste, 1"
municipality = "Vitória"
municipality_ibge = 3205309
uf = "ES"
tz = "America/Sao_Paulo"

[hours]
weekly = [{ days = ["seg", "ter"], opens = "08:00", closes = "17:00" }]

[[services]]
id = "es-teste-escuta"
name = "Escuta"
description = "Conversa."
categories = ["social-assistance"]
audience = "Todos."
reviewed_on = 2026-11-24
"#;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Loads a catalog with the office file replaced by `office` and checks the error.
fn check(office: &str, line: usize, words: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", office);
    let err = esv_catalog::load_dir(dir.path()).expect_err("bad data must be refused");
    let shown = err.to_string();
    assert!(shown.contains("offices/es-teste.toml"), "{shown}");
    assert_eq!(err.line, line, "{shown}");
    assert!(shown.contains(words), "{shown:?} should say {words:?}");
}

#[test]
fn the_good_file_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", OFFICE);
    let catalog = esv_catalog::load_dir(dir.path()).expect("loads");
    assert_eq!(catalog.entities.len(), 1);
}

#[test]
fn broken_files_name_file_and_line() {
    let cases: &[(&str, &str, usize, &str)] = &[
        ("\"social-assistance\"", "\"jardinagem\"", 21, "jardinagem"),
        (
            "closes = \"17:00\"",
            "closes = \"07:00\"",
            15,
            "closes (07:00) is not after opens (08:00)",
        ),
        (
            "opens = \"08:00\"",
            "opens = \"8h\"",
            15,
            "expected a time like",
        ),
        (
            "\"seg\", \"ter\"",
            "\"seg\", \"terça\"",
            15,
            "unknown day \"terça\"",
        ),
        (
            "tz = \"America/Sao_Paulo\"",
            "tz = \"-03:00\"",
            1,
            "unknown time zone",
        ),
        (
            "id = \"es-teste-escuta\"",
            "id = \"outro-escuta\"",
            18,
            "must start with \"es-teste-\"",
        ),
        (
            "number = \"2731325137\"",
            "number = \"(27) 3132\"",
            1,
            "digits only",
        ),
        (
            "reviewed_on = 2026-11-24\nphones",
            "reviewed_on = \"ontem\"\nphones",
            4,
            "",
        ),
        ("uf = \"ES\"", "uf = \"XX\"", 11, "XX"),
    ];
    for (from, to, line, words) in cases {
        assert!(OFFICE.contains(from), "case {from:?} does not apply");
        check(&OFFICE.replacen(from, to, 1), *line, words);
    }
}

#[test]
fn an_overnight_interval_must_say_so() {
    let night = OFFICE.replace(
        "weekly = [{ days = [\"seg\", \"ter\"], opens = \"08:00\", closes = \"17:00\" }]",
        "weekly = [{ days = [\"sex\"], opens = \"22:00\", closes = \"02:00\", overnight = true }]",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", &night);
    esv_catalog::load_dir(dir.path()).expect("an overnight interval marked as such loads");
}

#[test]
fn duplicate_ids_and_unknown_help_services() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", OFFICE);
    write(dir.path(), "offices/es-teste-2.toml", OFFICE);
    let err = esv_catalog::load_dir(dir.path()).expect_err("duplicate");
    assert!(err.to_string().contains("already used"), "{err}");

    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", OFFICE);
    write(
        dir.path(),
        "rights/direitos-x.toml",
        "id = \"direitos-x\"\ntitle = \"X\"\ngroup = \"documents\"\nsummary = \"S\"\nreviewed_on = 2026-11-24\n\
         help_services = [\"nao-existe\"]\nbody = [\"Texto.\"]\nsources = [{ citation = \"Lei 1/2000, art. 1\" }]\n",
    );
    let err = esv_catalog::load_dir(dir.path()).expect_err("unknown service");
    assert_eq!(err.line, 6, "{err}");
    assert!(err.to_string().contains("nao-existe"), "{err}");
}

#[test]
fn a_damaged_bundle_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", OFFICE);
    let docs =
        esv_catalog::compile(&esv_catalog::load_dir(dir.path()).expect("load")).expect("compile");
    let bytes = esv_catalog::encode_bundle(&docs);
    assert_eq!(esv_catalog::decode_bundle(&bytes).expect("decode"), docs);
    for cut in [0, 4, 9, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            esv_catalog::decode_bundle(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_municipal_holiday_is_a_fixed_day_or_days_from_easter() {
    let with = |holiday: &str| {
        format!("{OFFICE}\n[[municipal_holidays]]\n{holiday}name = \"Dia\"\nsource = \"Lei municipal 1/2000\"\n")
    };
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "offices/es-teste.toml",
        &with("easter_offset = 60\n"),
    );
    let catalog = esv_catalog::load_dir(dir.path()).expect("a movable day loads");
    let office = catalog
        .entities
        .iter()
        .find_map(|e| match e {
            esv_shared::document::Entity::Office(o) => Some(o),
            _ => None,
        })
        .expect("office");
    let corpus = &office.municipal_holidays[0];
    assert_eq!(
        (corpus.easter_offset, corpus.month, corpus.day),
        (Some(60), 0, 0)
    );

    let office_lines = OFFICE.lines().count();
    for (holiday, words) in [
        (
            "month = 6\nday = 4\neaster_offset = 60\n",
            "month and day, or easter_offset alone",
        ),
        ("month = 6\n", "month and day, or easter_offset alone"),
        ("easter_offset = 400\n", "more than 100 days from Easter"),
        ("month = 4\nday = 31\n", "31/4 is not a day of the year"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "offices/es-teste.toml", &with(holiday));
        let err = esv_catalog::load_dir(dir.path()).expect_err(holiday);
        let shown = err.to_string();
        assert!(
            shown.contains("offices/es-teste.toml") && shown.contains(words),
            "{shown}"
        );
        assert!(err.line > office_lines, "the line of the holiday: {shown}");
    }
}

/// A rights article with the given `[es]` table (lines 1–8 are the Portuguese).
fn article_with(es: &str) -> String {
    format!(
        "id = \"direitos-x\"\ntitle = \"X\"\ngroup = \"documents\"\nsummary = \"S\"\n\
         reviewed_on = 2026-11-24\nbody = [\"Um.\", \"Dois.\"]\n\
         sources = [{{ citation = \"Lei 1/2000, art. 1\" }}]\n\n{es}"
    )
}

#[test]
fn a_spanish_text_is_whole_and_translates_paragraph_by_paragraph() {
    let good = "[es]\ntitle = \"X\"\nsummary = \"S\"\nbody = [\"Uno.\", \"Dos.\"]\nreviewed_on = 2026-12-01\n";
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "rights/direitos-x.toml", &article_with(good));
    let catalog = esv_catalog::load_dir(dir.path()).expect("loads");
    let esv_shared::document::Entity::RightsArticle(a) = &catalog.entities[0] else {
        panic!("an article");
    };
    let es = a.es.as_ref().expect("es");
    assert_eq!(es.body, ["Uno.", "Dos."]);
    assert_eq!(es.reviewed_on, "2026-12-01".parse().ok());

    // ([es] table, line of the error, words it must carry)
    let cases: &[(&str, usize, &str)] = &[
        (
            "[es]\ntitle = \"X\"\nsummary = \"S\"\nbody = [\"Uno y dos.\"]\n",
            9,
            "1 paragraphs and the Portuguese 2",
        ),
        (
            "[es]\ntitle = \" \"\nsummary = \"S\"\nbody = [\"Uno.\", \"Dos.\"]\n",
            9,
            "title is empty",
        ),
        (
            "[es]\ntitle = \"X\"\nsummary = \"S\"\nbody = [\"Uno.\", \"\"]\n",
            9,
            "body paragraph 2 is empty",
        ),
        (
            "[es]\ntitle = \"X\"\nsummary = \"S\"\nbody = [\"Uno.\", \"Dos.\"]\nreviewed_on = 2026-11-01\n",
            13,
            "before the Portuguese",
        ),
        (
            "[es]\ntitle = \"X\"\nbody = [\"Uno.\", \"Dos.\"]\n",
            9,
            "summary",
        ),
        (
            "[es]\ntitle = \"X\"\nsummary = \"S\"\nbody = [\"Uno.\", \"Dos.\"]\nsources = []\n",
            13,
            "sources",
        ),
    ];
    for &(es, line, words) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "rights/direitos-x.toml", &article_with(es));
        let err = esv_catalog::load_dir(dir.path()).expect_err("bad Spanish must be refused");
        let shown = err.to_string();
        assert!(shown.contains("rights/direitos-x.toml"), "{shown}");
        assert_eq!(err.line, line, "{es:?}: {shown}");
        assert!(shown.contains(words), "{shown:?} should say {words:?}");
    }

    // A service's Spanish lists as many documents to bring as its Portuguese.
    let office = OFFICE.replace("reviewed_on = 2026-11-24\n\"#", "reviewed_on = 2026-11-24")
        + "required_documents = [\"RG\"]\n\n[services.es]\nname = \"Escucha\"\n\
         description = \"Conversación.\"\naudience = \"Todos.\"\n";
    check(
        &office,
        18,
        "lists 0 required documents and the Portuguese 1",
    );
}

#[test]
fn an_office_names_its_encarregado_with_every_part() {
    let good = OFFICE.replace(
        "[hours]",
        "[data_protection]\ncontroller = \"a Secretaria de Teste\"\ndpo = \"o Encarregado\"\ndpo_contact = \"dados@teste.gov.br\"\n\n[hours]",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", &good);
    let catalog = esv_catalog::load_dir(dir.path()).expect("loads");
    let Some(esv_shared::document::Entity::Office(office)) = catalog.entities.first() else {
        panic!("an office");
    };
    assert_eq!(
        office
            .data_protection
            .as_ref()
            .map(|d| d.dpo_contact.as_str()),
        Some("dados@teste.gov.br")
    );
    let blank = good.replace("\"dados@teste.gov.br\"", "\"\"");
    check(&blank, 14, "contato do encarregado");
}

#[test]
fn an_office_lists_its_prison_units_each_once_with_a_plain_id() {
    let units = "[[prison_facilities]]\nid = \"cdp-viana\"\nname = \"Centro de Detenção Provisória de Viana\"\nmunicipality = \"Viana\"\n\n";
    let good = OFFICE.replace("[hours]", &format!("{units}[hours]"));
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", &good);
    let catalog = esv_catalog::load_dir(dir.path()).expect("loads");
    let Some(esv_shared::document::Entity::Office(office)) = catalog.entities.first() else {
        panic!("an office");
    };
    assert_eq!(office.prison_facilities.len(), 1);
    assert_eq!(office.prison_facilities[0].municipality, "Viana");
    let twice = OFFICE.replace("[hours]", &format!("{units}{units}[hours]"));
    let err = refused(&twice, "a repeated id");
    assert!(err.to_string().contains("se repete"), "{err}");
    let capitals = good.replace("\"cdp-viana\"", "\"CDP Viana\"");
    let err = refused(&capitals, "an id with capitals");
    assert!(err.to_string().contains("letras minúsculas"), "{err}");
    let unnamed = good.replace("\"Centro de Detenção Provisória de Viana\"", "\"  \"");
    let err = refused(&unnamed, "no name");
    assert!(err.to_string().contains("falta o nome"), "{err}");
}

/// What the catalog says of an office file it refuses (`why`: what the test expects wrong).
fn refused(office: &str, why: &str) -> esv_catalog::CatalogError {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "offices/es-teste.toml", office);
    esv_catalog::load_dir(dir.path()).expect_err(why)
}
