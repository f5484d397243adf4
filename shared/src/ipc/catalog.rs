//! What the catalog editor's screens send and show: a place's weekly hours and its closures or
//! special days, typed as text ("08:00") and checked with plain messages; and the list of what
//! needs review.

use chrono::{NaiveTime, Weekday};

use crate::hours::interval::{self, IntervalError};
use serde::{Deserialize, Serialize};

/// The hours of an office or service as the editor shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursEditView {
    pub id: String,
    pub name: String,
    /// Monday first; each day's ranges as `("08:00", "12:00")`.
    pub days: Vec<DayHours>,
    pub exceptions: Vec<ExceptionView>,
    /// "Horário confirmado em 01/12/2026".
    pub reviewed_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    /// 0 = segunda … 6 = domingo.
    pub weekday: u8,
    /// "Segunda".
    pub label: String,
    pub ranges: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionView {
    /// `AAAA-MM-DD`.
    pub date: String,
    /// "24/12/2026: fechado (recesso de fim de ano)".
    pub label: String,
}

/// New weekly hours: each range as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HoursInput {
    pub id: String,
    pub days: Vec<DayHours>,
}

/// A closure (no hours) or special hours on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ClosureInput {
    pub id: String,
    /// `AAAA-MM-DD` or `DD/MM/AAAA`.
    pub date: String,
    pub reason: String,
    /// Blank: closed all day.
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub closes: String,
}

/// Something not reviewed for six months (or never).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: String,
    pub name: String,
    /// "Horário", "Serviço", "Artigo de direitos".
    pub kind_label: String,
    pub reason: String,
    /// Whether the hours editor can fix it (a service or office).
    pub editable: bool,
}

/// A time as typed ("8", "8h", "08:00", "8h30"), or a plain message (`hours::interval`).
pub fn parse_time(text: &str) -> Result<NaiveTime, String> {
    interval::opening(text).map_err(|e| editor_words(&e))
}

/// A range as typed in the editor, by the one rule of `hours::interval`: closing after opening,
/// `24:00` for midnight, `+1` after the closing time when it is on the next day (`07:00+1`).
pub fn parse_range(opens: &str, closes: &str) -> Result<(NaiveTime, NaiveTime), String> {
    interval::interval(opens, closes).map_err(|e| editor_words(&e))
}

/// The rule's words as a sentence, with the editor's way of marking the next day.
fn editor_words(e: &IntervalError) -> String {
    let mut words = e.to_string();
    if let Some(first) = words.get(..1) {
        words = first.to_uppercase() + &words[1..];
    }
    match e {
        IntervalError::BeforeOpening { closes, .. } => format!(
            "{words}: confira os dois horários; se fecha no dia seguinte, escreva {}+1.",
            closes.format("%H:%M")
        ),
        _ => format!("{words}."),
    }
}

/// Monday = 0.
pub fn weekday(n: u8) -> Option<Weekday> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .get(usize::from(n))
    .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_people_type_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("8").ok(), t(8, 0));
        assert_eq!(parse_time("8h").ok(), t(8, 0));
        assert_eq!(parse_time("8h30").ok(), t(8, 30));
        assert_eq!(parse_time(" 17:45 ").ok(), t(17, 45));
        assert!(parse_time("25:00").is_err_and(|m| m.contains("não é um horário")));
        assert!(parse_time("meio-dia").is_err());
        assert!(parse_range("17:00", "08:00").is_err_and(|m| m
            .contains("Fecha (08:00) antes de abrir (17:00)")
            && m.contains("08:00+1")));
        assert_eq!(
            parse_range("19:00", "07:00+1"),
            Ok((t(19, 0).expect("t"), t(7, 0).expect("t")))
        );
        assert!(parse_range("08:00", "08:00").is_err());
        assert!(parse_range("08:00", "12:00").is_ok());
        assert_eq!(weekday(6), Some(Weekday::Sun));
        assert_eq!(weekday(7), None);
    }
}
