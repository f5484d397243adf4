//! The one reading of opening times and the one rule of an opening interval, wherever hours
//! come from — the CLI's spec, the hours editor, the catalog's data files, HSDS imports:
//!
//! - a time as people type it: `8`, `8h`, `8h30`, `08:00`, `08:00:00`; as a closing time,
//!   `24:00` (or `24h`) is the end of the day;
//! - closing after opening: the same day; closing at the end of the day: midnight
//!   (`00:00`–`24:00` is the whole day);
//! - closing before opening is a night interval (a shelter open 19h–7h) only when the source
//!   says it ends the next day — `07:00+1` as typed, `overnight = true` in a data file, two
//!   rows split at midnight in HSDS —, so two times typed the wrong way round are a mistake
//!   said plainly, not a night;
//! - opening and closing at the same time is a mistake.
//!
//! Each source adds its own hint of how it marks the next day.

use chrono::NaiveTime;

/// What was wrong with a time or an interval, in plain pt-BR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    #[error("“{0}” não é um horário: escreva como 08:00 ou 17:30")]
    Time(String),
    #[error("abre e fecha no mesmo horário ({})", .0.format("%H:%M"))]
    Empty(NaiveTime),
    /// Closing before opening, not marked as ending the next day.
    #[error("fecha ({}) antes de abrir ({})", .closes.format("%H:%M"), .opens.format("%H:%M"))]
    BeforeOpening { opens: NaiveTime, closes: NaiveTime },
    /// Marked as ending the next day, but closing after opening.
    #[error("marcado como fechando no dia seguinte, mas fecha ({}) depois de abrir ({})", .closes.format("%H:%M"), .opens.format("%H:%M"))]
    NotOvernight { opens: NaiveTime, closes: NaiveTime },
}

/// A closing time as read: the time, and whether the source said it is on the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing {
    pub time: NaiveTime,
    pub next_day: bool,
    /// `24:00`: the end of the day (kept as `00:00`, which the domain reads as midnight).
    pub end_of_day: bool,
}

fn clock(text: &str) -> Option<(u32, u32)> {
    let t = text.trim().to_lowercase();
    let (h, m) = match t.split_once([':', 'h']) {
        Some((h, rest)) => {
            // `08:00:00` (HSDS) keeps only whole minutes.
            let m = rest.split(':').next().unwrap_or("");
            (
                h.trim().to_owned(),
                if m.trim().is_empty() { "0" } else { m.trim() }.to_owned(),
            )
        }
        None => (t.clone(), "0".to_owned()),
    };
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    (h <= 24 && m < 60 && !(h == 24 && m != 0)).then_some((h, m))
}

/// An opening time as typed.
pub fn opening(text: &str) -> Result<NaiveTime, IntervalError> {
    match clock(text) {
        Some((h, m)) if h < 24 => Ok(NaiveTime::from_hms_opt(h, m, 0).expect("checked range")),
        _ => Err(IntervalError::Time(text.trim().to_owned())),
    }
}

/// A closing time as typed, with `+1` for the next day (`07:00+1`) and `24:00` for the end of
/// the day.
pub fn closing(text: &str) -> Result<Closing, IntervalError> {
    let bad = || IntervalError::Time(text.trim().to_owned());
    let trimmed = text.trim();
    let (time, next_day) = match trimmed.strip_suffix("+1") {
        Some(rest) => (rest.trim(), true),
        None => (trimmed, false),
    };
    let (h, m) = clock(time).ok_or_else(bad)?;
    if h == 24 {
        if next_day {
            return Err(bad());
        }
        return Ok(Closing {
            time: NaiveTime::MIN,
            next_day: false,
            end_of_day: true,
        });
    }
    Ok(Closing {
        time: NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)?,
        next_day,
        end_of_day: false,
    })
}

