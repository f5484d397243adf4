//! State holidays (feriados estaduais) of the 27 UFs, as one table: the day, the years the law
//! was in force, any rule that moves the day, and the legal source.
//!
//! Federal law lets a state declare one civil holiday, its data magna (Lei 9.093/1995, art. 1º,
//! II); several states declare more, and those laws stand until revoked or struck down, so they
//! are listed too. Only feriados are listed, never commemorative dates or the pontos
//! facultativos a governor decrees each year.
//!
//! The state "Consciência Negra" days end in 2023: from 2024, 20 November is a national holiday
//! (Lei 14.759/2023) and the states list it as such.
//!
//! Where a law's number is not certain, the source says only what is (for example "lei estadual
//! da BA") and a `TODO(review)` marks it. Known absences, for a reviewer:
//! - PR has had no state holiday since Lei 18.384/2014 revoked 19 December.
//! - MT's only state holiday was 20 November (2003–2023).
//! - CE: 19 March (São José) is a municipal holiday in Fortaleza and a ponto facultativo for the
//!   state, not a state holiday.
//! - PE: 24 June (São João) is municipal (Recife) and a ponto facultativo for the state.
//! - RN: 7 August (Lei 7.831/2000) is commemorative only.
//! - PI: 13 March (Batalha do Jenipapo) is commemorative only.
//! - SC: 25 November (Santa Catarina de Alexandria) was still only a bill in early 2026.
//! - CE: 15 August and GO: 24 October are municipal holidays (Fortaleza, Lei municipal
//!   8.796/2003; Goiânia), not state ones.
//! - TO: 18 March stopped being a holiday in 2009 (Lei 2.013/2009).
//!
//! `tests/holidays_pypi.rs` compares this table with the `holidays` package from PyPI and lists,
//! with the law, every day where the two differ (`tests/data/holidays_disagreements.csv`).

use chrono::{Datelike, NaiveDate, Weekday};

use super::{first_sunday_of, fixed, friday_of_week, from_easter, sunday_on_or_after};
use crate::domain::{Holiday, HolidayKind, HolidayScope, Uf};
use Moved::{AcreToFriday, AlagoasBridge};
use When::{Easter, FirstSundayOf, Fixed, SundayFrom};

/// How a state day falls in a year.
#[derive(Debug, Clone, Copy)]
enum When {
    /// The same month and day every year.
    Fixed(u32, u32),
    /// Days counted from Easter Sunday.
    Easter(i64),
    /// The first Sunday on or after a month and day (a day "comemorado no domingo seguinte").
    SundayFrom(u32, u32),
    /// The first Sunday of a month.
    FirstSundayOf(u32),
}

/// A rule in the state law that moves the day when it falls mid-week.
#[derive(Debug, Clone, Copy)]
enum Moved {
    Never,
    /// AC, Lei estadual 2.126/2009 (19 June 2009): a state holiday that falls on a Tuesday,
    /// Wednesday or Thursday is kept on the Friday of that week (15 June and 6 August excepted,
    /// which simply use `Never`). The annual calendar decree applies the law and sometimes
    /// departs from this reading (2021: 17 November, a Wednesday, kept on Tuesday 16; 2022: 17
    /// November kept on Monday 14; 2026: 20 January kept on Thursday 22); such a year needs a
    /// closure entered by staff. TODO(review): the law's text was not found. A Monday is kept
    /// in place by the calendars of 2021 (8 March) and 2023 (23 January), but the one of 2020
    /// moved 20 January, a Monday, to Friday 24; press summaries of the law say "segunda a
    /// quinta" (2012) and "demais dias úteis" (2021).
    AcreToFriday,
    /// AL, Lei estadual 7.530/2013, parágrafo único: a Tuesday is kept on the Monday before, a
    /// Thursday on the Friday after.
    AlagoasBridge,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
struct StateDay {
    uf: Uf,
    name: &'static str,
    when: When,
    /// First and last year the day was a holiday, inclusive.
    from: i32,
    until: i32,
    moved: Moved,
    source: &'static str,
}

/// A day in force every year, not moved; narrow it with `since`, `until` and `moved`.
const fn day(uf: Uf, name: &'static str, when: When, source: &'static str) -> StateDay {
    StateDay {
        uf,
        name,
        when,
        from: i32::MIN,
        until: i32::MAX,
        moved: Moved::Never,
        source,
    }
}

impl StateDay {
    const fn since(self, from: i32) -> StateDay {
        StateDay { from, ..self }
    }

