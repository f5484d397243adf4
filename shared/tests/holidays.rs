//! Holidays as tables: Easter, the national list, movable days, kinds, the state days of every
//! UF, municipal days and the merged list of a place. A new case is one line.

use chrono::NaiveDate;
use esv_shared::domain::{Holiday, HolidayKind, HolidayScope, MunicipalHoliday, Uf};
use esv_shared::holidays::{easter, for_place, municipal, national, state};

fn date(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {iso}: {e}"))
}

/// One line per holiday: "2026-04-21 feriado Tiradentes".
fn render(holidays: &[Holiday]) -> String {
    holidays
        .iter()
        .map(|h| {
            let kind = match h.kind {
                HolidayKind::Holiday => "feriado",
                HolidayKind::OptionalDay => "facultativo",
            };
            format!("{} {kind} {}", h.date, h.name)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compares a list with its expected rendering; indentation and blank lines are ignored.
fn check(holidays: &[Holiday], expected: &str) {
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let actual = render(holidays);
    assert_eq!(actual.lines().collect::<Vec<_>>(), expected, "\n{actual}");
}

/// Dates of the holidays of a list whose name is `name`.
fn dates_named(holidays: &[Holiday], name: &str) -> Vec<NaiveDate> {
    holidays
        .iter()
        .filter(|h| h.name == name)
        .map(|h| h.date)
        .collect()
}

#[test]
fn easter_sundays() {
    let cases = [
        (1818, "1818-03-22"),
        (1943, "1943-04-25"),
        (1961, "1961-04-02"),
        (2000, "2000-04-23"),
        (2008, "2008-03-23"),
        (2011, "2011-04-24"),
        (2019, "2019-04-21"),
        (2020, "2020-04-12"),
        (2021, "2021-04-04"),
        (2022, "2022-04-17"),
        (2023, "2023-04-09"),
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2028, "2028-04-16"),
        (2029, "2029-04-01"),
        (2030, "2030-04-21"),
        (2038, "2038-04-25"),
        (2285, "2285-03-22"),
    ];
    for (year, want) in cases {
        assert_eq!(easter(year), date(want), "Easter {year}");
    }
}

#[test]
fn national_2023_has_no_20_november() {
    check(
        &national(2023),
        "
        2023-01-01 feriado Confraternização Universal
        2023-02-20 facultativo Carnaval
        2023-02-21 facultativo Carnaval
        2023-02-22 facultativo Quarta-feira de Cinzas
        2023-04-07 feriado Sexta-feira Santa
        2023-04-21 feriado Tiradentes
        2023-05-01 feriado Dia do Trabalho
        2023-06-08 facultativo Corpus Christi
        2023-09-07 feriado Independência do Brasil
        2023-10-12 feriado Nossa Senhora Aparecida
        2023-10-28 facultativo Dia do Servidor Público
        2023-11-02 feriado Finados
        2023-11-15 feriado Proclamação da República
        2023-12-25 feriado Natal
        ",
    );
}

#[test]
fn national_2024_has_20_november() {
    check(
        &national(2024),
        "
        2024-01-01 feriado Confraternização Universal
        2024-02-12 facultativo Carnaval
        2024-02-13 facultativo Carnaval
        2024-02-14 facultativo Quarta-feira de Cinzas
        2024-03-29 feriado Sexta-feira Santa
        2024-04-21 feriado Tiradentes
        2024-05-01 feriado Dia do Trabalho
        2024-05-30 facultativo Corpus Christi
        2024-09-07 feriado Independência do Brasil
        2024-10-12 feriado Nossa Senhora Aparecida
        2024-10-28 facultativo Dia do Servidor Público
        2024-11-02 feriado Finados
        2024-11-15 feriado Proclamação da República
        2024-11-20 feriado Dia Nacional de Zumbi e da Consciência Negra
        2024-12-25 feriado Natal
        ",
    );
}

#[test]
fn national_2026_has_20_november() {
    check(
        &national(2026),
        "
        2026-01-01 feriado Confraternização Universal
        2026-02-16 facultativo Carnaval
        2026-02-17 facultativo Carnaval
        2026-02-18 facultativo Quarta-feira de Cinzas
        2026-04-03 feriado Sexta-feira Santa
        2026-04-21 feriado Tiradentes
        2026-05-01 feriado Dia do Trabalho
        2026-06-04 facultativo Corpus Christi
        2026-09-07 feriado Independência do Brasil
        2026-10-12 feriado Nossa Senhora Aparecida
        2026-10-28 facultativo Dia do Servidor Público
        2026-11-02 feriado Finados
        2026-11-15 feriado Proclamação da República
        2026-11-20 feriado Dia Nacional de Zumbi e da Consciência Negra
        2026-12-25 feriado Natal
        ",
    );
}

#[test]
fn national_days_follow_their_laws() {
    // (year, name, present)
    let cases = [
        (1979, "Nossa Senhora Aparecida", false),
        (1980, "Nossa Senhora Aparecida", true),
        (2023, "Dia Nacional de Zumbi e da Consciência Negra", false),
        (2024, "Dia Nacional de Zumbi e da Consciência Negra", true),
        (2030, "Dia Nacional de Zumbi e da Consciência Negra", true),
    ];
    for (year, name, present) in cases {
        assert_eq!(
            !dates_named(&national(year), name).is_empty(),
            present,
            "{name} in {year}"
        );
    }
}

#[test]
fn movable_days() {
    // (year, name, dates)
    let cases: &[(i32, &str, &[&str])] = &[
        (2025, "Carnaval", &["2025-03-03", "2025-03-04"]),
        (2025, "Quarta-feira de Cinzas", &["2025-03-05"]),
        (2025, "Sexta-feira Santa", &["2025-04-18"]),
        (2025, "Corpus Christi", &["2025-06-19"]),
        (2026, "Carnaval", &["2026-02-16", "2026-02-17"]),
        (2026, "Quarta-feira de Cinzas", &["2026-02-18"]),
        (2026, "Sexta-feira Santa", &["2026-04-03"]),
        (2026, "Corpus Christi", &["2026-06-04"]),
        (2027, "Carnaval", &["2027-02-08", "2027-02-09"]),
        (2027, "Quarta-feira de Cinzas", &["2027-02-10"]),
        (2027, "Sexta-feira Santa", &["2027-03-26"]),
        (2027, "Corpus Christi", &["2027-05-27"]),
    ];
    for (year, name, want) in cases {
        let want: Vec<NaiveDate> = want.iter().map(|iso| date(iso)).collect();
        assert_eq!(dates_named(&national(*year), name), want, "{name} {year}");
    }
}

#[test]
fn kinds() {
    let cases = [
        ("Confraternização Universal", HolidayKind::Holiday),
        ("Tiradentes", HolidayKind::Holiday),
        ("Sexta-feira Santa", HolidayKind::Holiday),
        ("Nossa Senhora Aparecida", HolidayKind::Holiday),
        (
            "Dia Nacional de Zumbi e da Consciência Negra",
            HolidayKind::Holiday,
        ),
        ("Carnaval", HolidayKind::OptionalDay),
        ("Quarta-feira de Cinzas", HolidayKind::OptionalDay),
        ("Corpus Christi", HolidayKind::OptionalDay),
        ("Dia do Servidor Público", HolidayKind::OptionalDay),
    ];
    let list = national(2026);
    for (name, want) in cases {
        let found: Vec<&Holiday> = list.iter().filter(|h| h.name == name).collect();
        assert!(!found.is_empty(), "{name} missing");
        for holiday in found {
            assert_eq!(holiday.kind, want, "{name}");
        }
    }
}

#[test]
fn national_entries_are_national_and_cite_a_law() {
    for year in [1990, 2023, 2024, 2026, 2100] {
        for holiday in national(year) {
            assert_eq!(holiday.scope, HolidayScope::National, "{holiday:?}");
            assert!(!holiday.source.trim().is_empty(), "{holiday:?}");
        }
    }
    let sources = [
        ("Tiradentes", "Lei 662/1949"),
        ("Nossa Senhora Aparecida", "Lei 6.802/1980"),
        (
            "Dia Nacional de Zumbi e da Consciência Negra",
            "Lei 14.759/2023",
        ),
        ("Sexta-feira Santa", "Lei 9.093/1995, art. 2º"),
        ("Dia do Servidor Público", "Lei 8.112/1990, art. 236"),
        ("Corpus Christi", "Portaria"),
    ];
    let list = national(2026);
    for (name, cites) in sources {
        let holiday = list
            .iter()
            .find(|h| h.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert!(holiday.source.contains(cites), "{name}: {}", holiday.source);
    }
}

#[test]
fn every_uf_has_state_holidays_with_sources() {
    for uf in Uf::ALL {
        let mut count = 0;
        for year in 2000..=2030 {
            for holiday in state(year, uf) {
                count += 1;
                assert_eq!(holiday.scope, HolidayScope::State(uf), "{holiday:?}");
                assert_eq!(holiday.kind, HolidayKind::Holiday, "{holiday:?}");
                assert!(!holiday.source.trim().is_empty(), "{holiday:?}");
                assert!(!holiday.name.trim().is_empty(), "{holiday:?}");
            }
        }
        assert!(count > 0, "{uf:?} has no state holiday in 2000–2030");
    }
}

#[test]
fn state_holidays_in_2026() {
    // PR revoked its only state holiday in 2014; MT's was 20 November, national since 2024.
    let without = [Uf::MT, Uf::PR];
    for uf in Uf::ALL {
        let list = state(2026, uf);
        assert_eq!(
            list.is_empty(),
            without.contains(&uf),
            "{uf:?}: {}",
            render(&list)
        );
    }
}

#[test]
fn state_days() {
    // (uf, year, name, date): the day is a state holiday on that date.
    let cases = [
        (
            Uf::SP,
            2026,
            "Revolução Constitucionalista de 1932",
            "2026-07-09",
        ),
        (Uf::RS, 2026, "Revolução Farroupilha", "2026-09-20"),
        (Uf::ES, 2025, "Nossa Senhora da Penha", "2025-04-28"),
        (Uf::ES, 2026, "Nossa Senhora da Penha", "2026-04-13"),
        (Uf::ES, 2027, "Nossa Senhora da Penha", "2027-04-05"),
        (Uf::RJ, 2026, "Carnaval", "2026-02-17"),
        (Uf::RJ, 2026, "São Jorge", "2026-04-23"),
        (Uf::RJ, 2023, "Dia da Consciência Negra", "2023-11-20"),
        (Uf::MG, 2026, "Data Magna de Minas Gerais", "2026-04-21"),
        (Uf::DF, 2026, "Dia do Evangélico", "2026-11-30"),
        (Uf::BA, 2026, "Independência da Bahia", "2026-07-02"),
        (
            Uf::PE,
            2017,
            "Revolução Pernambucana de 1817 (Data Magna)",
            "2017-03-05",
        ),
        (
            Uf::PE,
            2018,
            "Revolução Pernambucana de 1817 (Data Magna)",
            "2018-03-06",
        ),
        (Uf::PR, 2013, "Emancipação Política do Paraná", "2013-12-19"),
        (Uf::PB, 2026, "Fundação do Estado da Paraíba", "2026-08-05"),
        (Uf::CE, 2026, "Data Magna do Ceará", "2026-03-25"),
        (Uf::RN, 2026, "Mártires de Cunhaú e Uruaçu", "2026-10-03"),
        (Uf::RO, 2026, "Criação do Estado de Rondônia", "2026-01-04"),
        (Uf::GO, 2026, "Fundação da Cidade de Goiás", "2026-07-26"),
        (Uf::TO, 2025, "Senhor do Bonfim", "2025-08-15"),
        (Uf::MT, 2023, "Dia da Consciência Negra", "2023-11-20"),
        (Uf::MS, 2016, "Dia da Consciência Negra", "2016-11-20"),
        (
            Uf::PA,
            1997,
            "Adesão do Pará à Independência do Brasil",
            "1997-08-15",
        ),
        // SC: 11 August is kept on the following Sunday (a Tuesday in 2026).
        (
            Uf::SC,
            2026,
            "Dia de Santa Catarina (Data Magna)",
            "2026-08-16",
        ),
        // AC: Tuesday to Thursday move to the Friday (Lei 2.126/2009); Monday stays.
        (Uf::AC, 2023, "Dia Internacional da Mulher", "2023-03-10"),
        (Uf::AC, 2023, "Dia da Amazônia", "2023-09-08"),
        (
            Uf::AC,
            2020,
            "Assinatura do Tratado de Petrópolis",
            "2020-11-20",
        ),
        (Uf::AC, 2023, "Dia do Evangélico", "2023-01-23"),
        (Uf::AC, 2008, "Dia do Evangélico", "2008-01-23"),
        (Uf::AC, 2026, "Aniversário do Acre", "2026-06-15"),
        // AL: Tuesday to the Monday before, Thursday to the Friday after (Lei 7.530/2013).
        (Uf::AL, 2023, "Dia do Evangélico", "2023-12-01"),
        (Uf::AL, 2027, "Dia do Evangélico", "2027-11-29"),
        (Uf::AL, 2022, "Dia do Evangélico", "2022-11-30"),
    ];
    for (uf, year, name, want) in cases {
        assert_eq!(
            dates_named(&state(year, uf), name),
            [date(want)],
            "{uf:?} {name} {year}"
        );
    }
}

#[test]
fn state_days_out_of_force() {
    // (uf, year, name): not a state holiday that year.
    let cases = [
        (Uf::ES, 2019, "Nossa Senhora da Penha"),
        (Uf::PR, 2014, "Emancipação Política do Paraná"),
        (Uf::SP, 1996, "Revolução Constitucionalista de 1932"),
        (Uf::RJ, 2024, "Dia da Consciência Negra"),
        (Uf::MT, 2024, "Dia da Consciência Negra"),
        (Uf::AL, 2024, "Dia da Consciência Negra"),
        (Uf::AP, 2019, "São Tiago"),
        (Uf::TO, 2024, "Senhor do Bonfim"),
        (Uf::TO, 2009, "Dia da Autonomia do Tocantins"),
        (Uf::RJ, 2008, "Carnaval"),
        // MS: Lei 3.958/2010 revoked by Lei 5.049 of 22 August 2017.
        (Uf::MS, 2017, "Dia da Consciência Negra"),
        (Uf::MS, 2009, "Dia da Consciência Negra"),
        // PA: Lei 5.999 of 10 September 1996.
        (Uf::PA, 1996, "Adesão do Pará à Independência do Brasil"),
    ];
    for (uf, year, name) in cases {
        assert_eq!(
            dates_named(&state(year, uf), name),
            [],
            "{uf:?} {name} {year}"
        );
    }
}

#[test]
fn municipal_days() {
    let listed = [
        MunicipalHoliday {
            month: 2,
            day: 29,
            name: "Dia bissexto".into(),
            source: "Lei municipal 1/2000".into(),
            easter_offset: None,
        },
        MunicipalHoliday {
            month: 4,
            day: 31,
            name: "Dia que não existe".into(),
            source: "Erro de digitação".into(),
            easter_offset: None,
        },
        MunicipalHoliday {
            month: 1,
            day: 25,
            name: "Aniversário da Cidade".into(),
            source: "Lei municipal 7.008/1967".into(),
            easter_offset: None,
        },
    ];
    // (year, expected rendering)
    let cases = [
        (
            2024,
            "2024-01-25 feriado Aniversário da Cidade\n2024-02-29 feriado Dia bissexto",
        ),
        (2025, "2025-01-25 feriado Aniversário da Cidade"),
        (2100, "2100-01-25 feriado Aniversário da Cidade"),
        (
            2000,
            "2000-01-25 feriado Aniversário da Cidade\n2000-02-29 feriado Dia bissexto",
        ),
    ];
    for (year, want) in cases {
        let list = municipal(year, 3550308, &listed);
        check(&list, want);
        for holiday in &list {
            assert_eq!(holiday.scope, HolidayScope::Municipal(3550308));
            assert!(holiday.source.starts_with("Lei municipal"), "{holiday:?}");
        }
    }
    assert!(municipal(2026, 3550308, &[]).is_empty());
}

#[test]
fn vitoria_es_2026() {
    // The office's city as the catalog lists it (catalog/data/offices/es-vitoria.toml).
    let vitoria = [
        MunicipalHoliday {
            month: 9,
            day: 8,
            name: "Nossa Senhora da Vitória".into(),
            source: "Lei municipal de Vitória 1.732/1967".into(),
            easter_offset: None,
        },
        MunicipalHoliday {
            month: 0,
            day: 0,
            name: "Corpus Christi".into(),
            source: "Lei municipal de Vitória 1.732/1967".into(),
            easter_offset: Some(60),
        },
    ];
    let all = for_place(2026, Some(Uf::ES), Some((3205309, &vitoria)));
    let penha = all.iter().find(|h| h.name == "Nossa Senhora da Penha");
    assert_eq!(
        penha.map(|h| (h.date, h.scope.clone())),
        Some((date("2026-04-13"), HolidayScope::State(Uf::ES)))
    );
    let padroeira = all.iter().find(|h| h.name == "Nossa Senhora da Vitória");
    assert_eq!(
        padroeira.map(|h| (h.date, h.kind, h.scope.clone())),
        Some((
            date("2026-09-08"),
            HolidayKind::Holiday,
            HolidayScope::Municipal(3205309)
        ))
    );
    // Corpus Christi, movable, is a municipal holiday in Vitória by the same law: a holiday
    // there, beside the federal ponto facultativo of the same day.
    let corpus: Vec<_> = all
        .iter()
        .filter(|h| h.name == "Corpus Christi")
        .map(|h| (h.date, h.kind, h.scope.clone()))
        .collect();
    assert!(
        corpus.contains(&(
            date("2026-06-04"),
            HolidayKind::Holiday,
            HolidayScope::Municipal(3205309)
        )),
        "{corpus:?}"
    );
}

#[test]
fn a_movable_municipal_day_follows_easter_and_an_old_app_skips_it() {
    let corpus = [MunicipalHoliday {
        month: 0,
        day: 0,
        name: "Corpus Christi".into(),
        source: "Lei municipal de Vitória 1.732/1967".into(),
        easter_offset: Some(60),
    }];
    for (year, want) in [
        (2025, "2025-06-19"),
        (2026, "2026-06-04"),
        (2027, "2027-05-27"),
    ] {
        let days: Vec<_> = municipal(year, 3205309, &corpus)
            .into_iter()
            .map(|h| h.date)
            .collect();
        assert_eq!(days, [date(want)], "{year}");
    }
    // What an app from before `easter_offset` reads: day 0 of month 0, no day of the year.
    let as_old_app_reads = [MunicipalHoliday {
        easter_offset: None,
        ..corpus[0].clone()
    }];
    assert!(municipal(2026, 3205309, &as_old_app_reads).is_empty());
}

#[test]
fn for_place_merges_and_sorts() {
    let sao_paulo = [
        MunicipalHoliday {
            month: 11,
            day: 20,
            name: "Consciência Negra".into(),
            source: "Lei municipal 13.707/2004".into(),
            easter_offset: None,
        },
        MunicipalHoliday {
            month: 1,
            day: 25,
            name: "Aniversário da Cidade de São Paulo".into(),
            source: "Lei municipal 7.008/1967".into(),
            easter_offset: None,
        },
    ];
    check(
        &for_place(2026, Some(Uf::SP), Some((3550308, &sao_paulo))),
        "
        2026-01-01 feriado Confraternização Universal
        2026-01-25 feriado Aniversário da Cidade de São Paulo
        2026-02-16 facultativo Carnaval
        2026-02-17 facultativo Carnaval
        2026-02-18 facultativo Quarta-feira de Cinzas
        2026-04-03 feriado Sexta-feira Santa
        2026-04-21 feriado Tiradentes
        2026-05-01 feriado Dia do Trabalho
        2026-06-04 facultativo Corpus Christi
        2026-07-09 feriado Revolução Constitucionalista de 1932
        2026-09-07 feriado Independência do Brasil
        2026-10-12 feriado Nossa Senhora Aparecida
        2026-10-28 facultativo Dia do Servidor Público
        2026-11-02 feriado Finados
        2026-11-15 feriado Proclamação da República
        2026-11-20 feriado Consciência Negra
        2026-11-20 feriado Dia Nacional de Zumbi e da Consciência Negra
        2026-12-25 feriado Natal
        ",
    );
}

#[test]
fn for_place_keeps_same_day_entries() {
    // (year, uf, date, names on that date in order)
    let cases: &[(i32, Uf, &str, &[&str])] = &[
        (
            2026,
            Uf::MG,
            "2026-04-21",
            &["Data Magna de Minas Gerais", "Tiradentes"],
        ),
        (
            2026,
            Uf::DF,
            "2026-04-21",
            &["Fundação de Brasília", "Tiradentes"],
        ),
        (2026, Uf::RJ, "2026-02-17", &["Carnaval", "Carnaval"]),
        (
            2026,
            Uf::TO,
            "2026-10-05",
            &["Criação do Estado do Tocantins"],
        ),
    ];
    for (year, uf, on, want) in cases {
        let names: Vec<String> = for_place(*year, Some(*uf), None)
            .into_iter()
            .filter(|h| h.date == date(on))
            .map(|h| h.name)
            .collect();
        assert_eq!(names, *want, "{uf:?} {on}");
    }
}

#[test]
fn for_place_is_sorted_and_complete() {
    for uf in Uf::ALL {
        for year in [2013, 2023, 2026] {
            let all = for_place(year, Some(uf), None);
            assert!(
                all.windows(2)
                    .all(|w| (w[0].date, &w[0].name) <= (w[1].date, &w[1].name)),
                "{uf:?} {year}: {}",
                render(&all)
            );
            assert_eq!(
                all.len(),
                national(year).len() + state(year, uf).len(),
                "{uf:?} {year}"
            );
        }
    }
    assert_eq!(for_place(2026, None, None), national(2026));
}
