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
    /// which simply use `Never`). TODO(review): confirm that a Monday is not moved; the state
    /// calendars of 2023 keep 23 January (a Monday) in place.
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
    // Acre.
    // TODO(review): confirm Lei 3.137/2016 and the year it took effect (2017 assumed).
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
    // TODO(review): confirm the law that makes 6 August a holiday; Lei 2.126/2009 names it as a
    // state holiday that is never moved, but some municipal calendars call it ponto facultativo.
    day(Uf::AC, "Revolução Acreana", Fixed(8, 6),
        "Lei estadual do AC (feriado não transferido, Lei estadual 2.126/2009)"),
    // TODO(review): confirm the law number (calendars cite Lei 243/1968) and the first year.
    day(Uf::AC, "Dia da Amazônia", Fixed(9, 5),
        "Lei estadual do AC; às terças, quartas e quintas é comemorado na sexta-feira (Lei \
         estadual 2.126/2009)").moved(AcreToFriday),
    // TODO(review): confirm Lei 57/1965.
    day(Uf::AC, "Assinatura do Tratado de Petrópolis", Fixed(11, 17),
        "Lei estadual do AC 57/1965; às terças, quartas e quintas é comemorado na sexta-feira \
         (Lei estadual 2.126/2009)").moved(AcreToFriday),

    // Alagoas. TODO(review): confirm the law numbers of São João, São Pedro and 20 November.
    day(Uf::AL, "São João", Fixed(6, 24), "Lei estadual de AL"),
    day(Uf::AL, "São Pedro", Fixed(6, 29), "Lei estadual de AL"),
    day(Uf::AL, "Emancipação Política de Alagoas", Fixed(9, 16),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual de AL"),
    day(Uf::AL, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual de AL; nacional desde 2024 (Lei 14.759/2023)").until(2023),
    day(Uf::AL, "Dia do Evangélico", Fixed(11, 30),
        "Lei estadual de AL 7.530/2013, art. 1º e parágrafo único (terça antecipada para \
         segunda, quinta adiada para sexta)").since(2013).moved(AlagoasBridge),

    // Amapá. TODO(review): confirm the law numbers of São José and 13 September.
    day(Uf::AP, "São José", Fixed(3, 19), "Lei estadual do AP (São José, padroeiro do estado)"),
    day(Uf::AP, "São Tiago", Fixed(7, 25),
        "Lei estadual do AP 1.696/2012, declarada inconstitucional pelo STF em 2018")
        .since(2012).until(2018),
    day(Uf::AP, "Criação do Território Federal do Amapá", Fixed(9, 13),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do AP"),
    day(Uf::AP, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do AP 1.169/2007; nacional desde 2024 (Lei 14.759/2023)")
        .since(2008).until(2023),

    // Amazonas. TODO(review): confirm the law numbers and the first year of 20 November.
    day(Uf::AM, "Elevação do Amazonas à Categoria de Província", Fixed(9, 5),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do AM"),
    day(Uf::AM, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do AM; nacional desde 2024 (Lei 14.759/2023)").since(2010).until(2023),

    // Bahia. TODO(review): cite the state law or the article of the state constitution.
    day(Uf::BA, "Independência da Bahia", Fixed(7, 2),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual da BA"),

    // Ceará. TODO(review): cite the number of the state law of December 2011.
    day(Uf::CE, "Data Magna do Ceará", Fixed(3, 25),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do CE de \
         dezembro de 2011 (abolição da escravidão no Ceará, 1884)").since(2012),

    // Distrito Federal. TODO(review): confirm Lei distrital 963/1995 and cite the act that makes
    // 21 April the founding day of Brasília a district holiday.
    day(Uf::DF, "Fundação de Brasília", Fixed(4, 21), "Lei distrital (fundação de Brasília)"),
    day(Uf::DF, "Dia do Evangélico", Fixed(11, 30), "Lei distrital 963/1995").since(1996),

    // Espírito Santo: the Monday eight days after Easter.
    day(Uf::ES, "Nossa Senhora da Penha", Easter(8),
        "Lei estadual do ES 11.010/2019 (data magna do estado: segunda-feira, oito dias após o \
         domingo de Páscoa)").since(2020),

    // Goiás: a holiday of the state civil service, which the governor sometimes moves by decree.
    // TODO(review): years before 2020 (previous statute of the state civil service).
    day(Uf::GO, "Fundação da Cidade de Goiás", Fixed(7, 26),
        "Lei estadual de GO 20.756/2020 (estatuto dos servidores), art. 269, II, a: feriado nas \
         repartições estaduais").since(2020),

    // Maranhão. TODO(review): cite the state law.
    day(Uf::MA, "Adesão do Maranhão à Independência do Brasil", Fixed(7, 28),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do MA"),

    // Mato Grosso.
    day(Uf::MT, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do MT 7.879/2002; nacional desde 2024 (Lei 14.759/2023)")
        .since(2003).until(2023),

    // Mato Grosso do Sul. TODO(review): cite the state law.
    day(Uf::MS, "Criação do Estado de Mato Grosso do Sul", Fixed(10, 11),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do MS"),

    // Minas Gerais: the data magna falls on Tiradentes. TODO(review): confirm art. 256.
    day(Uf::MG, "Data Magna de Minas Gerais", Fixed(4, 21),
        "Constituição do Estado de Minas Gerais, art. 256 (data magna do estado)"),

    // Pará. TODO(review): cite the state law.
    day(Uf::PA, "Adesão do Pará à Independência do Brasil", Fixed(8, 15),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual do PA"),

    // Paraíba. TODO(review): years before 2016 (Lei estadual 3.489/1967).
    day(Uf::PB, "Fundação do Estado da Paraíba", Fixed(8, 5),
        "Lei estadual da PB 10.601/2015, art. 1º (data magna do estado)").since(2016),

    // Pernambuco: the first Sunday of March until 2017, 6 March since.
    day(Uf::PE, "Revolução Pernambucana de 1817 (Data Magna)", FirstSundayOf(3),
        "Lei estadual de PE 13.386/2007 (data magna no primeiro domingo de março)")
        .since(2008).until(2017),
    day(Uf::PE, "Revolução Pernambucana de 1817 (Data Magna)", Fixed(3, 6),
        "Lei estadual de PE 16.059/2017, consolidada na Lei estadual 16.241/2017 (data magna \
         do estado)").since(2018),

    // Piauí. TODO(review): confirm Lei 176/1937.
    day(Uf::PI, "Dia do Piauí", Fixed(10, 19),
        "Lei estadual do PI 176/1937 (data magna do estado)"),

    // Paraná: revoked on 17 December 2014, two days before it fell.
    day(Uf::PR, "Emancipação Política do Paraná", Fixed(12, 19),
        "Lei estadual do PR 4.658/1962, revogada pela Lei estadual 18.384/2014").until(2013),

    // Rio de Janeiro. TODO(review): confirm Lei 4.007/2002 for 20 November.
    day(Uf::RJ, "Carnaval", Easter(-47),
        "Lei estadual do RJ 5.243/2008 (terça-feira de Carnaval)").since(2009),
    day(Uf::RJ, "São Jorge", Fixed(4, 23), "Lei estadual do RJ 5.198/2008").since(2008),
    day(Uf::RJ, "Dia da Consciência Negra", Fixed(11, 20),
        "Lei estadual do RJ 4.007/2002; nacional desde 2024 (Lei 14.759/2023)")
        .since(2002).until(2023),

    // Rio Grande do Norte.
    day(Uf::RN, "Mártires de Cunhaú e Uruaçu", Fixed(10, 3),
        "Lei estadual do RN 8.913/2006").since(2007),

    // Rio Grande do Sul. TODO(review): confirm Lei 4.850/1964.
    day(Uf::RS, "Revolução Farroupilha", Fixed(9, 20),
        "Lei estadual do RS 4.850/1964 (data magna do estado, Dia do Gaúcho)"),

    // Rondônia.
    day(Uf::RO, "Criação do Estado de Rondônia", Fixed(1, 4),
        "Lei estadual de RO 2.291/2010, art. 1º (data magna do estado; antes, Decreto-Lei \
         estadual 39/1982)"),
    day(Uf::RO, "Dia do Evangélico", Fixed(6, 18),
        "Lei estadual de RO 1.026/2001, art. 1º").since(2002),

    // Roraima. TODO(review): cite the state law.
    day(Uf::RR, "Criação do Estado de Roraima", Fixed(10, 5),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual de RR"),

    // Santa Catarina: 11 August, kept on the following Sunday.
    // TODO(review): cite the state law (the 2003 state calendar cites Lei 10.306/1996 as
    // amended by Lei 11.213/1999) and confirm 2005 as the first year of the Sunday rule.
    day(Uf::SC, "Dia de Santa Catarina (Data Magna)", SundayFrom(8, 11),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), comemorada no domingo seguinte a \
         11 de agosto conforme lei estadual de SC").since(2005),

    // São Paulo.
    day(Uf::SP, "Revolução Constitucionalista de 1932", Fixed(7, 9),
        "Lei estadual de SP 9.497/1997, art. 1º (data magna do estado)").since(1997),

    // Sergipe. TODO(review): cite the state law.
    day(Uf::SE, "Emancipação Política de Sergipe", Fixed(7, 8),
        "Data magna do estado (Lei 9.093/1995, art. 1º, II), fixada em lei estadual de SE"),

    // Tocantins. TODO(review): cite the laws of 8 September and 5 October.
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