    const fn until(self, until: i32) -> StateDay {
        StateDay { until, ..self }
    }

    const fn moved(self, moved: Moved) -> StateDay {
        StateDay { moved, ..self }
    }

    fn date(&self, year: i32) -> Option<NaiveDate> {
        let date = match self.when {
            When::Fixed(month, day) => fixed(year, month, day)?,
            When::Easter(days) => from_easter(year, days)?,
            When::SundayFrom(month, day) => sunday_on_or_after(fixed(year, month, day)?)?,
            When::FirstSundayOf(month) => first_sunday_of(year, month)?,
        };
        match self.moved {
            Moved::Never => Some(date),
            Moved::AcreToFriday => {
                let in_force = fixed(2009, 6, 19).is_some_and(|enacted| date > enacted);
                let midweek = matches!(date.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu);
                if in_force && midweek {
                    friday_of_week(date)
                } else {
                    Some(date)
                }
            }
            Moved::AlagoasBridge => match date.weekday() {
                Weekday::Tue => date.pred_opt(),
                Weekday::Thu => date.succ_opt(),
                _ => Some(date),
            },
        }
    }
}

/// Every state holiday, grouped by UF in alphabetical order of the UF's code.
#[rustfmt::skip]
const STATE_DAYS: &[StateDay] = &[
    // Acre. Laws as the state calendar decrees cite them (Decreto 5.021/2020 for 2020; the
    // municipal calendars of Acrelândia 2023 and Mâncio Lima 2024 copy the state's citations).
    // Dia do Católico: the law was sanctioned in June 2016, so 20 January 2017 is its first.
    day(Uf::AC, "Dia do Católico", Fixed(1, 20),
        "Lei estadual do AC 3.137/2016; às terças, quartas e quintas é comemorado na sexta-feira \
         (Lei estadual 2.126/2009)").since(2017).moved(AcreToFriday),
    day(Uf::AC, "Dia do Evangélico", Fixed(1, 23),
        "Lei estadual do AC 1.538/2004; às terças, quartas e quintas é comemorado na sexta-feira \
         (Lei estadual 2.126/2009)").since(2005).moved(AcreToFriday),
    day(Uf::AC, "Dia Internacional da Mulher", Fixed(3, 8),
        "Lei estadual do AC 1.411/2001; às terças, quartas e quintas é comemorado na sexta-feira \
         (Lei estadual 2.126/2009)").since(2002).moved(AcreToFriday),
    day(Uf::AC, "Aniversário do Acre", Fixed(6, 15),
        "Lei estadual do AC 14/1964"),
    // TODO(review): no law making 6 August a holiday was found. The state's calendar decrees of
    // 2019, 2021 (Decreto 7.613/2020) and 2025 (Decreto 11.610/2024) list it as ponto
    // facultativo, while the government said in August 2019 that it is a state holiday that Lei
    // 2.126/2009 never moves. Kept as a holiday: state offices close either way.
    day(Uf::AC, "Revolução Acreana", Fixed(8, 6),
        "Lei estadual do AC (feriado não transferido, Lei estadual 2.126/2009)"),
    day(Uf::AC, "Dia da Amazônia", Fixed(9, 5),
        "Lei estadual do AC 243/1968; às terças, quartas e quintas é comemorado na sexta-feira (Lei \
         estadual 2.126/2009)").moved(AcreToFriday),
    day(Uf::AC, "Assinatura do Tratado de Petrópolis", Fixed(11, 17),
        "Lei estadual do AC 57/1965; às terças, quartas e quintas é comemorado na sexta-feira \
         (Lei estadual 2.126/2009)").moved(AcreToFriday),

    // Alagoas. TODO(review): the laws of São João, São Pedro and 20 November were not found;
    // the state's calendar decrees list the three as feriados estaduais (Decreto 37.152/2014
    // for 2015, Decreto 68.782/2019 for 2020), and in 2021 the government confirmed São João as
    // a holiday (Decreto 74.744/2021).
    day(Uf::AL, "São João", Fixed(6, 24),
        "Lei estadual de AL; listado como feriado estadual nos decretos anuais de feriados"),
    day(Uf::AL, "São Pedro", Fixed(6, 29),
        "Lei estadual de AL; listado como feriado estadual nos decretos anuais de feriados"),
    day(Uf::AL, "Emancipação Política de Alagoas", Fixed(9, 16),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual de AL"),
    day(Uf::AL, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual de AL; nacional desde 2024 (Lei 14.759/2023)").until(2023),
    day(Uf::AL, "Dia do Evangélico", Fixed(11, 30),
        "Lei estadual de AL 7.530/2013, art. 1º e parágrafo único (terça antecipada para \
         segunda, quinta adiada para sexta)").since(2013).moved(AlagoasBridge),

    // Amapá. TODO(review): the law of São José (19 March) was not found.
    day(Uf::AP, "São José", Fixed(3, 19), "Lei estadual do AP (São José, padroeiro do estado)"),
    day(Uf::AP, "São Tiago", Fixed(7, 25),
        "Lei estadual do AP 1.696/2012, declarada inconstitucional pelo STF em 2018")
        .since(2012).until(2018),
    day(Uf::AP, "Criação do Território Federal do Amapá", Fixed(9, 13),
        "Constituição do Estado do Amapá, art. 355 (data magna do estado; Lei 9.093/1995, art. \
         1º, II)"),
    day(Uf::AP, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do AP 1.169/2007; nacional desde 2024 (Lei 14.759/2023)")
        .since(2008).until(2023),

    // Amazonas. TODO(review): neither law was found (the state moved 5 September 2023 to Friday
    // 8 by decree); 20 November is listed as an AM state holiday in 2017 press summaries.
    day(Uf::AM, "Elevação do Amazonas à Categoria de Província", Fixed(9, 5),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do AM"),
    day(Uf::AM, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do AM; nacional desde 2024 (Lei 14.759/2023)").since(2010).until(2023),

    // Bahia. TODO(review): cite the state law or the article of the state constitution (not
    // found; in 2020 a state law moved it to 26 May for the pandemic).
    day(Uf::BA, "Independência da Bahia", Fixed(7, 2),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual da BA"),

    // Ceará: fixed by an amendment to the state constitution, not a law. TODO(review): the
    // amendment's number was not found. 19 March and 15 August are municipal (Fortaleza).
    day(Uf::CE, "Data Magna do Ceará", Fixed(3, 25),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada por emenda à Constituição \
         do Estado do Ceará que alterou o art. 18, publicada no DOE de 6/12/2011 (abolição da \
         escravidão no Ceará, 1884)").since(2012),

    // Distrito Federal. TODO(review): the act that makes 21 April (founding of Brasília) a
    // district holiday was not found; it falls on Tiradentes, so no day changes.
    day(Uf::DF, "Fundação de Brasília", Fixed(4, 21), "Lei distrital (fundação de Brasília)"),
    day(Uf::DF, "Dia do Evangélico", Fixed(11, 30),
        "Lei distrital 963, de 4/12/1995 (feriado distrital)").since(1996),

    // Espírito Santo: the Monday eight days after Easter.
    day(Uf::ES, "Nossa Senhora da Penha", Easter(8),
        "Lei estadual do ES 11.010/2019 (data magna do estado: segunda-feira, oito dias após o \
         domingo de Páscoa)").since(2020),

    // Goiás: a holiday of the state civil service, which the governor sometimes moves by decree.
    // TODO(review): years before 2020 (previous statute of the state civil service).
    day(Uf::GO, "Fundação da Cidade de Goiás", Fixed(7, 26),
        "Lei estadual de GO 20.756/2020 (estatuto dos servidores), art. 269, II, a: feriado nas \
         repartições estaduais").since(2020),

    // Maranhão.
    day(Uf::MA, "Adesão do Maranhão à Independência do Brasil", Fixed(7, 28),
        "Lei estadual do MA 2.457/1964 (data magna do estado; Lei 9.093/1995, art. 1º, II)"),

    // Mato Grosso.
    day(Uf::MT, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do MT 7.879/2002; nacional desde 2024 (Lei 14.759/2023)")
        .since(2003).until(2023),

    // Mato Grosso do Sul. 20 November: Lei 3.958 of 31 August 2010, revoked by Lei 5.049 of 22
    // August 2017, so last kept in 2016.
    day(Uf::MS, "Criação do Estado de Mato Grosso do Sul", Fixed(10, 11),
        "Lei estadual do MS 10, de 29/10/1979, art. 1º (data magna do estado)"),
    day(Uf::MS, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do MS 3.958/2010, revogada pela Lei estadual 5.049/2017")
        .since(2010).until(2016),

    // Minas Gerais: the data magna falls on Tiradentes.
    day(Uf::MG, "Data Magna de Minas Gerais", Fixed(4, 21),
        "Constituição do Estado de Minas Gerais, art. 256, I (redação da Emenda à Constituição \
         89/2011; data magna do estado)"),

    // Pará: the law is of 10 September 1996, so 15 August 1997 is its first.
    day(Uf::PA, "Adesão do Pará à Independência do Brasil", Fixed(8, 15),
        "Lei estadual do PA 5.999/1996 (data magna do estado; Lei 9.093/1995, art. 1º, II)")
        .since(1997),

    // Paraíba: before Lei 10.601/2015 (which revoked art. 2º of Lei 3.489/1967) 5 August was a
    // holiday of João Pessoa only.
    day(Uf::PB, "Fundação do Estado da Paraíba", Fixed(8, 5),
        "Lei estadual da PB 10.601/2015, art. 1º (data magna do estado)").since(2016),

    // Pernambuco: the first Sunday of March until 2017, 6 March since.
    day(Uf::PE, "Revolução Pernambucana de 1817 (Data Magna)", FirstSundayOf(3),
        "Lei estadual de PE 13.386/2007 (data magna no primeiro domingo de março)")
        .since(2008).until(2017),
    day(Uf::PE, "Revolução Pernambucana de 1817 (Data Magna)", Fixed(3, 6),
        "Lei estadual de PE 16.059/2017, consolidada na Lei estadual 16.241/2017 (data magna \
         do estado)").since(2018),

    // Piauí. TODO(review): Lei 176/1937 was not confirmed by any source found.
    day(Uf::PI, "Dia do Piauí", Fixed(10, 19),
        "Lei estadual do PI 176/1937 (data magna do estado)"),

    // Paraná: revoked on 17 December 2014, two days before it fell.
    day(Uf::PR, "Emancipação Política do Paraná", Fixed(12, 19),
        "Lei estadual do PR 4.658/1962, revogada pela Lei estadual 18.384/2014").until(2013),

    // Rio de Janeiro. Lei 4.007 of 11 November 2002, upheld by the state court in October 2003.
    day(Uf::RJ, "Carnaval", Easter(-47),
        "Lei estadual do RJ 5.243/2008 (terça-feira de Carnaval)").since(2009),
    day(Uf::RJ, "São Jorge", Fixed(4, 23), "Lei estadual do RJ 5.198/2008").since(2008),
    day(Uf::RJ, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do RJ 4.007/2002; nacional desde 2024 (Lei 14.759/2023)")
        .since(2002).until(2023),

    // Rio Grande do Norte.
    day(Uf::RN, "Mártires de Cunhaú e Uruaçu", Fixed(10, 3),
        "Lei estadual do RN 8.913/2006").since(2007),

    // Rio Grande do Sul. Lei 4.850/1964 only makes 14–20 September the Semana Farroupilha (its
    // art. 1º); the holiday is the data magna of the state constitution of 1989.
    // TODO(review): cite the article of the state constitution (not found).
    day(Uf::RS, "Revolução Farroupilha", Fixed(9, 20),
        "Constituição do Estado do Rio Grande do Sul (20 de setembro, data magna do estado; Lei \
         9.093/1995, art. 1º, II)"),

    // Rondônia.
    day(Uf::RO, "Criação do Estado de Rondônia", Fixed(1, 4),
        "Lei estadual de RO 2.291/2010, art. 1º (data magna do estado; antes, Decreto-Lei \
         estadual 39/1982)"),
    day(Uf::RO, "Dia do Evangélico", Fixed(6, 18),
        "Lei estadual de RO 1.026/2001, art. 1º").since(2002),

    // Roraima. TODO(review): cite the state law.
    day(Uf::RR, "Criação do Estado de Roraima", Fixed(10, 5),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual de RR"),

    // Santa Catarina: 11 August, kept on the following Sunday "conforme previsão legal" (state
    // calendar of 2017). The calendar decrees cite Lei 10.306/1996 as amended by Lei
    // 11.213/1999 (Decreto 14/2003) and Lei 17.335/2017 (Decreto 432/2020). 25 November was
    // only a bill (sent in February 2026), not a holiday.
    // TODO(review): the article with the Sunday rule and 2005 as its first year are unverified.
    day(Uf::SC, "Dia de Santa Catarina (Data Magna)", SundayFrom(8, 11),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), comemorada no domingo seguinte a \
         11 de agosto: Lei estadual de SC 10.306/1996 (redação da Lei 11.213/1999), consolidada \
         na Lei estadual 17.335/2017").since(2005),

    // São Paulo.
    day(Uf::SP, "Revolução Constitucionalista de 1932", Fixed(7, 9),
        "Lei estadual de SP 9.497/1997, art. 1º (data magna do estado)").since(1997),

    // Sergipe. TODO(review): cite the state law.
    day(Uf::SE, "Emancipação Política de Sergipe", Fixed(7, 8),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual de SE"),

    // Tocantins. 18 March: Lei 2.013/2009 rewrote the paragraph of Lei 960/1998 that made it a
    // holiday. TODO(review): the laws of 8 September and 5 October were not found (both are kept
    // as state holidays by the state, e.g. 2025).
    day(Uf::TO, "Dia da Autonomia do Tocantins", Fixed(3, 18),
        "Lei estadual do TO 960/1998, feriado revogado pela Lei estadual 2.013/2009")
        .since(1998).until(2008),
    day(Uf::TO, "Senhor do Bonfim", Fixed(8, 15), "Lei estadual do TO 4.509/2024").since(2025),
    day(Uf::TO, "Nossa Senhora da Natividade", Fixed(9, 8),
        "Lei estadual do TO (padroeira do estado)"),
    day(Uf::TO, "Criação do Estado do Tocantins", Fixed(10, 5),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do TO"),
];

/// Unsorted; the public `holidays::state` sorts.
pub(super) fn state(year: i32, uf: Uf) -> Vec<Holiday> {
    STATE_DAYS
        .iter()
        .filter(|row| row.uf == uf && (row.from..=row.until).contains(&year))
        .filter_map(|row| {
            Some(Holiday {
                date: row.date(year)?,
                name: row.name.into(),
                kind: HolidayKind::Holiday,
                scope: HolidayScope::State(uf),
                source: row.source.into(),
            })
        })
        .collect()
}
