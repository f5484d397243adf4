//! Open-now and hours in the words people read, in pt-BR ("aberto agora · fecha às 17h",
//! "fechado · abre segunda às 8h", "8h às 17h") or Spanish ("abierto ahora · cierra a las 17:00").

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use super::OpenState;
use crate::domain::{Holiday, HolidayKind, HolidayScope, Schedule, TimeRange};
use crate::locale::Locale;

use crate::domain::weekday_pt::WEEK;

/// "8h", "8h30", "0h" in pt-BR; "8:00", "8:30" in Spanish.
pub fn time(locale: Locale, t: NaiveTime) -> String {
    match (locale, t.minute()) {
        (Locale::PtBr, 0) => format!("{}h", t.hour()),
        (Locale::PtBr, m) => format!("{}h{m:02}", t.hour()),
        (Locale::Es, m) => format!("{}:{m:02}", t.hour()),
    }
}

/// "segunda-feira", "sábado"; "lunes", "sábado".
pub fn weekday_long(locale: Locale, day: Weekday) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match locale {
        Locale::PtBr => [
            "segunda-feira",
            "terça-feira",
            "quarta-feira",
            "quinta-feira",
            "sexta-feira",
            "sábado",
            "domingo",
        ][i],
        Locale::Es => WEEKDAYS_ES[i],
    }
}

const WEEKDAYS_ES: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];

/// "segunda", "sábado": how people say it in "abre segunda às 8h".
pub fn weekday_short(locale: Locale, day: Weekday) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match locale {
        Locale::PtBr => [
            "segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo",
        ][i],
        Locale::Es => WEEKDAYS_ES[i],
    }
}