/// The rule, on times already read: `(opens, closes)` as the domain keeps them (closing at or
/// before opening passes midnight).
pub fn check(opens: NaiveTime, closes: Closing) -> Result<(NaiveTime, NaiveTime), IntervalError> {
    if closes.end_of_day {
        return Ok((opens, NaiveTime::MIN));
    }
    let c = closes.time;
    match (c.cmp(&opens), closes.next_day) {
        (std::cmp::Ordering::Equal, _) => Err(IntervalError::Empty(opens)),
        (std::cmp::Ordering::Greater, false) | (std::cmp::Ordering::Less, true) => Ok((opens, c)),
        (std::cmp::Ordering::Less, false) => Err(IntervalError::BeforeOpening { opens, closes: c }),
        (std::cmp::Ordering::Greater, true) => {
            Err(IntervalError::NotOvernight { opens, closes: c })
        }
    }
}

/// An interval as typed: [`opening`], [`closing`], then [`check`].
pub fn interval(opens: &str, closes: &str) -> Result<(NaiveTime, NaiveTime), IntervalError> {
    check(opening(opens)?, closing(closes)?)
}

/// How a closing time is shown to be typed again: `07:00+1` when the interval passes
/// midnight, `24:00` when it ends at midnight.
pub fn show_closing(opens: NaiveTime, closes: NaiveTime) -> String {
    if closes == NaiveTime::MIN {
        "24:00".to_owned()
    } else if closes <= opens {
        format!("{}+1", closes.format("%H:%M"))
    } else {
        closes.format("%H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    #[test]
    fn times_as_people_type_them() {
        for (text, want) in [
            ("8", t(8, 0)),
            ("8h", t(8, 0)),
            ("8h30", t(8, 30)),
            (" 17:45 ", t(17, 45)),
            ("08:00:00", t(8, 0)),
            ("00:00", t(0, 0)),
        ] {
            assert_eq!(opening(text), Ok(want), "{text}");
        }
        for bad in ["25:00", "24:00", "8:60", "meio-dia", "", "-1"] {
            assert!(matches!(opening(bad), Err(IntervalError::Time(_))), "{bad}");
        }
        assert_eq!(
            closing("24h").map(|c| (c.time, c.end_of_day)),
            Ok((NaiveTime::MIN, true))
        );
        assert_eq!(
            closing("07:00+1").map(|c| (c.time, c.next_day)),
            Ok((t(7, 0), true))
        );
        assert!(closing("24:00+1").is_err());
        assert!(closing("24:30").is_err());
    }

    #[test]
    fn one_rule_for_every_interval() {
        assert_eq!(interval("08:00", "17:00"), Ok((t(8, 0), t(17, 0))));
        assert_eq!(
            interval("19h", "7h+1"),
            Ok((t(19, 0), t(7, 0))),
            "a night shelter"
        );
        assert_eq!(interval("22:00", "24:00"), Ok((t(22, 0), NaiveTime::MIN)));
        assert_eq!(
            interval("00:00", "24:00"),
            Ok((NaiveTime::MIN, NaiveTime::MIN)),
            "all day"
        );
        let swapped = interval("17:00", "08:00").expect_err("typed the wrong way round");
        assert_eq!(swapped.to_string(), "fecha (08:00) antes de abrir (17:00)");
        assert_eq!(
            interval("08:00", "08:00"),
            Err(IntervalError::Empty(t(8, 0)))
        );
        assert!(matches!(
            interval("08:00", "17:00+1"),
            Err(IntervalError::NotOvernight { .. })
        ));
    }

    #[test]
    fn a_closing_is_shown_as_it_would_be_typed_again() {
        for (opens, closes) in [("08:00", "17:00"), ("19:00", "07:00+1"), ("22:00", "24:00")] {
            let (o, c) = interval(opens, closes).expect("valid");
            assert_eq!(show_closing(o, c), closes);
            assert_eq!(
                interval(opens, &show_closing(o, c)),
                Ok((o, c)),
                "round trip"
            );
        }
    }
}
