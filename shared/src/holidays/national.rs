//! National holidays (feriados nacionais) and the federal optional days (pontos facultativos)
//! of one year, each with the law that sets it.
//!
//! Not included: the afternoons of 24 and 31 December, which the federal portaria lists as
//! ponto facultativo only from 14h (a whole-day entry would overstate them), and election days
//! (always a Sunday).

use chrono::NaiveDate;

use super::{fixed, from_easter};
use crate::domain::{Holiday, HolidayKind, HolidayScope};

/// Lei 662/1949 as it reads after Lei 10.607/2002.
const LEI_662: &str = "Lei 662/1949, art. 1º (redação da Lei 10.607/2002)";

/// The annual act of the federal government that lists holidays and optional days.
const PORTARIA: &str = "Portaria anual do Ministério da Gestão e da Inovação em Serviços \
                        Públicos (MGI) que divulga os feriados nacionais e os pontos \
                        facultativos do ano na administração pública federal";

/// Unsorted; the public `holidays::national` sorts.
pub(super) fn national(year: i32) -> Vec<Holiday> {
    let holiday = |date, name, source: String| (date, name, HolidayKind::Holiday, source);
    let optional = |date, name, source: String| (date, name, HolidayKind::OptionalDay, source);
    let mut days: Vec<(Option<NaiveDate>, &str, HolidayKind, String)> = vec![
        holiday(
            fixed(year, 1, 1),
            "Confraternização Universal",
            LEI_662.into(),
        ),
        holiday(fixed(year, 4, 21), "Tiradentes", LEI_662.into()),
        holiday(fixed(year, 5, 1), "Dia do Trabalho", LEI_662.into()),
        holiday(fixed(year, 9, 7), "Independência do Brasil", LEI_662.into()),
        holiday(fixed(year, 11, 2), "Finados", LEI_662.into()),
        holiday(
            fixed(year, 11, 15),
            "Proclamação da República",
            LEI_662.into(),
        ),
        holiday(fixed(year, 12, 25), "Natal", LEI_662.into()),
        // Good Friday is, in law, a "dia de guarda" that each municipality declares (Lei
        // 9.093/1995, art. 2º); every municipality does, and the federal portaria lists it as a
        // national holiday every year, so it is modelled as a national holiday.
        holiday(
            from_easter(year, -2),
            "Sexta-feira Santa",
            format!(
                "Lei 9.093/1995, art. 2º (dia de guarda declarado pelos municípios); listada \
                 todo ano como feriado nacional na {PORTARIA}"
            ),
        ),
        // Federal pontos facultativos: public offices may close; each office says whether it
        // does.
        optional(
            from_easter(year, -48),
            "Carnaval",
            format!("Ponto facultativo: {PORTARIA}"),
        ),
        optional(
            from_easter(year, -47),
            "Carnaval",
            format!("Ponto facultativo: {PORTARIA}"),
        ),
        optional(
            from_easter(year, -46),
            "Quarta-feira de Cinzas",
            format!("Ponto facultativo até as 14 horas: {PORTARIA}"),
        ),
        optional(
            from_easter(year, 60),
            "Corpus Christi",
            format!("Ponto facultativo: {PORTARIA}"),
        ),
        optional(
            fixed(year, 10, 28),
            "Dia do Servidor Público",
            format!("Lei 8.112/1990, art. 236; ponto facultativo: {PORTARIA}"),
        ),
    ];
    if year >= 1980 {
        days.push(holiday(
            fixed(year, 10, 12),
            "Nossa Senhora Aparecida",
            "Lei 6.802/1980, art. 1º".into(),
        ));
    }
    if year >= 2024 {
        days.push(holiday(
            fixed(year, 11, 20),
            "Dia Nacional de Zumbi e da Consciência Negra",
            "Lei 14.759/2023, art. 1º".into(),
        ));
    }
    days.into_iter()
        .filter_map(|(date, name, kind, source)| {
            Some(Holiday {
                date: date?,
                name: name.into(),
                kind,
                scope: HolidayScope::National,
                source,
            })
        })
        .collect()
}