pub fn month(locale: Locale, m: u32) -> &'static str {
    const PT: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let table = match locale {
        Locale::PtBr => &PT,
        Locale::Es => &ES,
    };
    table
        .get(m.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

/// "sexta-feira, 25 de dezembro"; "viernes, 25 de diciembre".
pub fn date_long(locale: Locale, d: NaiveDate) -> String {
    format!(
        "{}, {} de {}",
        weekday_long(locale, d.weekday()),
        d.day(),
        month(locale, d.month())
    )
}

/// "24/11/2026" (the same in both languages).
pub fn date_short(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// "Natal (feriado nacional)", "Carnaval (ponto facultativo)". Holiday names are proper
/// nouns and stay as the law names them.
pub fn holiday_reason(locale: Locale, h: &Holiday) -> String {
    let what = match (locale, h.kind, &h.scope) {
        (Locale::PtBr, HolidayKind::OptionalDay, _) => "ponto facultativo",
        (Locale::PtBr, HolidayKind::Holiday, HolidayScope::National) => "feriado nacional",
        (Locale::PtBr, HolidayKind::Holiday, HolidayScope::State(_)) => "feriado estadual",
        (Locale::PtBr, HolidayKind::Holiday, HolidayScope::Municipal(_)) => "feriado municipal",
        (Locale::Es, HolidayKind::OptionalDay, _) => "día facultativo",
        (Locale::Es, HolidayKind::Holiday, HolidayScope::National) => "feriado nacional",
        (Locale::Es, HolidayKind::Holiday, HolidayScope::State(_)) => "feriado estatal",
        (Locale::Es, HolidayKind::Holiday, HolidayScope::Municipal(_)) => "feriado municipal",
    };
    format!("{} ({what})", h.name)
}

/// The badge sentence for an open-now answer, in the place's own time zone.
pub fn open_text(locale: Locale, state: &OpenState, tz: Tz, now: DateTime<Utc>) -> String {
    let today = now.with_timezone(&tz).date_naive();
    let es = locale == Locale::Es;
    match state {
        OpenState::Open { closes_at: None } if es => "Abierto las 24 horas".to_owned(),
        OpenState::Open { closes_at: None } => "Aberto 24 horas".to_owned(),
        OpenState::Open {
            closes_at: Some(at),
        } => {
            let when = when(locale, *at, tz, today);
            if es {
                format!("Abierto ahora · cierra {when}")
            } else {
                format!("Aberto agora · fecha {when}")
            }
        }
        OpenState::Closed {
            opens_at,
            today: why,
        } => {
            let head = match (why, es) {
                (Some(reason), false) => format!("Fechado hoje: {}", lower_first(reason)),
                (Some(reason), true) => format!("Cerrado hoy: {}", lower_first(reason)),
                (None, false) => "Fechado".to_owned(),
                (None, true) => "Cerrado".to_owned(),
            };
            match opens_at {
                Some(at) => format!("{head} · abre {}", when(locale, *at, tz, today)),
                None => head,
            }
        }
        OpenState::Unknown { since: Some(d) } => format!(
            "{} {} de {}",
            if es {
                "Horario no confirmado desde"
            } else {
                "Horário não confirmado desde"
            },
            month(locale, d.month()),
            d.year()
        ),
        OpenState::Unknown { since: None } if es => "Horario no informado".to_owned(),
        OpenState::Unknown { since: None } => "Horário não informado".to_owned(),
    }
}

/// "às 17h" today, "amanhã às 8h", "segunda às 8h" within a week, "em 12/01 às 8h" later.
fn when(locale: Locale, at: DateTime<Utc>, tz: Tz, today: NaiveDate) -> String {
    let local = at.with_timezone(&tz);
    let date = local.date_naive();
    let hour = time(locale, local.time());
    let days = (date - today).num_days();
    let weekday = weekday_short(locale, date.weekday());
    let (day, month) = (date.day(), date.month());
    match (locale, days) {
        (Locale::PtBr, 0) => format!("às {hour}"),
        (Locale::PtBr, 1) => format!("amanhã às {hour}"),
        (Locale::PtBr, 2..=6) => format!("{weekday} às {hour}"),
        (Locale::PtBr, _) => format!("em {day:02}/{month:02} às {hour}"),
        (Locale::Es, 0) => format!("a las {hour}"),
        (Locale::Es, 1) => format!("mañana a las {hour}"),
        (Locale::Es, 2..=6) => format!("el {weekday} a las {hour}"),
        (Locale::Es, _) => format!("el {day:02}/{month:02} a las {hour}"),
    }
}

fn lower_first(s: &str) -> String {
    // Holiday names are proper nouns ("Natal"); only lower a leading common word.
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if s.starts_with("Feriado") || s.starts_with("Recesso") => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_owned(),
    }
}

/// "8h às 12h e 13h às 17h"; an interval past midnight says so.
pub fn ranges(locale: Locale, ranges: &[TimeRange]) -> String {
    let (closed, to, and, next_day) = match locale {
        Locale::PtBr => ("Fechado", "às", " e ", " do dia seguinte"),
        Locale::Es => ("Cerrado", "a", " y ", " del día siguiente"),
    };
    if ranges.is_empty() {
        return closed.to_owned();
    }
    ranges
        .iter()
        .map(|r| {
            let next_day = if r.closes <= r.opens { next_day } else { "" };
            format!(
                "{} {to} {}{next_day}",
                time(locale, r.opens),
                time(locale, r.closes)
            )
        })
        .collect::<Vec<_>>()
        .join(and)
}

/// One row per weekday, Monday first: ("Segunda-feira", "8h às 17h").
pub fn weekly_rows(locale: Locale, schedule: &Schedule) -> Vec<(String, String)> {
    WEEK.iter()
        .map(|&day| {
            let hours = if schedule.always_open {
                "24 horas".to_owned()
            } else {
                let mut day_ranges: Vec<TimeRange> = schedule
                    .intervals
                    .iter()
                    .filter(|i| i.weekday == day)
                    .map(|i| TimeRange {
                        opens: i.opens,
                        closes: i.closes,
                    })
                    .collect();
                day_ranges.sort_by_key(|r| r.opens);
                ranges(locale, &day_ranges)
            };
            (capitalise(weekday_long(locale, day)), hours)
        })
        .collect()
}

/// How the office's time zone is called, with its IANA name.
pub fn tz_label(locale: Locale, tz: &str) -> String {
    let es = locale == Locale::Es;
    let common = match tz {
        "America/Sao_Paulo" | "America/Bahia" | "America/Fortaleza" | "America/Recife"
        | "America/Maceio" | "America/Belem" | "America/Araguaina" | "America/Santarem" => {
            if es {
                "Hora de Brasilia"
            } else {
                "Horário de Brasília"
            }
        }
        "America/Manaus"
        | "America/Boa_Vista"
        | "America/Porto_Velho"
        | "America/Cuiaba"
        | "America/Campo_Grande" => {
            if es {
                "Hora de Amazonas (1 hora menos que Brasilia)"
            } else {
                "Horário do Amazonas (1 hora a menos que Brasília)"
            }
        }
        "America/Rio_Branco" | "America/Eirunepe" => {
            if es {
                "Hora de Acre (2 horas menos que Brasilia)"
            } else {
                "Horário do Acre (2 horas a menos que Brasília)"
            }
        }
        "America/Noronha" => {
            if es {
                "Hora de Fernando de Noronha (1 hora más que Brasilia)"
            } else {
                "Horário de Fernando de Noronha (1 hora a mais que Brasília)"
            }
        }
        _ if es => "Hora local",
        _ => "Horário local",
    };
    format!("{common} ({tz})")
}

/// "Horário de Boa Vista": said beside times when the place's zone is not the device's.
pub fn tz_note(locale: Locale, tz: &str) -> String {
    let city = tz.rsplit('/').next().unwrap_or(tz).replace('_', " ");
    let city = match city.as_str() {
        "Sao Paulo" => "Brasília".to_owned(),
        "Maceio" => "Maceió".to_owned(),
        "Belem" => "Belém".to_owned(),
        "Cuiaba" => "Cuiabá".to_owned(),
        "Araguaina" => "Araguaína".to_owned(),
        "Santarem" => "Santarém".to_owned(),
        "Eirunepe" => "Eirunepé".to_owned(),
        _ => city,
    };
    match locale {
        Locale::PtBr => format!("Horário de {city}"),
        Locale::Es => format!("Hora de {city}"),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// When data were last synced, in Brasília time: "Atualizado hoje às 10h02", "Atualizado
/// ontem às 18h", "Atualizado em 20/11/2026".
pub fn synced_at(locale: Locale, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let tz = chrono_tz::America::Sao_Paulo;
    let (at, today) = (at.with_timezone(&tz), now.with_timezone(&tz).date_naive());
    let t = time(locale, at.time());
    let date = at.format("%d/%m/%Y");
    match (locale, (today - at.date_naive()).num_days()) {
        (Locale::PtBr, 0) => format!("Atualizado hoje às {t}"),
        (Locale::PtBr, 1) => format!("Atualizado ontem às {t}"),
        (Locale::PtBr, _) => format!("Atualizado em {date}"),
        (Locale::Es, 0) => format!("Actualizado hoy a las {t}"),
        (Locale::Es, 1) => format!("Actualizado ayer a las {t}"),
        (Locale::Es, _) => format!("Actualizado el {date}"),
    }
}

#[cfg(test)]
mod synced_tests {
    use super::*;
    const PT: Locale = Locale::PtBr;
    const ES: Locale = Locale::Es;

    #[test]
    fn sync_labels() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .expect("date")
        };
        let now = at("2026-11-24T15:00:00-03:00");
        let cases = [
            ("2026-11-24T10:02:00-03:00", PT, "Atualizado hoje às 10h02"),
            ("2026-11-24T01:30:00Z", PT, "Atualizado ontem às 22h30"),
            ("2026-11-23T18:00:00-03:00", PT, "Atualizado ontem às 18h"),
            ("2026-11-20T09:00:00-03:00", PT, "Atualizado em 20/11/2026"),
            (
                "2026-11-24T10:02:00-03:00",
                ES,
                "Actualizado hoy a las 10:02",
            ),
            (
                "2026-11-23T18:00:00-03:00",
                ES,
                "Actualizado ayer a las 18:00",
            ),
            ("2026-11-20T09:00:00-03:00", ES, "Actualizado el 20/11/2026"),
        ];
        for (when, locale, want) in cases {
            assert_eq!(synced_at(locale, at(when), now), want, "{when}");
        }
    }
}

#[cfg(test)]
mod zone_tests {
    use super::*;

    #[test]
    fn zone_notes_name_the_city() {
        let cases = [
            (Locale::PtBr, "America/Boa_Vista", "Horário de Boa Vista"),
            (Locale::Es, "America/Boa_Vista", "Hora de Boa Vista"),
            (Locale::PtBr, "America/Sao_Paulo", "Horário de Brasília"),
            (Locale::PtBr, "America/Cuiaba", "Horário de Cuiabá"),
        ];
        for (locale, tz, want) in cases {
            assert_eq!(tz_note(locale, tz), want);
        }
    }
}
