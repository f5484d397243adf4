//! Open-now and hours in the words people read (pt-BR): "aberto agora · fecha às 17h",
//! "fechado · abre segunda às 8h", "8h às 17h", "sexta-feira, 25 de dezembro".

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use super::OpenState;
use crate::domain::{Holiday, HolidayKind, HolidayScope, Schedule, TimeRange};

use crate::domain::weekday_pt::WEEK;

/// "8h", "8h30", "0h".
pub fn time(t: NaiveTime) -> String {
    match t.minute() {
        0 => format!("{}h", t.hour()),
        m => format!("{}h{m:02}", t.hour()),
    }
}

/// "segunda-feira", "sábado".
pub fn weekday_long(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "segunda-feira",
        Weekday::Tue => "terça-feira",
        Weekday::Wed => "quarta-feira",
        Weekday::Thu => "quinta-feira",
        Weekday::Fri => "sexta-feira",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

/// "segunda", "sábado": how people say it in "abre segunda às 8h".
pub fn weekday_short(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "segunda",
        Weekday::Tue => "terça",
        Weekday::Wed => "quarta",
        Weekday::Thu => "quinta",
        Weekday::Fri => "sexta",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

pub fn month(m: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
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
    MONTHS
        .get(m.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

/// "sexta-feira, 25 de dezembro".
pub fn date_long(d: NaiveDate) -> String {
    format!(
        "{}, {} de {}",
        weekday_long(d.weekday()),
        d.day(),
        month(d.month())
    )
}

/// "24/11/2026".
pub fn date_short(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// "Natal (feriado nacional)", "Carnaval (ponto facultativo)".
pub fn holiday_reason(h: &Holiday) -> String {
    let what = match (h.kind, &h.scope) {
        (HolidayKind::OptionalDay, _) => "ponto facultativo",
        (HolidayKind::Holiday, HolidayScope::National) => "feriado nacional",
        (HolidayKind::Holiday, HolidayScope::State(_)) => "feriado estadual",
        (HolidayKind::Holiday, HolidayScope::Municipal(_)) => "feriado municipal",
    };
    format!("{} ({what})", h.name)
}

/// The badge sentence for an open-now answer, in the place's own time zone.
pub fn open_text(state: &OpenState, tz: Tz, now: DateTime<Utc>) -> String {
    let today = now.with_timezone(&tz).date_naive();
    match state {
        OpenState::Open { closes_at: None } => "Aberto 24 horas".to_owned(),
        OpenState::Open {
            closes_at: Some(at),
        } => format!("Aberto agora · fecha {}", when(*at, tz, today)),
        OpenState::Closed {
            opens_at,
            today: why,
        } => {
            let head = match why {
                Some(reason) => format!("Fechado hoje: {}", lower_first(reason)),
                None => "Fechado".to_owned(),
            };
            match opens_at {
                Some(at) => format!("{head} · abre {}", when(*at, tz, today)),
                None => head,
            }
        }
        OpenState::Unknown { since: Some(d) } => format!(
            "Horário não confirmado desde {} de {}",
            month(d.month()),
            d.year()
        ),
        OpenState::Unknown { since: None } => "Horário não informado".to_owned(),
    }
}

/// "às 17h" today, "amanhã às 8h", "segunda às 8h" within a week, "em 12/01 às 8h" later.
fn when(at: DateTime<Utc>, tz: Tz, today: NaiveDate) -> String {
    let local = at.with_timezone(&tz);
    let date = local.date_naive();
    let hour = time(local.time());
    let days = (date - today).num_days();
    match days {
        0 => format!("às {hour}"),
        1 => format!("amanhã às {hour}"),
        2..=6 => format!("{} às {hour}", weekday_short(date.weekday())),
        _ => format!("em {:02}/{:02} às {hour}", date.day(), date.month()),
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
pub fn ranges(ranges: &[TimeRange]) -> String {
    if ranges.is_empty() {
        return "Fechado".to_owned();
    }
    ranges
        .iter()
        .map(|r| {
            let next_day = if r.closes <= r.opens {
                " do dia seguinte"
            } else {
                ""
            };
            format!("{} às {}{next_day}", time(r.opens), time(r.closes))
        })
        .collect::<Vec<_>>()
        .join(" e ")
}

/// One row per weekday, Monday first: ("Segunda-feira", "8h às 17h").
pub fn weekly_rows(schedule: &Schedule) -> Vec<(String, String)> {
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
                ranges(&day_ranges)
            };
            (capitalise(weekday_long(day)), hours)
        })
        .collect()
}

/// How the office's time zone is called, with its IANA name.
pub fn tz_label(tz: &str) -> String {
    let common = match tz {
        "America/Sao_Paulo" | "America/Bahia" | "America/Fortaleza" | "America/Recife"
        | "America/Maceio" | "America/Belem" | "America/Araguaina" | "America/Santarem" => {
            "Horário de Brasília"
        }
        "America/Manaus"
        | "America/Boa_Vista"
        | "America/Porto_Velho"
        | "America/Cuiaba"
        | "America/Campo_Grande" => "Horário do Amazonas (1 hora a menos que Brasília)",
        "America/Rio_Branco" | "America/Eirunepe" => {
            "Horário do Acre (2 horas a menos que Brasília)"
        }
        "America/Noronha" => "Horário de Fernando de Noronha (1 hora a mais que Brasília)",
        _ => "Horário local",
    };
    format!("{common} ({tz})")
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
pub fn synced_at(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let tz = chrono_tz::America::Sao_Paulo;
    let (at, today) = (at.with_timezone(&tz), now.with_timezone(&tz).date_naive());
    let t = time(at.time());
    match (today - at.date_naive()).num_days() {
        0 => format!("Atualizado hoje às {t}"),
        1 => format!("Atualizado ontem às {t}"),
        _ => format!("Atualizado em {}", at.format("%d/%m/%Y")),
    }
}

#[cfg(test)]
mod synced_tests {
    use super::*;

    #[test]
    fn sync_labels() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .expect("date")
        };
        let now = at("2026-11-24T15:00:00-03:00");
        let cases = [
            ("2026-11-24T10:02:00-03:00", "Atualizado hoje às 10h02"),
            ("2026-11-24T01:30:00Z", "Atualizado ontem às 22h30"),
            ("2026-11-23T18:00:00-03:00", "Atualizado ontem às 18h"),
            ("2026-11-20T09:00:00-03:00", "Atualizado em 20/11/2026"),
        ];
        for (when, want) in cases {
            assert_eq!(synced_at(at(when), now), want, "{when}");
        }
    }
}
