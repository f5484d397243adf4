//! Weekly hours as staff type them: `seg-sex 08:00-12:00 13:00-17:00; sab 08:00-12:00`.
//! Days are the pt-BR abbreviations (seg ter qua qui sex sab dom), alone, in ranges or lists
//! (`seg,qua,sex`); times are `HH:MM` or `8h`/`8h30`, read by the one rule of
//! [`super::interval`]: `24:00` is midnight, and an interval that passes midnight says so with
//! `+1` (`sex 22:00-02:00+1`). Errors say what was wrong in plain words.

use chrono::Weekday;

use super::interval::{self, IntervalError};

use crate::domain::{weekday_pt, WeeklyInterval};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("dia desconhecido {0:?}: use seg, ter, qua, qui, sex, sab ou dom")]
    Day(String),
    #[error("horário inválido {0:?}: use HH:MM-HH:MM, por exemplo 08:00-17:00")]
    Time(String),
    #[error("{0:?} abre e fecha no mesmo horário")]
    Empty(String),
    #[error("{0:?}: {1}; se fecha no dia seguinte, escreva +1 depois do horário (22:00-02:00+1)")]
    Night(String, String),
    #[error("faltam os horários depois de {0:?}")]
    NoTimes(String),
    #[error("nenhum horário informado")]
    Nothing,
}

fn day(text: &str) -> Result<Weekday, SpecError> {
    let folded = crate::text::fold(text);
    weekday_pt::WEEK
        .into_iter()
        .find(|d| weekday_pt::code(*d) == folded)
        .ok_or_else(|| SpecError::Day(text.to_owned()))
}

fn days(text: &str) -> Result<Vec<Weekday>, SpecError> {
    let mut out = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day(from)?, day(to)?);
                let mut d = from;
                loop {
                    out.push(d);
                    if d == to {
                        break;
                    }
                    d = d.succ();
                }
            }
            None => out.push(day(part)?),
        }
    }
    Ok(out)
}

/// Parses a weekly spec into intervals, in weekday order.
pub fn parse(spec: &str) -> Result<Vec<WeeklyInterval>, SpecError> {
    let mut out = Vec::new();
    for group in spec.split(';').map(str::trim).filter(|g| !g.is_empty()) {
        let mut words = group.split_whitespace();
        let Some(first) = words.next() else { continue };
        let which = days(first)?;
        let ranges: Vec<&str> = words.collect();
        if ranges.is_empty() {
            return Err(SpecError::NoTimes(first.to_owned()));
        }
        for range in ranges {
            let (opens, closes) = range
                .split_once('-')
                .ok_or_else(|| SpecError::Time(range.to_owned()))?;
            let (opens, closes) = interval::interval(opens, closes).map_err(|e| match e {
                IntervalError::Time(_) => SpecError::Time(range.to_owned()),
                IntervalError::Empty(_) => SpecError::Empty(range.to_owned()),
                IntervalError::BeforeOpening { .. } | IntervalError::NotOvernight { .. } => {
                    SpecError::Night(range.to_owned(), e.to_string())
                }
            })?;
            for weekday in &which {
                out.push(WeeklyInterval {
                    weekday: *weekday,
                    opens,
                    closes,
                });
            }
        }
    }
    if out.is_empty() {
        return Err(SpecError::Nothing);
    }
    out.sort_by_key(|i| (i.weekday.num_days_from_monday(), i.opens));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(list: &[WeeklyInterval]) -> String {
        list.iter()
            .map(|i| {
                format!(
                    "{} {}-{}",
                    weekday_pt::code(i.weekday),
                    i.opens.format("%H:%M"),
                    i.closes.format("%H:%M")
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    #[test]
    fn specs_people_type() {
        let cases = [
            ("seg-sex 08:00-17:00", "seg 08:00-17:00, ter 08:00-17:00, qua 08:00-17:00, qui 08:00-17:00, sex 08:00-17:00"),
            ("sab 8h-12h", "sab 08:00-12:00"),
            ("SÁB 8h30-12h", "sab 08:30-12:00"),
            ("seg,qua 13:00-17:00; ter 08:00-12:00", "seg 13:00-17:00, ter 08:00-12:00, qua 13:00-17:00"),
            ("sex 22:00-02:00+1", "sex 22:00-02:00"),
            ("sab-seg 10-14", "seg 10:00-14:00, sab 10:00-14:00, dom 10:00-14:00"),
            ("dom 00:00-24:00", "dom 00:00-00:00"),
            ("qui 08:00-12:00 13:00-17:00", "qui 08:00-12:00, qui 13:00-17:00"),
        ];
        for (spec, want) in cases {
            assert_eq!(parse(spec).map(|l| show(&l)), Ok(want.to_owned()), "{spec}");
        }
    }

    #[test]
    fn mistakes_get_plain_errors() {
        let cases = [
            ("segunda 08:00-17:00", SpecError::Day("segunda".into())),
            ("seg 8-", SpecError::Time("8-".into())),
            ("seg 25:00-26:00", SpecError::Time("25:00-26:00".into())),
            ("seg 08:00-08:00", SpecError::Empty("08:00-08:00".into())),
            ("seg", SpecError::NoTimes("seg".into())),
            (
                "seg 17:00-08:00",
                SpecError::Night(
                    "17:00-08:00".into(),
                    "fecha (08:00) antes de abrir (17:00)".into(),
                ),
            ),
            ("  ;  ", SpecError::Nothing),
        ];
        for (spec, want) in cases {
            assert_eq!(parse(spec), Err(want), "{spec}");
        }
    }
}
